"""Support tickets: filing, every transition allowed and refused per role, versions, overdue ones."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.extensions import db
from app.models import AuditEvent, Organization, OrgKind, Role, SupportTicket, TicketEvent, TicketStatus, User
from app.support.services import overdue_tickets_for
from tests.conftest import login
from tests.factories import PASSWORD, make_ticket, make_unit, make_user, make_village

S = TicketStatus


@pytest.fixture
def parties(app):
    with app.app_context():
        tam_dan, tam_an = make_unit("UBND xã Tam Đàn"), make_unit("UBND xã Tam An")
        vnpt = make_unit("VNPT Quảng Nam", kind=OrgKind.PARTNER, short_name="VNPT")
        viettel = make_unit("Viettel Quảng Nam", kind=OrgKind.PARTNER, short_name="Viettel")
        own, foreign = make_village(tam_dan, "Thạnh Hòa"), make_village(tam_an, "An Mỹ")
        make_user("tamdann", unit=tam_dan)
        make_user("taman", unit=tam_an)
        make_user("vnpt", unit=vnpt)
        make_user("viettel", unit=viettel)
        make_user("doanthanhnien", unit=make_unit("Huyện Đoàn", kind=OrgKind.UNION))
        make_user("vanphong", role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        make_user("lanhdao", role=Role.MONITOR)
        make_user("quantri", role=Role.ADMIN)
        return {"tam_dan": tam_dan.id, "tam_an": tam_an.id, "vnpt": vnpt.id, "viettel": viettel.id,
                "own": own.id, "foreign": foreign.id}


def _ticket(app, parties, status=S.REQUESTED, **fields):
    """A ticket from Tam Đàn to VNPT in the given status."""
    with app.app_context():
        commune, partner = (db.session.get(Organization, parties[name]) for name in ("tam_dan", "vnpt"))
        return make_ticket(commune, partner, status=status, **fields).id


def _state(app, ticket_id):
    with app.app_context():
        ticket = db.session.get(SupportTicket, ticket_id)
        events = db.session.scalar(select(func.count()).where(TicketEvent.ticket_id == ticket_id))
        return ticket.status, ticket.version, events


def _ticket_form(parties, **overrides):
    return {"partner_id": parties["vnpt"], "kind": "digital_signature", "village_id": parties["own"],
            "description": "Cấp chữ ký số cho tổ trưởng", "wanted_by": (today() + timedelta(days=7)).isoformat(),
            **overrides}


def test_a_commune_files_a_ticket_with_its_first_event(app, client, parties):
    login(client, "tamdann", PASSWORD)
    response = client.post("/support/new", data=_ticket_form(parties))
    assert response.status_code == 303
    with app.app_context():
        ticket = db.session.scalar(select(SupportTicket))
        assert (ticket.commune_id, ticket.partner_id, ticket.status, ticket.version) == \
            (parties["tam_dan"], parties["vnpt"], S.REQUESTED, 1)
        event = ticket.events[0]
        assert (event.from_status, event.to_status, event.actor.username) == (None, S.REQUESTED, "tamdann")
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "SupportTicket")) == \
            "ticket.create"


@pytest.mark.parametrize("overrides, message", [
    ({"village_id": "FOREIGN"}, "Lựa chọn không hợp lệ."),
    ({"village_id": "777777"}, "Lựa chọn không hợp lệ."),
    ({"partner_id": "TAM_AN"}, "Lựa chọn không hợp lệ."),
    ({"wanted_by": (today() - timedelta(days=1)).isoformat()}, "Ngày không được trước hôm nay."),
    ({"wanted_by": ""}, "Nhập ngày cần hoàn thành."),
    ({"description": "  "}, "Nhập nội dung cần hỗ trợ."),
    ({"kind": "free_phone"}, "Lựa chọn không hợp lệ."),
])
def test_bad_ticket_is_refused_with_a_message_and_not_saved(app, client, parties, overrides, message):
    replacements = {"FOREIGN": parties["foreign"], "TAM_AN": parties["tam_an"]}
    overrides = {key: replacements.get(value, value) for key, value in overrides.items()}
    login(client, "tamdann", PASSWORD)
    response = client.post("/support/new", data=_ticket_form(parties, **overrides))
    assert response.status_code == 422 and message in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupportTicket)) == 0


@pytest.mark.parametrize("username", ["vnpt", "doanthanhnien", "lanhdao", "vanphong"])
def test_only_communes_and_admins_file_tickets(app, client, parties, username):
    """A user without the permission, or with it but no commune to file for (a partner, a union), gets 403."""
    login(client, username, PASSWORD)
    assert client.get("/support/new").status_code == 403
    assert client.post("/support/new", data=_ticket_form(parties)).status_code == 403


def test_an_admin_files_for_a_chosen_commune_with_that_communes_village(app, client, parties):
    login(client, "quantri", PASSWORD)
    refused = client.post("/support/new", data=_ticket_form(parties, commune_id=parties["tam_an"]))
    assert refused.status_code == 422 and "Chọn thôn, khối phố thuộc xã." in refused.text
    assert client.post("/support/new", data=_ticket_form(parties, commune_id=parties["tam_dan"])).status_code == 303


# (user, action, status before, note) -> status after. Every transition the workflow allows.
ALLOWED = [
    ("vnpt", "take", S.REQUESTED, "", S.IN_PROGRESS),
    ("vnpt", "take", S.REOPENED, "", S.IN_PROGRESS),
    ("vnpt", "done", S.IN_PROGRESS, "Đã cấp 5 chữ ký số", S.DONE),
    ("tamdann", "confirm", S.DONE, "", S.CONFIRMED),
    ("tamdann", "reopen", S.DONE, "Chữ ký số chưa dùng được", S.REOPENED),
    ("quantri", "take", S.REQUESTED, "", S.IN_PROGRESS),
]


@pytest.mark.parametrize("username, action, before, note, after", ALLOWED)
def test_allowed_transition_moves_the_ticket_and_records_who_and_when(app, client, parties, username, action,
                                                                      before, note, after):
    ticket_id = _ticket(app, parties, before)
    login(client, username, PASSWORD)
    response = client.post(f"/support/{ticket_id}/{action}", data={"version": 1, "note": note})
    assert response.status_code == 303
    assert _state(app, ticket_id) == (after, 2, 1)
    with app.app_context():
        event = db.session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id))
        assert (event.actor.username, event.from_status, event.to_status, event.note) == (username, before, after, note)
        assert event.at is not None
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == ticket_id)) == \
            f"ticket.{action}"


# (user, action, status before, note, HTTP status): refused, and nothing changes.
REFUSED = [
    ("tamdann", "take", S.REQUESTED, "", 403),  # the commune does not work its own ticket
    ("tamdann", "done", S.IN_PROGRESS, "xong", 403),
    ("vnpt", "confirm", S.DONE, "", 403),  # the partner does not confirm its own work
    ("vnpt", "reopen", S.DONE, "lý do", 403),
    ("viettel", "take", S.REQUESTED, "", 404),  # another partner's ticket does not exist for it
    ("taman", "confirm", S.DONE, "", 404),  # another commune's ticket neither
    ("doanthanhnien", "take", S.REQUESTED, "", 404),
    ("lanhdao", "take", S.REQUESTED, "", 403),  # monitors and coordinators only watch
    ("vanphong", "confirm", S.DONE, "", 403),
    ("vnpt", "take", S.IN_PROGRESS, "", 409),  # wrong state: someone moved it already
    ("vnpt", "take", S.DONE, "", 409),
    ("vnpt", "done", S.REQUESTED, "xong", 409),
    ("vnpt", "done", S.CONFIRMED, "xong", 409),
    ("tamdann", "confirm", S.IN_PROGRESS, "", 409),
    ("tamdann", "reopen", S.CONFIRMED, "lý do", 409),
    ("vnpt", "done", S.IN_PROGRESS, "   ", 422),  # a note is required
    ("tamdann", "reopen", S.DONE, "", 422),  # a reason is required
]


@pytest.mark.parametrize("username, action, before, note, code", REFUSED)
def test_refused_transition_changes_nothing(app, client, parties, username, action, before, note, code):
    ticket_id = _ticket(app, parties, before)
    login(client, username, PASSWORD)
    response = client.post(f"/support/{ticket_id}/{action}", data={"version": 1, "note": note})
    assert response.status_code == code
    assert _state(app, ticket_id) == (before, 1, 0)


def test_missing_reason_is_explained_in_vietnamese(app, client, parties):
    ticket_id = _ticket(app, parties, S.DONE)
    login(client, "tamdann", PASSWORD)
    response = client.post(f"/support/{ticket_id}/reopen", data={"version": 1, "note": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Nhập lý do mở lại." in response.text


def test_a_stale_version_gets_409_with_the_current_state(app, client, parties):
    ticket_id = _ticket(app, parties, S.REQUESTED)
    login(client, "vnpt", PASSWORD)
    assert client.post(f"/support/{ticket_id}/take", data={"version": 1}).status_code == 303
    stale = client.post(f"/support/{ticket_id}/done", data={"version": 1, "note": "xong"},
                        headers={"HX-Request": "true"})
    assert stale.status_code == 409
    assert "Yêu cầu vừa được người khác thay đổi" in stale.text and 'name="version" value="2"' in stale.text
    assert _state(app, ticket_id) == (S.IN_PROGRESS, 2, 1)


def test_htmx_marks_done_in_one_click_and_gets_the_row_back(app, client, parties):
    ticket_id = _ticket(app, parties, S.IN_PROGRESS)
    login(client, "vnpt", PASSWORD)
    response = client.post(f"/support/{ticket_id}/done", data={"version": 1, "note": "Đã cài đặt"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="ticket-{ticket_id}"')
    assert "Đã xong, chờ xác nhận" in response.text and "<html" not in response.text


def test_the_whole_workflow_from_request_to_confirmation(app, client, parties):
    login(client, "tamdann", PASSWORD)
    client.post("/support/new", data=_ticket_form(parties))
    with app.app_context():
        ticket_id = db.session.scalar(select(SupportTicket.id))
    client.post("/logout")
    login(client, "vnpt", PASSWORD)
    assert "Nhận xử lý" in client.get("/support").text
    client.post(f"/support/{ticket_id}/take", data={"version": 1})
    client.post(f"/support/{ticket_id}/done", data={"version": 2, "note": "Đã cấp chữ ký số"})
    client.post("/logout")
    login(client, "tamdann", PASSWORD)
    client.post(f"/support/{ticket_id}/reopen", data={"version": 3, "note": "Chưa ký được văn bản"})
    client.post("/logout")
    login(client, "vnpt", PASSWORD)
    client.post(f"/support/{ticket_id}/take", data={"version": 4})
    client.post(f"/support/{ticket_id}/done", data={"version": 5, "note": "Đã cài lại"})
    client.post("/logout")
    login(client, "tamdann", PASSWORD)
    assert client.post(f"/support/{ticket_id}/confirm", data={"version": 6, "back": "ticket"}).headers[
        "Location"].endswith(f"/support/{ticket_id}")
    assert _state(app, ticket_id) == (S.CONFIRMED, 7, 7)
    page = client.get(f"/support/{ticket_id}").text
    assert "Chưa ký được văn bản" in page and "Đã cài lại" in page


def test_each_side_sees_only_its_own_tickets(app, client, parties):
    mine = _ticket(app, parties)
    with app.app_context():
        other = make_ticket(db.session.get(Organization, parties["tam_an"]),
                            db.session.get(Organization, parties["viettel"])).id
    for username, visible, hidden in (("tamdann", mine, other), ("vnpt", mine, other), ("viettel", other, mine)):
        login(client, username, PASSWORD)
        page = client.get("/support").text
        assert f'id="ticket-{visible}"' in page and f'id="ticket-{hidden}"' not in page
        assert client.get(f"/support/{hidden}").status_code == 404
        client.post("/logout")
    login(client, "lanhdao", PASSWORD)
    page = client.get("/support").text
    assert f'id="ticket-{mine}"' in page and f'id="ticket-{other}"' in page


def test_overdue_tickets_are_those_past_their_date_and_still_owed(app, client, parties):
    yesterday = today() - timedelta(days=1)
    late = _ticket(app, parties, S.IN_PROGRESS, wanted_by=yesterday)
    late_reopened = _ticket(app, parties, S.REOPENED, wanted_by=yesterday)
    done_late = _ticket(app, parties, S.DONE, wanted_by=yesterday)
    due_today = _ticket(app, parties, S.REQUESTED, wanted_by=today())
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert [t.id for t in overdue_tickets_for(users["tamdann"])] == [late, late_reopened]
        assert [t.id for t in overdue_tickets_for(users["vnpt"])] == [late, late_reopened]
        assert overdue_tickets_for(users["viettel"]) == [] and overdue_tickets_for(users["taman"]) == []
        assert len(overdue_tickets_for(users["vanphong"])) == 2
    login(client, "vnpt", PASSWORD)
    page = client.get("/support").text
    assert f'<tr id="ticket-{late}" class="overdue">' in page
    assert f'<tr id="ticket-{done_late}">' in page and f'<tr id="ticket-{due_today}">' in page
    overdue_only = client.get("/support?status=overdue", headers={"HX-Request": "true"}).text
    assert overdue_only.lstrip().startswith('<div id="ticket-list"')
    assert f'id="ticket-{done_late}"' not in overdue_only and f'id="ticket-{late}"' in overdue_only


def test_a_refused_partner_message_names_no_partner(app, parties):
    """Partners are data: the message must not list VNPT, Viettel or the Post Office."""
    from app.rules import RuleError
    from app.support.services import file_ticket
    with app.app_context():
        union = db.session.scalar(select(Organization.id).where(Organization.kind == OrgKind.UNION))
        with pytest.raises(RuleError) as refused:
            file_ticket(actor=db.session.scalar(select(User).where(User.username == "tamdann")),
                        commune_id=parties["tam_dan"], partner_id=union, kind="training", village_id=None,
                        description="Tập huấn", wanted_by=today())
        message = str(refused.value.message)
    assert message == "Chọn một đối tác trong danh sách." and "VNPT" not in message and "Viettel" not in message


@pytest.mark.parametrize("status, partner_may, commune_may", [
    (S.REQUESTED, {"take"}, set()),
    (S.IN_PROGRESS, {"done"}, set()),
    (S.DONE, set(), {"confirm", "reopen"}),
    (S.CONFIRMED, set(), set()),
    (S.REOPENED, {"take"}, set()),
])
def test_can_answers_which_transition_each_side_may_make_now(app, parties, status, partner_may, commune_may):
    from app.permissions import can
    ticket_id = _ticket(app, parties, status=status)
    with app.app_context():
        ticket = db.session.get(SupportTicket, ticket_id)
        users = {user.username: user for user in db.session.scalars(select(User))}
        actions = ("take", "done", "confirm", "reopen")
        assert {a for a in actions if can(users["vnpt"], f"support.{a}", ticket)} == partner_may
        assert {a for a in actions if can(users["tamdann"], f"support.{a}", ticket)} == commune_may
        assert {a for a in actions if can(users["viettel"], f"support.{a}", ticket)} == set()
        assert {a for a in actions if can(users["lanhdao"], f"support.{a}", ticket)} == set()
        assert {a for a in actions if can(users["quantri"], f"support.{a}", ticket)} == partner_may | commune_may


def test_the_list_and_the_ticket_page_offer_the_same_buttons_and_the_same_badge(app, client, parties):
    ticket_id = _ticket(app, parties, status=S.DONE)
    login(client, "tamdann", PASSWORD)
    row = client.get("/support").text
    page = client.get(f"/support/{ticket_id}").text
    for html in (row, page):
        assert f"/support/{ticket_id}/confirm" in html and f"/support/{ticket_id}/reopen" in html
        assert f"/support/{ticket_id}/take" not in html and f"/support/{ticket_id}/done" not in html
        assert '<span class="badge badge-info">Đã xong, chờ xác nhận</span>' in html
