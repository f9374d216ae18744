"""Teams and members: who registers and changes which team, one active team per village, nothing deleted."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.clock import today
from app.coverage import coverage_of
from app.extensions import db
from app.models import AuditEvent, Directive, DocType, Item, Kpi, OrgKind, Role, Team, TeamMember, TeamPosition
from app.rules import RuleError
from app.teams import services
from tests.factories import PASSWORD, make_member, make_team, make_unit, make_user, make_village


@pytest.fixture
def registry(app):
    """Tam Đàn with three villages and no team; Tam An with a team of one leader."""
    with app.app_context():
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


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _team_form(village, **overrides):
    return {"village_id": village, "established_on": (today() - timedelta(days=3)).isoformat(),
            "decision_number": "45/QĐ-UBND", **overrides}


def _member_form(**overrides):
    return {"full_name": "Nguyễn Thị Hoa", "position": "member", "affiliation": "womens_union",
            "phone": "0905 123 456", **overrides}


def test_commune_officer_registers_a_team_and_its_coverage_rises(app, client, auth, registry):
    auth.login("tamdann", PASSWORD)
    assert "0%" in client.get("/teams").text
    response = client.post("/teams/new", data=_team_form(registry["village"]))
    assert response.status_code == 303
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.village_id == registry["village"]))
        assert team.active and team.decision_number == "45/QĐ-UBND"
        assert response.headers["Location"].endswith(f"/teams/{team.id}")
        assert coverage_of(registry["tam_dan"]).percent == 33
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Team")) == "team.create"
    page = client.get("/teams").text
    assert "33%" in page and "2/4 thôn, khối phố đã có tổ" in page


@pytest.mark.parametrize("overrides, message", [
    ({"established_on": (today() + timedelta(days=1)).isoformat()}, "Ngày không được sau hôm nay."),
    ({"established_on": ""}, "Nhập ngày thành lập tổ."),
    ({"decision_number": ""}, "Nhập số quyết định thành lập tổ."),
    ({"decision_number": "quyết định"}, "Số ký hiệu dạng 45/QĐ-UBND."),
    ({"village_id": "424242"}, "Lựa chọn không hợp lệ."),
    ({"village_id": "abc"}, "Lựa chọn không hợp lệ"),
])
def test_bad_team_is_refused_with_a_message_and_not_saved(app, client, auth, registry, overrides, message):
    auth.login("tamdann", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["village"], **overrides))
    assert response.status_code == 422 and message in response.text
    assert _count(app, Team) == 1


def test_a_team_cannot_be_registered_in_another_communes_village(app, client, auth, registry):
    auth.login("tamdann", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["other_village"]))
    assert response.status_code == 422 and "Lựa chọn không hợp lệ." in response.text
    assert _count(app, Team) == 1


def test_a_village_with_an_active_team_gets_no_second_one(app, registry):
    with app.app_context():
        with pytest.raises(RuleError) as refused:
            services.register_team(actor=None, village_id=registry["other_village"], established_on=today(),
                                   decision_number="9/QĐ-UBND")
        assert str(refused.value.message) == "Thôn, khối phố này đã có Tổ công nghệ cộng đồng đang hoạt động."
        assert _count(app, Team) == 1


def test_the_database_itself_refuses_two_active_teams_in_a_village(app, registry):
    with app.app_context():
        db.session.add(Team(village_id=registry["other_village"], established_on=today(), decision_number="1/QĐ"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_after_deactivation_the_village_can_register_a_new_team(app, client, auth, registry):
    auth.login("taman", PASSWORD)
    confirm = client.get(f"/teams/{registry['other_team']}/deactivate")
    assert confirm.status_code == 200 and "Xác nhận" in confirm.text
    assert _count(app, Team, Team.active.is_(True)) == 1  # the GET changed nothing
    assert client.post(f"/teams/{registry['other_team']}/deactivate").status_code == 303
    assert _count(app, TeamMember, TeamMember.active.is_(True)) == 0 and _count(app, TeamMember) == 1
    assert client.post("/teams/new", data=_team_form(registry["other_village"])).status_code == 303
    assert _count(app, Team) == 2 and _count(app, Team, Team.active.is_(True)) == 1


def test_coordinator_manages_any_communes_team(app, client, auth, registry):
    auth.login("vanphong", PASSWORD)
    assert client.post("/teams/new", data=_team_form(registry["village"])).status_code == 303
    assert client.post(f"/teams/{registry['other_team']}/members", data=_member_form()).status_code == 303
    assert _count(app, TeamMember) == 2


@pytest.mark.parametrize("username", ["tamdann", "doanthanhnien"])
def test_another_communes_team_and_members_are_404_and_unchanged(app, client, auth, registry, username):
    auth.login(username, PASSWORD)
    team, leader = registry["other_team"], registry["leader"]
    for url in (f"/teams/{team}", f"/teams/{team}/edit", f"/teams/{team}/deactivate",
                f"/teams/members/{leader}/edit", f"/teams/members/{leader}/deactivate"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/teams/{team}/members", data=_member_form()).status_code == 404
    assert client.post(f"/teams/{team}/deactivate").status_code == 404
    assert client.post(f"/teams/members/{leader}/deactivate").status_code == 404
    assert client.post(f"/teams/members/{leader}/edit", data=_member_form(position="leader")).status_code == 404
    assert _count(app, TeamMember, TeamMember.active.is_(True)) == 1 and _count(app, Team, Team.active.is_(True)) == 1


def test_monitor_sees_teams_but_changes_nothing(app, client, auth, registry):
    auth.login("lanhdao", PASSWORD)
    assert client.get(f"/teams/{registry['other_team']}").status_code == 200
    assert client.post(f"/teams/{registry['other_team']}/members", data=_member_form()).status_code == 403
    assert client.post("/teams/new", data=_team_form(registry["village"])).status_code == 403
    assert _count(app, TeamMember) == 1 and _count(app, Team) == 1


def test_adding_a_member_over_htmx_returns_the_member_list_with_a_fresh_form(app, client, auth, registry):
    auth.login("taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/members", data=_member_form(),
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="members"')
    assert "Nguyễn Thị Hoa" in response.text and "Đã thêm Nguyễn Thị Hoa vào tổ." in response.text
    assert 'value="Nguyễn Thị Hoa"' not in response.text
    with app.app_context():
        member = db.session.scalar(select(TeamMember).where(TeamMember.full_name == "Nguyễn Thị Hoa"))
        assert member.phone == "0905123456"


@pytest.mark.parametrize("overrides, message", [
    ({"full_name": "   "}, "Nhập họ và tên."),
    ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
    ({"phone": "+1 202 555 0100"}, "Số điện thoại không hợp lệ"),
    ({"position": "chairman"}, "Lựa chọn không hợp lệ."),
    ({"affiliation": "army"}, "Lựa chọn không hợp lệ."),
    ({"position": "leader"}, "Tổ đã có tổ trưởng."),
])
def test_bad_member_is_refused_with_a_message_and_not_saved(app, client, auth, registry, overrides, message):
    auth.login("taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/members", data=_member_form(**overrides),
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and message in response.text
    assert _count(app, TeamMember) == 1


def test_a_member_is_edited_then_marked_as_left_but_never_deleted(app, client, auth, registry):
    auth.login("taman", PASSWORD)
    leader = registry["leader"]
    edited = client.post(f"/teams/members/{leader}/edit", data=_member_form(full_name="Võ Văn Mới", position="leader"))
    assert edited.status_code == 303
    assert client.get(f"/teams/members/{leader}/deactivate").status_code == 200
    assert client.post(f"/teams/members/{leader}/deactivate").status_code == 303
    with app.app_context():
        member = db.session.get(TeamMember, leader)
        assert (member.full_name, member.active) == ("Võ Văn Mới", False)
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "TeamMember")).all()
        assert actions == ["team_member.update", "team_member.deactivate"]
    assert "Đã thôi tham gia" in client.get(f"/teams/{registry['other_team']}").text
    again = client.post(f"/teams/members/{leader}/edit", data=_member_form())
    assert again.status_code == 422 and "đã thôi tham gia tổ" in again.text


def test_a_deactivated_team_takes_no_new_members_and_drops_out_of_coverage(app, client, auth, registry):
    auth.login("taman", PASSWORD)
    client.post(f"/teams/{registry['other_team']}/deactivate")
    response = client.post(f"/teams/{registry['other_team']}/members", data=_member_form())
    assert response.status_code == 422 and "Tổ này đã ngừng hoạt động" in response.text
    with app.app_context():
        team = db.session.get(Team, registry["other_team"])
        assert coverage_of(team.village.commune_id).covered == 0
    assert _count(app, TeamMember) == 1


def test_team_date_and_decision_can_be_corrected(app, client, auth, registry):
    auth.login("taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/edit",
                           data={"established_on": "2022-06-20", "decision_number": "46/QĐ-UBND"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Team, registry["other_team"]).decision_number == "46/QĐ-UBND"


def test_teams_page_lists_villages_without_a_team(client, auth, registry):
    auth.login("tamdann", PASSWORD)
    page = client.get("/teams").text
    assert "Thạnh Hòa" in page and "Xuân Định" in page and "An Mỹ</a>" not in page
    assert client.get("/teams/new").status_code == 200


def test_the_target_shows_the_kpi_items_deadline_or_none(app, client, auth, registry):
    auth.login("tamdann", PASSWORD)
    assert "Chỉ tiêu: 100% thôn, khối phố có tổ, không thời hạn" in client.get("/teams").text
    with app.app_context():
        directive = Directive(number="1234/UBND-VP", doc_type=DocType.OFFICIAL_LETTER, issuer="UBND huyện",
                              issued_on=today(), signer="Chủ tịch", summary="Tổ công nghệ cộng đồng")
        directive.items = [Item(position=5, title="100% thôn có tổ", kpi=Kpi.TEAM_COVERAGE,
                                default_deadline=today() + timedelta(days=10))]
        db.session.add(directive)
        db.session.commit()
    page = client.get("/teams").text
    deadline = (today() + timedelta(days=10)).strftime("%d/%m/%Y")
    assert f"Chỉ tiêu: 100% thôn, khối phố có tổ trước ngày {deadline}" in page
    assert "còn 10 ngày" in page and "Theo nội dung 5 của văn bản 1234/UBND-VP." in page
