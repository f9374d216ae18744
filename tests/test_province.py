"""The province generator (make bench's data) builds what the services would, small enough for the suite."""
import re

import pytest
from sqlalchemy import func, select

from app.demo.province import DISTRICTS, seed_province
from app.extensions import db
from app.models import (
    Directive,
    Organization,
    OrgKind,
    OutreachActivity,
    Role,
    SupportTicket,
    Task,
    TaskUpdate,
    Team,
    TeamMember,
    User,
    Village,
)
from app.vntext import sort_key
from tests.conftest import DEMO_PASSWORD, login
from tests.factories import PASSWORD, make_user


@pytest.fixture
def province(app):
    with app.app_context():
        counts = seed_province(DEMO_PASSWORD, communes_per_district=2, villages_per_commune=2,
                               directives_per_district=1, items_per_directive=2, updates_per_task=2,
                               activities=40, tickets=20)
    return counts


def test_a_small_province_loads_beside_the_demo_as_a_tree_and_its_users_sign_in(app, province):
    with app.app_context():
        # the province office, then per district: its area, office, partner branch and 2 communes
        assert province["units"] == 1 + 5 * len(DISTRICTS)
        # per district: 1 directive × 2 items × 2 communes; the province-wide directive: 2 items × every commune
        assert province["tasks"] == 4 * len(DISTRICTS) + 2 * 2 * len(DISTRICTS)
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)) >= province["task updates"]
        areas = {unit.name: unit for unit in db.session.scalars(select(Organization).where(
            Organization.kind == OrgKind.AREA))}
        assert len(areas) == 1 + 18  # Quảng Nam and its 18 district-level units, Phú Ninh the demo's
        assert {"Thành phố Tam Kỳ", "Thành phố Hội An", "Thị xã Điện Bàn", "Huyện Phú Ninh"} <= set(areas)
        assert areas["Thị xã Điện Bàn"].level_name == "thị xã"
        province_node = areas["Tỉnh Quảng Nam"]
        assert all(unit.parent_id == province_node.id for name, unit in areas.items() if name != "Tỉnh Quảng Nam")
        unit = db.session.scalar(select(Organization).where(Organization.name.like("UBND phường Tam Kỳ 01%")))
        assert unit.sort_key == sort_key(unit.name) and unit.parent_id == areas["Thành phố Tam Kỳ"].id
        assert unit.path == f"{areas['Thành phố Tam Kỳ'].path}{unit.id}/"
        assert db.session.scalar(select(func.count()).select_from(Task).where(Task.lead_unit_id == unit.id)) == 4
        assert db.session.scalar(select(User.role).where(User.username == "vanphong")) is not None
    client = app.test_client()
    assert login(client, "xa0101").status_code == 303
    assert client.get("/tasks").status_code == 200


def _phu_ninh_objects() -> dict[str, list[int]]:
    """Ids of the demo district's objects, by the URL that shows one."""
    phu_ninh = db.session.scalar(select(Organization).where(Organization.name == "Huyện Phú Ninh"))
    units = select(Organization.id).where(Organization.within(phu_ninh.path))
    villages = select(Village.id).where(Village.commune_id.in_(units))
    teams = select(Team.id).where(Team.village_id.in_(villages))
    ids = {
        "/tasks/{}": select(Task.id).where(Task.lead_unit_id.in_(units)),
        "/directives/{}": select(Directive.id).where(Directive.organization_id.in_(units)),
        "/teams/{}": teams,
        "/teams/members/{}/edit": select(TeamMember.id).where(TeamMember.team_id.in_(teams)),
        "/villages/{}/edit": villages,
        "/outreach/{}/edit": select(OutreachActivity.id).where(OutreachActivity.organization_id.in_(units)),
        "/support/{}": select(SupportTicket.id).where(SupportTicket.commune_id.in_(units)),
    }
    return {page: list(db.session.scalars(stmt.limit(3))) for page, stmt in ids.items()}


def test_another_districts_coordinator_sees_none_of_phu_ninhs_objects(app, province):
    with app.app_context():
        objects = _phu_ninh_objects()
    assert all(objects.values()), objects
    client = app.test_client()
    assert login(client, "vp01").status_code == 303  # Tam Kỳ's office
    for page, ids in objects.items():
        for object_id in ids:
            assert client.get(page.format(object_id)).status_code == 404, page.format(object_id)
    for page in ("/", "/tasks", "/directives", "/villages", "/teams", "/outreach", "/support", "/reports"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Tam Phước" not in response.text and "Phú Ninh" not in response.text.replace(
            "Kế hoạch chuyển đổi số cấp xã toàn tỉnh", ""), page


def test_the_province_office_sees_every_district_and_a_roll_up_by_district(app, province):
    client = app.test_client()
    assert login(client, "vptinh").status_code == 303
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).join(Organization, Organization.id == Task.lead_unit_id)
                                    .where(Organization.short_name == "Tam Phước").limit(1))
    assert client.get(f"/tasks/{task_id}").status_code == 200
    page = client.get("/").text
    assert 'id="areas"' in page and "Thành phố Tam Kỳ" in page and "Huyện Phú Ninh" in page


def test_a_province_administrators_unit_choice_is_grouped_by_level_and_saves(app, province):
    """A province's ~100 units read as short lists: the province's own units first, then one group per district."""
    with app.app_context():
        office = db.session.scalar(select(Organization).where(Organization.name == "Văn phòng UBND tỉnh Quảng Nam"))
        make_user("admintinh", Role.ADMIN, office)
        commune = db.session.scalar(select(Organization).where(Organization.name.like("UBND phường Tam Kỳ 01%")))
        commune_id, commune_name = commune.id, commune.name
    client = app.test_client()
    assert login(client, "admintinh", PASSWORD).status_code == 303
    form = client.get("/admin/users/new").text
    groups = re.findall(r'<optgroup label="([^"]+)">', form)
    assert groups[0] == "Tỉnh Quảng Nam" and "Thành phố Tam Kỳ" in groups and "Huyện Phú Ninh" in groups
    assert len(groups) == len(set(groups)) == 2 + len(DISTRICTS)  # the province, its districts and Phú Ninh
    tam_ky = form[form.index('<optgroup label="Thành phố Tam Kỳ">'):]
    assert commune_name in tam_ky[:tam_ky.index("</optgroup>")]
    created = client.post("/admin/users/new", data={
        "username": "canbo.tamky", "full_name": "Lê Thị Hoa", "role": "officer", "organization_id": commune_id,
        "password": "mot-mat-khau-dai-du-12"})
    assert created.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.organization_id).where(User.username == "canbo.tamky")) == commune_id
