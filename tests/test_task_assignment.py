"""Adjusting one task's deadline and co-operating units: nothing lost, the original deadline kept, history written."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from app.clock import today
from app.extensions import db
from app.models import AuditEvent, Task, TaskStatus, TaskUpdate, User, task_cooperator
from app.tasks.classes import TaskClass, class_of


def _task_with_cooperators(overdue: bool = False) -> Task:
    """A task of the demo with two co-operating units (item 2: a commune with Huyện Đoàn and Hội LHPN)."""
    stmt = select(Task).join(task_cooperator).group_by(Task.id).having(func.count() == 2)
    if overdue:
        stmt = stmt.where(Task.status == TaskStatus.IN_PROGRESS, Task.deadline < today())
    return db.session.scalars(stmt.order_by(Task.id)).first()


def _form_of(client, task_id):
    page = client.get(f"/tasks/{task_id}/assignment")
    assert page.status_code == 200
    return page.text


def _ticked(html) -> set[int]:
    return {int(value) for value in re.findall(r'<input checked[^>]*value="(\d+)"', html)} | {
        int(value) for value in re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', html)}


def test_the_assignment_form_shows_the_current_co_operating_units_ticked(demo, signed_in):
    client = signed_in("vanphong")
    with demo.app_context():
        task = _task_with_cooperators()
        task_id, unit_ids = task.id, {unit.id for unit in task.cooperating_units}
    assert len(unit_ids) == 2
    assert _ticked(_form_of(client, task_id)) == unit_ids


def test_moving_only_the_deadline_keeps_the_units_and_the_original_deadline(demo, signed_in):
    client = signed_in("vanphong")
    with demo.app_context():
        task = _task_with_cooperators()
        task_id, original, unit_ids = task.id, task.deadline, sorted(unit.id for unit in task.cooperating_units)
        names = [unit.name for unit in task.cooperating_units]
    moved = original + timedelta(days=15)
    response = client.post(f"/tasks/{task_id}/assignment", data={
        "deadline": moved.isoformat(), "cooperating_units": unit_ids, "reason": "Mưa bão, xin lùi thời hạn"})
    assert response.status_code == 303
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert task.deadline == original and task.effective_deadline == moved
        assert (task.extended_by.username, task.extension_reason) == ("vanphong", "Mưa bão, xin lùi thời hạn")
        assert task.extended_at is not None
        assert sorted(unit.id for unit in task.cooperating_units) == unit_ids
        entry = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                   .order_by(TaskUpdate.id.desc())).first()
        assert entry.changes == {"deadline": [{"date": original.isoformat()}, {"date": moved.isoformat()}]}
        assert entry.note == "Mưa bão, xin lùi thời hạn" and entry.author.username == "vanphong"
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.reassign")).one()
        assert list(audit.changes) == ["deadline"]
        assert names  # the units were there and are still there
    page = client.get(f"/tasks/{task_id}").text
    assert moved.strftime("%d/%m/%Y") in page and original.strftime("%d/%m/%Y") in page
    assert "Mưa bão, xin lùi thời hạn" in page


def test_an_overdue_task_stays_overdue_when_only_its_units_change(demo, signed_in):
    client = signed_in("vanphong")
    with demo.app_context():
        task = _task_with_cooperators(overdue=True)
        assert class_of(task, today()) == TaskClass.OPEN_OVERDUE
        task_id, deadline = task.id, task.deadline
        kept, dropped = task.cooperating_units[0], task.cooperating_units[1]
        kept_id, kept_name, dropped_name = kept.id, kept.name, dropped.name
    response = client.post(f"/tasks/{task_id}/assignment", data={
        "deadline": deadline.isoformat(), "cooperating_units": [kept_id], "reason": "Hội LHPN không tham gia"})
    assert response.status_code == 303
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert [unit.id for unit in task.cooperating_units] == [kept_id]
        assert task.extended_deadline is None and class_of(task, today()) == TaskClass.OPEN_OVERDUE
        entry = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                   .order_by(TaskUpdate.id.desc())).first()
        assert entry.changes == {"cooperating_units": [[kept_name, dropped_name], [kept_name]]}
    history = client.get(f"/tasks/{task_id}").text.split('id="history"')[1]
    assert "Đơn vị phối hợp" in history and dropped_name in history


def test_an_assignment_change_needs_a_reason_and_nothing_changes_without_one(demo, signed_in):
    client = signed_in("vanphong")
    with demo.app_context():
        task = _task_with_cooperators()
        task_id, deadline = task.id, task.deadline
        updates = db.session.scalar(select(func.count()).select_from(TaskUpdate))
    response = client.post(f"/tasks/{task_id}/assignment", data={
        "deadline": (deadline + timedelta(days=5)).isoformat(), "reason": "  "})
    assert response.status_code == 422
    assert "Ghi lý do" in response.text
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert task.extended_deadline is None and len(task.cooperating_units) == 2
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)) == updates


def test_choosing_the_original_date_again_removes_the_adjustment(demo, signed_in):
    client = signed_in("vanphong")
    with demo.app_context():
        task = _task_with_cooperators()
        task_id, original = task.id, task.deadline
        units = [unit.id for unit in task.cooperating_units]
    for day, reason in ((original + timedelta(days=3), "Lùi 3 ngày"), (original, "Giữ thời hạn ban đầu")):
        assert client.post(f"/tasks/{task_id}/assignment", data={
            "deadline": day.isoformat(), "cooperating_units": units, "reason": reason}).status_code == 303
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert task.deadline == original and task.extended_deadline is None and task.effective_deadline == original


def test_the_lead_unit_cannot_change_the_assignment(demo, signed_in):
    with demo.app_context():
        task = _task_with_cooperators()
        task_id, deadline = task.id, task.deadline
        lead_user = db.session.scalar(select(User.username).where(User.organization_id == task.lead_unit_id))
    client = signed_in(lead_user)
    assert client.get(f"/tasks/{task_id}/assignment").status_code == 403
    response = client.post(f"/tasks/{task_id}/assignment", data={
        "deadline": (deadline + timedelta(days=30)).isoformat(), "reason": "x"})
    assert response.status_code == 403
    with demo.app_context():
        assert db.session.get(Task, task_id).extended_deadline is None
