"""The bell and /notifications, the events that notify, instructions, urging, periodic tasks, N working days."""
from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from app.directives.recurring import create_period_tasks
from app.directives.services import assign_item
from app.extensions import db
from app.models import (
    Instruction,
    Notification,
    NotificationKind,
    OrgKind,
    Recurrence,
    Role,
    Task,
    TaskUpdate,
    User,
)
from app.support.services import file_ticket, move
from tests.conftest import login
from tests.factories import PASSWORD, make_directive, make_item, make_task, make_unit, make_user


def _kinds(user_id: int) -> list[NotificationKind]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == user_id)
                                   .order_by(Notification.id)))


def test_assignment_and_tickets_notify_the_units_concerned(app):
    with app.app_context():
        commune, partner = make_unit("Xã Tam Thử"), make_unit("VNPT Thử", kind=OrgKind.PARTNER)
        officer, partner_user = make_user("canbo", unit=commune), make_user("vnpt", unit=partner)
        office = make_user("vanphong", role=Role.COORDINATOR)
        assign_item(make_item(), office, lead_unit_ids=[commune.id], cooperating_unit_ids=[], deadline=None)
        ticket = file_ticket(actor=officer, commune_id=commune.id, partner_id=partner.id, kind="training",
                             village_id=None, description="Hướng dẫn", wanted_by=date(2030, 1, 1))
        assert _kinds(partner_user.id) == [NotificationKind.TICKET_NEW]
        move(ticket, "take", actor=partner_user, version=ticket.version)
        move(ticket, "done", actor=partner_user, version=ticket.version, note="Đã hướng dẫn")
        assert _kinds(officer.id) == [NotificationKind.ASSIGNED, NotificationKind.TICKET_TO_CONFIRM]


def test_the_bell_counts_unread_and_the_list_marks_them_read(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        officer = make_user("canbo", unit=commune)
        for kind in (NotificationKind.OVERDUE, NotificationKind.URGED, NotificationKind.DUE_SOON):
            db.session.add(Notification(recipient_id=officer.id, kind=kind, task_id=make_task(commune).id))
        other = make_user("khac", unit=make_unit("Xã Khác"))
        db.session.add(Notification(recipient_id=other.id, kind=NotificationKind.OVERDUE))
        db.session.commit()
        ids = list(db.session.scalars(select(Notification.id).where(Notification.recipient_id == officer.id)))
        foreign = db.session.scalar(select(Notification.id).where(Notification.recipient_id == other.id))
    login(client, "canbo", PASSWORD)
    page = client.get("/").text
    assert 'id="bell"' in page and 'data-count="3"' in page and 'hx-trigger="every 60s"' in page
    badge = client.get("/notifications/badge", headers={"HX-Request": "true"}).text
    assert badge.strip().startswith("<a id=\"bell\"") and "<html" not in badge
    listing = client.get("/notifications").text
    assert "Quá hạn" in listing or "Overdue" in listing
    opened = client.post(f"/notifications/{ids[0]}/read", data={"open": "1"})
    assert opened.status_code == 303 and "/tasks/" in opened.headers["Location"]
    assert 'data-count="2"' in client.get("/notifications/badge").text
    assert client.post(f"/notifications/{foreign}/read").status_code == 404
    assert client.post("/notifications/read").status_code == 303
    assert 'data-count="0"' in client.get("/notifications/badge").text


def test_the_bells_polling_is_not_activity(app, client):
    with app.app_context():
        make_user("canbo", unit=make_unit("Xã Tam Thử"))
    login(client, "canbo", PASSWORD)
    with client.session_transaction() as session:
        session["seen"] = session.get("seen", 0) - 600
        before = session["seen"]
    client.get("/notifications/badge")
    with client.session_transaction() as session:
        assert session["seen"] == before


def test_a_leaders_instruction_reaches_the_lead_unit_and_shows_on_the_task(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        officer_id = make_user("canbo", unit=commune).id
        make_user("lanhdao", role=Role.MONITOR)
        task_id = make_task(commune).id
    login(client, "lanhdao", PASSWORD)
    assert client.post(f"/tasks/{task_id}/instructions", data={"body": "  "}).status_code == 422
    assert client.post(f"/tasks/{task_id}/instructions", data={"body": "Khẩn trương triển khai"}).status_code == 303
    assert "Khẩn trương triển khai" in client.get(f"/tasks/{task_id}").text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Instruction)) == 1
        assert _kinds(officer_id) == [NotificationKind.INSTRUCTION]


def test_an_officer_cannot_give_instructions(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("canbo", unit=commune)
        task_id = make_task(commune).id
    login(client, "canbo", PASSWORD)
    assert client.post(f"/tasks/{task_id}/instructions", data={"body": "x"}).status_code == 403


def test_the_office_urges_all_overdue_tasks_of_a_unit_after_confirming(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        officer_id = make_user("canbo", unit=commune).id
        make_user("vanphong", role=Role.COORDINATOR)
        late = [make_task(commune, deadline=date(2020, 1, 1)).id, make_task(commune, deadline=date(2021, 1, 1)).id]
        make_task(commune, deadline=date(2099, 1, 1))
        unit_id = commune.id
    login(client, "vanphong", PASSWORD)
    confirm = client.get(f"/units/{unit_id}/urge")
    assert confirm.status_code == 200 and 'id="urge-submit"' in confirm.text
    assert client.post(f"/units/{unit_id}/urge", data={"note": "Đề nghị báo cáo"}).status_code == 303
    with app.app_context():
        assert _kinds(officer_id) == [NotificationKind.URGED] * 2
        urged = db.session.scalars(select(TaskUpdate.task_id).where(TaskUpdate.changes.is_not(None))).all()
        assert sorted(urged) == late
    history = client.get(f"/tasks/{late[0]}").text
    assert "đôn đốc" in history.lower() or "urged" in history.lower()


def test_a_task_not_overdue_is_not_urged(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("vanphong", role=Role.COORDINATOR)
        task_id = make_task(commune, deadline=date(2099, 1, 1)).id
    login(client, "vanphong", PASSWORD)
    assert client.post(f"/tasks/{task_id}/urge", data={}).status_code == 422


def test_a_deadline_given_in_working_days_is_stored_as_the_date(app, client, time_machine):
    time_machine.move_to("2026-02-12 09:00 +07:00")  # Thursday before Tết
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("vanphong", role=Role.COORDINATOR)
        item_id = make_item().id
        unit_id = commune.id
    login(client, "vanphong", PASSWORD)
    response = client.post(f"/items/{item_id}/assign", data={
        "lead_units": [unit_id], "deadline_by": "working_days", "working_days": "3", "deadline": ""})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Task.deadline)) == date(2026, 2, 24)


def test_the_next_periods_task_is_created_once_even_by_two_runners(app, time_machine):
    time_machine.move_to("2026-11-20 09:00 +07:00")  # the December report month (15/11 - 14/12)
    with app.app_context():
        units = [make_unit("Xã Một"), make_unit("Xã Hai")]
        office = make_user("vanphong", role=Role.COORDINATOR)
        make_user("canbo", unit=units[0])
        item = make_item(make_directive(), title="Báo cáo tháng", recurrence=Recurrence.MONTH)
        tasks = assign_item(item, office, lead_unit_ids=[u.id for u in units], cooperating_unit_ids=[], deadline=None)
        assert {task.deadline for task in tasks} == {date(2026, 12, 14)}
        assert create_period_tasks(date(2026, 11, 20)) == 0
    barrier, results = threading.Barrier(2), []

    def run():
        with app.app_context():
            barrier.wait()
            results.append(create_period_tasks(date(2026, 12, 15)))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 2
    with app.app_context():
        rows = db.session.execute(select(Task.lead_unit_id, Task.period, Task.deadline).order_by(Task.id)).all()
        assert [(period, deadline) for _, period, deadline in rows[2:]] == [("2026-12-15", date(2027, 1, 14))] * 2
        canbo = db.session.scalar(select(User).where(User.username == "canbo"))
        assert _kinds(canbo.id).count(NotificationKind.ASSIGNED) == 2
