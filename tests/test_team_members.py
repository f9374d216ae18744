"""Team members: added, corrected and marked as left but never deleted; one person once per team."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Team, TeamMember
from app.teams.coverage import coverage_of
from tests.conftest import login
from tests.factories import PASSWORD
from tests.team_registry import make_registry, member_form, row_count


@pytest.fixture
def registry(app):
    with app.app_context():
        return make_registry()


def test_the_same_person_cannot_be_in_one_team_twice(app, client, registry):
    login(client, "taman", PASSWORD)
    url = f"/teams/{registry['other_team']}/members"
    assert client.post(url, data=member_form()).status_code == 303
    again = client.post(url, data=member_form(full_name="  nguyễn thị  HOA ", phone="0905.123.456"))
    assert again.status_code == 422
    assert "Người này (cùng họ tên và số điện thoại) đã là thành viên của tổ." in again.text
    assert row_count(app, TeamMember) == 2
    assert client.post(url, data=member_form(phone="0905999888")).status_code == 303  # a namesake, another phone
    assert client.post(url, data=member_form(full_name="Nguyễn Thị Hòa")).status_code == 303  # another name
    assert row_count(app, TeamMember) == 4


def test_a_member_cannot_be_edited_into_a_copy_of_another(app, client, registry):
    login(client, "taman", PASSWORD)
    client.post(f"/teams/{registry['other_team']}/members", data=member_form())
    response = client.post(f"/teams/members/{registry['leader']}/edit",
                           data=member_form(position="leader"))
    assert response.status_code == 422 and "cùng họ tên và số điện thoại" in response.text
    with app.app_context():
        assert db.session.get(TeamMember, registry["leader"]).full_name == "Võ Văn Tổ Trưởng"


def test_someone_who_left_can_join_again(app, client, registry):
    login(client, "taman", PASSWORD)
    url = f"/teams/{registry['other_team']}/members"
    client.post(f"/teams/members/{registry['leader']}/deactivate")
    data = member_form(full_name="Võ Văn Tổ Trưởng", position="leader")
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 422


def test_adding_a_member_over_htmx_returns_the_member_list_with_a_fresh_form(app, client, registry):
    login(client, "taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/members", data=member_form(),
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
def test_bad_member_is_refused_with_a_message_and_not_saved(app, client, registry, overrides, message):
    login(client, "taman", PASSWORD)
    response = client.post(f"/teams/{registry['other_team']}/members", data=member_form(**overrides),
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and message in response.text
    assert row_count(app, TeamMember) == 1


def test_a_member_is_edited_then_marked_as_left_but_never_deleted(app, client, registry):
    login(client, "taman", PASSWORD)
    leader = registry["leader"]
    edited = client.post(f"/teams/members/{leader}/edit", data=member_form(full_name="Võ Văn Mới", position="leader"))
    assert edited.status_code == 303
    assert client.get(f"/teams/members/{leader}/deactivate").status_code == 200
    assert client.post(f"/teams/members/{leader}/deactivate").status_code == 303
    with app.app_context():
        member = db.session.get(TeamMember, leader)
        assert (member.full_name, member.active) == ("Võ Văn Mới", False)
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "TeamMember")
                                     .order_by(AuditEvent.id)).all()
        assert actions == ["team_member.update", "team_member.deactivate"]
    assert "Đã thôi tham gia" in client.get(f"/teams/{registry['other_team']}").text
    again = client.post(f"/teams/members/{leader}/edit", data=member_form())
    assert again.status_code == 422 and "đã thôi tham gia tổ" in again.text


def test_a_deactivated_team_takes_no_new_members_and_drops_out_of_coverage(app, client, registry):
    login(client, "taman", PASSWORD)
    client.post(f"/teams/{registry['other_team']}/deactivate")
    response = client.post(f"/teams/{registry['other_team']}/members", data=member_form())
    assert response.status_code == 422 and "Tổ này đã ngừng hoạt động" in response.text
    with app.app_context():
        team = db.session.get(Team, registry["other_team"])
        assert coverage_of(team.village.commune_id).covered == 0
    assert row_count(app, TeamMember) == 1


def test_the_team_page_says_when_the_team_starts_to_count_as_members_are_added(app, client, registry):
    login(client, "taman", PASSWORD)
    url = f"/teams/{registry['other_team']}"
    page = client.get(url).text
    assert "Chưa được tính" in page and "Chưa đủ thành viên: 1 người đang tham gia, cần ít nhất 3" in page
    client.post(f"{url}/members", data=member_form(), headers={"HX-Request": "true"})
    response = client.post(f"{url}/members", data=member_form(full_name="Lê Văn Ba", phone="0905333444"),
                           headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="members"')
    standing = response.text[response.text.index('<div id="team-standing" hx-swap-oob="true">'):]
    assert "Được tính vào tỷ lệ bao phủ" in standing and "Chưa đủ" not in standing
