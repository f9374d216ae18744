"""Teams: who registers and changes which team, one active team per village, coverage and its targets."""
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import today
from app.extensions import db
from app.models import AuditEvent, Directive, DocType, Item, Kpi, Role, Team, TeamMember
from app.rules import RuleError
from app.teams import services
from app.teams.coverage import coverage_of
from tests.conftest import login
from tests.factories import PASSWORD, make_user
from tests.team_registry import make_registry, member_form, row_count


@pytest.fixture
def registry(app):
    with app.app_context():
        return make_registry()


def _team_form(village, **overrides):
    return {"village_id": village, "established_on": (today() - timedelta(days=3)).isoformat(),
            "decision_number": "45/QĐ-UBND", **overrides}


def _add_members(client, team_url, count=3):
    people = [("Lê Văn Trưởng", "leader", "0905000001"), ("Trần Thị Phó", "deputy", "0905000002"),
              ("Phạm Văn Viên", "member", "0905000003")]
    for name, position, phone in people[:count]:
        client.post(f"{team_url}/members", data=member_form(full_name=name, position=position, phone=phone))


def test_commune_officer_registers_a_team_and_its_coverage_rises_once_it_has_three_members(app, client, registry):
    login(client, "tamdann", PASSWORD)
    assert "0%" in client.get("/teams").text
    response = client.post("/teams/new", data=_team_form(registry["village"]))
    assert response.status_code == 303
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.village_id == registry["village"]))
        assert team.active and team.decision_number == "45/QĐ-UBND"
        assert response.headers["Location"].endswith(f"/teams/{team.id}")
        assert coverage_of(registry["tam_dan"]).percent == 0  # no members yet
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Team")) == "team.create"
    _add_members(client, response.headers["Location"])
    with app.app_context():
        assert coverage_of(registry["tam_dan"]).percent == 33
    page = client.get("/teams").text
    assert "33%" in page and "1/4 thôn, khối phố đã có tổ đủ điều kiện" in page


def test_the_teams_page_lists_the_teams_that_do_not_count_yet_and_why(client, registry):
    login(client, "vanphong", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["village"]))
    _add_members(client, response.headers["Location"], count=2)
    page = client.get("/teams").text
    section = page[page.index('id="not-counting"'):page.index('id="team-list"')]
    assert "An Mỹ" in section and "Thạnh Hòa" in section
    assert "Chưa đủ thành viên: 1 người đang tham gia, cần ít nhất 3" in section  # An Mỹ: its leader only
    assert "Chưa đủ thành viên: 2 người đang tham gia, cần ít nhất 3" in section  # Thạnh Hòa: leader and deputy
    assert section.count("Chưa có tổ trưởng") == 0
    client.post(f"/teams/members/{registry['leader']}/deactivate")
    page = client.get("/teams").text
    assert "Chưa có tổ trưởng" in page[page.index('id="not-counting"'):page.index('id="team-list"')]


@pytest.mark.parametrize("established_on, message", [
    ("2020-06-02", "Không thể thành lập tổ trước ngày 03/06/2020"),
    ("2019-12-31", "Không thể thành lập tổ trước ngày 03/06/2020"),
])
def test_a_founding_date_before_the_national_programme_is_refused(app, client, registry, established_on, message):
    login(client, "tamdann", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["village"], established_on=established_on))
    assert response.status_code == 422 and message in response.text
    assert row_count(app, Team) == 1
    login(client, "taman", PASSWORD)
    edited = client.post(f"/teams/{registry['other_team']}/edit",
                         data={"established_on": established_on, "decision_number": "46/QĐ-UBND"})
    assert edited.status_code == 422 and message in edited.text
    with app.app_context():
        assert db.session.get(Team, registry["other_team"]).decision_number == "12/QĐ-UBND"


def test_the_first_day_of_the_programme_is_accepted(app, client, registry):
    login(client, "tamdann", PASSWORD)
    assert client.post("/teams/new", data=_team_form(registry["village"], established_on="2020-06-03")).status_code \
        == 303


def test_the_service_itself_refuses_a_founding_date_in_the_future(app, registry):
    with app.app_context():
        with pytest.raises(RuleError) as refused:
            services.register_team(actor=None, village_id=registry["village"],
                                   established_on=today() + timedelta(days=1), decision_number="9/QĐ-UBND")
        assert refused.value.field == "established_on"
    assert row_count(app, Team) == 1


@pytest.mark.parametrize("overrides, message", [
    ({"established_on": (today() + timedelta(days=1)).isoformat()}, "Ngày không được sau hôm nay."),
    ({"established_on": ""}, "Nhập ngày thành lập tổ."),
    ({"decision_number": ""}, "Nhập số quyết định thành lập tổ."),
    ({"decision_number": "quyết định"}, "Số ký hiệu dạng 45/QĐ-UBND."),
    ({"village_id": "424242"}, "Lựa chọn không hợp lệ."),
    ({"village_id": "abc"}, "Lựa chọn không hợp lệ"),
])
def test_bad_team_is_refused_with_a_message_and_not_saved(app, client, registry, overrides, message):
    login(client, "tamdann", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["village"], **overrides))
    assert response.status_code == 422 and message in response.text
    assert row_count(app, Team) == 1


def test_a_team_cannot_be_registered_in_another_communes_village(app, client, registry):
    login(client, "tamdann", PASSWORD)
    response = client.post("/teams/new", data=_team_form(registry["other_village"]))
    assert response.status_code == 422 and "Lựa chọn không hợp lệ." in response.text
    assert row_count(app, Team) == 1


def test_a_village_with_an_active_team_gets_no_second_one(app, registry):
    with app.app_context():
        with pytest.raises(RuleError) as refused:
            services.register_team(actor=None, village_id=registry["other_village"], established_on=today(),
                                   decision_number="9/QĐ-UBND")
        assert str(refused.value.message) == "Thôn, khối phố này đã có Tổ công nghệ cộng đồng đang hoạt động."
        assert row_count(app, Team) == 1


def test_the_database_itself_refuses_two_active_teams_in_a_village(app, registry):
    with app.app_context():
        db.session.add(Team(village_id=registry["other_village"], established_on=today(), decision_number="1/QĐ"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_after_deactivation_the_village_can_register_a_new_team(app, client, registry):
    login(client, "taman", PASSWORD)
    confirm = client.get(f"/teams/{registry['other_team']}/deactivate")
    assert confirm.status_code == 200 and "Xác nhận" in confirm.text
    assert row_count(app, Team, Team.active.is_(True)) == 1  # the GET changed nothing
    assert client.post(f"/teams/{registry['other_team']}/deactivate").status_code == 303
    assert row_count(app, TeamMember, TeamMember.active.is_(True)) == 0 and row_count(app, TeamMember) == 1
    assert client.post("/teams/new", data=_team_form(registry["other_village"])).status_code == 303
    assert row_count(app, Team) == 2 and row_count(app, Team, Team.active.is_(True)) == 1


def test_coordinator_manages_any_communes_team(app, client, registry):
    login(client, "vanphong", PASSWORD)
    assert client.post("/teams/new", data=_team_form(registry["village"])).status_code == 303
    assert client.post(f"/teams/{registry['other_team']}/members", data=member_form()).status_code == 303
    assert row_count(app, TeamMember) == 2


@pytest.mark.parametrize("username", ["tamdann", "doanthanhnien"])
def test_another_communes_team_and_members_are_404_and_unchanged(app, client, registry, username):
    login(client, username, PASSWORD)
    team, leader = registry["other_team"], registry["leader"]
    for url in (f"/teams/{team}", f"/teams/{team}/edit", f"/teams/{team}/deactivate",
                f"/teams/members/{leader}/edit", f"/teams/members/{leader}/deactivate"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/teams/{team}/members", data=member_form()).status_code == 404
    assert client.post(f"/teams/{team}/deactivate").status_code == 404
    assert client.post(f"/teams/members/{leader}/deactivate").status_code == 404
    assert client.post(f"/teams/members/{leader}/edit", data=member_form(position="leader")).status_code == 404
    assert row_count(app, TeamMember, TeamMember.active.is_(True)) == 1
    assert row_count(app, Team, Team.active.is_(True)) == 1


def test_monitor_sees_teams_but_changes_nothing(app, client, registry):
    login(client, "lanhdao", PASSWORD)
    assert client.get(f"/teams/{registry['other_team']}").status_code == 200
    assert client.post(f"/teams/{registry['other_team']}/members", data=member_form()).status_code == 403
    assert client.post("/teams/new", data=_team_form(registry["village"])).status_code == 403
    assert row_count(app, TeamMember) == 1 and row_count(app, Team) == 1


def test_team_date_and_decision_can_be_corrected(app, client, registry):
    login(client, "taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/edit",
                           data={"established_on": "2022-06-20", "decision_number": "46/QĐ-UBND"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Team, registry["other_team"]).decision_number == "46/QĐ-UBND"


def test_teams_page_lists_villages_without_a_team(client, registry):
    login(client, "tamdann", PASSWORD)
    page = client.get("/teams").text
    assert "Thạnh Hòa" in page and "Xuân Định" in page and "An Mỹ</a>" not in page
    assert client.get("/teams/new").status_code == 200


def _coverage_directive(number, issued_on, deadline, **item):
    directive = Directive(number=number, doc_type=DocType.OFFICIAL_LETTER, issuer="UBND huyện",
                          issued_on=issued_on, signer="Chủ tịch", summary="Tổ công nghệ cộng đồng")
    directive.items = [Item(position=5, title="100% thôn có tổ", kpi=Kpi.TEAM_COVERAGE, default_deadline=deadline,
                            **item)]
    db.session.add(directive)
    db.session.commit()


def test_the_targets_show_each_kpi_items_directive_target_and_deadline(app, client, registry):
    login(client, "tamdann", PASSWORD)
    assert "Chưa có văn bản nào đặt chỉ tiêu bao phủ." in client.get("/teams").text
    with app.app_context():
        _coverage_directive("1234/UBND-VP", today(), today() + timedelta(days=10))
    page = client.get("/teams").text
    deadline = (today() + timedelta(days=10)).strftime("%d/%m/%Y")
    assert f"1234/UBND-VP, nội dung 5: 100% thôn, khối phố có tổ trước ngày {deadline}" in page
    assert "còn 10 ngày" in page


def test_a_second_coverage_item_shows_beside_the_first_and_changes_neither(app, client, registry):
    login(client, "tamdann", PASSWORD)
    with app.app_context():
        _coverage_directive("1234/UBND-VP", today() - timedelta(days=30), today() - timedelta(days=1))
        _coverage_directive("45/KH-BCĐ", today(), None, kpi_target=80)
    page = client.get("/teams").text
    yesterday = (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"1234/UBND-VP, nội dung 5: 100% thôn, khối phố có tổ trước ngày {yesterday}" in page
    assert "45/KH-BCĐ, nội dung 5: 80% thôn, khối phố có tổ, không thời hạn" in page
    assert page.index("45/KH-BCĐ") < page.index("1234/UBND-VP")  # newest directive first


def test_the_audit_log_shows_what_changed_in_a_team_with_labels_and_dates(app, client, registry):
    login(client, "taman", PASSWORD)
    client.post(f"/teams/{registry['other_team']}/edit",
                data={"established_on": "2022-06-20", "decision_number": "46/QĐ-UBND"})
    client.post(f"/teams/members/{registry['leader']}/edit",
                data=member_form(full_name="Võ Văn Tổ Trưởng", position="leader", affiliation="police"))
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    page = client.get("/admin/audit").text
    assert "01/06/2022" in page and "20/06/2022" in page and "46/QĐ-UBND" in page
    assert "Công an" in page and "team " not in page
