"""The teams tests' world (tests/test_teams.py, tests/test_team_members.py): two communes, one team of one
leader, and the member form they post."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import OrgKind, Role, TeamPosition
from tests.factories import make_member, make_team, make_unit, make_user, make_village


def make_registry() -> dict:
    """Tam Đàn with three villages and no team; Tam An with a team of one leader; their ids. In an app context."""
    tam_dan, tam_an = make_unit("UBND xã Tam Đàn"), make_unit("UBND xã Tam An")
    villages = [make_village(tam_dan, name) for name in ("Thạnh Hòa", "Xuân Định", "Thạnh Mỹ")]
    other_team = make_team(make_village(tam_an, "An Mỹ"))
    leader = make_member(other_team, full_name="Võ Văn Tổ Trưởng", position=TeamPosition.LEADER)
    make_user("tamdann", unit=tam_dan)
    make_user("taman", unit=tam_an)
    make_user("vanphong", role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    make_user("lanhdao", role=Role.MONITOR)
    make_user("doanthanhnien", unit=make_unit("Huyện Đoàn", kind=OrgKind.UNION))
    return {"tam_dan": tam_dan.id, "village": villages[0].id, "other_village": other_team.village_id,
            "other_team": other_team.id, "leader": leader.id}


def row_count(app, model, *where):
    """Rows of `model` (that match `where`)."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def member_form(**overrides):
    """A valid member, but `overrides`."""
    return {"full_name": "Nguyễn Thị Hoa", "position": "member", "affiliation": "womens_union",
            "phone": "0905 123 456", **overrides}
