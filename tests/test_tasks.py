"""Task list and page: scoping, status updates over htmx and plain forms, notes, stale versions."""
import re

import pytest
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Task, TaskStatus, TaskUpdate, User, task_cooperator
from tests.conftest import login

OFFICERS = ["phuthinh", "tamthanh", "taman", "tamdann", "tamloc", "tamphuoc", "tamvinh", "tamthai", "tamdai",
            "tamdan", "tamlanh", "doanthanhnien", "hoiphunu", "vnpt", "viettel", "buudien"]




def _unit_id(username):
    return db.session.scalar(select(User.organization_id).where(User.username == username))


def _task_of(username, *, lead=True, status=None) -> Task:
    """A task the user's unit leads (or co-operates on, lead=False)."""
    unit_id = _unit_id(username)
    if lead:
        stmt = select(Task).where(Task.lead_unit_id == unit_id)
    else:
        stmt = select(Task).join(task_cooperator).where(task_cooperator.c.organization_id == unit_id)
    if status:
        stmt = stmt.where(Task.status == status)
    return db.session.scalars(stmt.order_by(Task.id)).first()


def _without_review(task: Task) -> Task:
    """The task's item says review is not needed: the lead unit's "done" is final at once (as before review)."""
    task.item.review_required = False
    db.session.commit()
    return task


def _listed_ids(html):
    return {int(i) for i in re.findall(r'href="/tasks/(\d+)"', html)}


@pytest.mark.parametrize("username", OFFICERS)
def test_each_officer_sees_exactly_its_own_tasks(demo, client, username):
    login(client, username)
    with demo.app_context():
        unit_id = _unit_id(username)
        expected = set(db.session.scalars(select(Task.id).where(or_(
            Task.lead_unit_id == unit_id,
            Task.id.in_(select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id == unit_id))))))
    assert expected  # every demo unit has work
    assert _listed_ids(client.get("/tasks?page=1").text) | _listed_ids(client.get("/tasks?page=2").text) == expected


def test_officer_gets_404_for_another_units_task_and_nothing_changes(demo, client):
    login(client, "tamphuoc")
    with demo.app_context():
        foreign = _task_of("tamdan")
        foreign_id, version, status = foreign.id, foreign.version, foreign.status
        updates = db.session.scalar(select(func.count()).select_from(TaskUpdate))
    assert client.get(f"/tasks/{foreign_id}").status_code == 404
    response = client.post(f"/tasks/{foreign_id}/status",
                           data={"status": "done", "progress": 100, "note": "x", "version": version})
    assert response.status_code == 404
    assert client.post(f"/tasks/{foreign_id}/notes", data={"note": "x"}).status_code == 404
    with demo.app_context():
        task = db.session.get(Task, foreign_id)
        assert (task.status, task.version) == (status, version)
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)) == updates


def test_lead_unit_moves_a_task_with_htmx_and_gets_status_history_and_counters(demo, client):
    login(client, "tamphuoc")
    with demo.app_context():
        task = _task_of("tamphuoc", status=TaskStatus.IN_PROGRESS)
        task_id, version = task.id, task.version
    response = client.post(f"/tasks/{task_id}/status", headers={"HX-Request": "true"},
                           data={"status": "in_progress", "progress": 60, "note": "Đã họp 3 thôn", "version": version})
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<section id="status-region"')
    assert '<ol hx-swap-oob="afterbegin:#history-list">' in body and body.count("<li>\n") == 1  # the new entry
    assert 'id="unit-counts" class="card" hx-swap-oob="true"' in body
    assert "Đã họp 3 thôn" in body and "<html" not in body
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert (task.progress, task.version) == (60, version + 1)
        last = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                  .order_by(TaskUpdate.id.desc())).first()
        assert (last.new_progress, last.note, last.author.username) == (60, "Đã họp 3 thôn", "tamphuoc")


def test_without_javascript_the_same_form_posts_and_redirects(demo, client):
    login(client, "tamphuoc")
    with demo.app_context():
        task = _without_review(_task_of("tamphuoc", status=TaskStatus.IN_PROGRESS))
        task_id, version = task.id, task.version
    response = client.post(f"/tasks/{task_id}/status",
                           data={"status": "done", "progress": 100, "note": "Hoàn thành", "version": version})
    assert response.status_code == 303 and response.headers["Location"] == f"/tasks/{task_id}"
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert task.status == TaskStatus.DONE and task.progress == 100 and task.completed_on is not None


@pytest.mark.parametrize("username, status", [("tamphuoc", "done"), ("vanphong", "cancelled")])
def test_done_and_cancelled_need_a_note(demo, client, username, status):
    login(client, username)
    with demo.app_context():
        task = _without_review(_task_of("tamphuoc", status=TaskStatus.IN_PROGRESS))
        task_id, version = task.id, task.version
    response = client.post(f"/tasks/{task_id}/status",
                           data={"status": status, "progress": 100, "note": " ", "version": version})
    assert response.status_code == 422
    assert "Cần ghi chú" in response.text
    with demo.app_context():
        assert db.session.get(Task, task_id).version == version


@pytest.mark.parametrize("progress", ["-1", "101", "abc", ""])
def test_progress_outside_0_to_100_is_refused(demo, client, progress):
    login(client, "tamphuoc")
    with demo.app_context():
        task = _task_of("tamphuoc", status=TaskStatus.IN_PROGRESS)
        task_id, version = task.id, task.version
    response = client.post(f"/tasks/{task_id}/status",
                           data={"status": "in_progress", "progress": progress, "version": version})
    assert response.status_code == 422
    with demo.app_context():
        assert db.session.get(Task, task_id).version == version


def test_stale_version_gets_409_with_the_current_state_and_nothing_is_overwritten(demo, client):
    login(client, "tamphuoc")
    with demo.app_context():
        task = _task_of("tamphuoc", status=TaskStatus.IN_PROGRESS)
        task_id, version = task.id, task.version
    first = client.post(f"/tasks/{task_id}/status",
                        data={"status": "in_progress", "progress": 90, "note": "first", "version": version})
    assert first.status_code == 303
    stale = client.post(f"/tasks/{task_id}/status", headers={"HX-Request": "true"},
                        data={"status": "in_progress", "progress": 10, "note": "second", "version": version})
    assert stale.status_code == 409
    assert "Người khác vừa thay đổi" in stale.text
    assert f'name="version" type="hidden" value="{version + 1}"' in stale.text
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert task.progress == 90 and task.version == version + 1
        notes = db.session.scalars(select(TaskUpdate.note).where(TaskUpdate.task_id == task_id)).all()
        assert "first" in notes and "second" not in notes


def test_co_operating_unit_cannot_change_status_but_can_add_a_note(demo, client):
    login(client, "hoiphunu")
    with demo.app_context():
        task = _task_of("hoiphunu", lead=False)
        task_id, version, status = task.id, task.version, task.status
    page = client.get(f"/tasks/{task_id}").text
    assert 'id="status-form"' not in page and 'id="note-form"' in page
    response = client.post(f"/tasks/{task_id}/status",
                           data={"status": "done", "progress": 100, "note": "x", "version": version})
    assert response.status_code == 403
    assert client.post(f"/tasks/{task_id}/notes", data={"note": "Hội đã tuyên truyền 2 thôn"}).status_code == 303
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert (task.version, task.status) == (version, status)
        last = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                  .order_by(TaskUpdate.id.desc())).first()
        assert last.note == "Hội đã tuyên truyền 2 thôn" and last.old_status == last.new_status


def test_monitor_sees_any_task_without_a_status_form(demo, client):
    login(client, "lanhdao")
    with demo.app_context():
        task_id = _task_of("tamdan").id
    page = client.get(f"/tasks/{task_id}").text
    assert 'id="status-form"' not in page
    assert client.post(f"/tasks/{task_id}/status", data={"status": "done"}).status_code == 403


def test_task_list_filters_follow_the_url_and_htmx_gets_only_results(demo, client):
    login(client, "vanphong")
    with demo.app_context():
        unit_id = _unit_id("tamphuoc")
    full = client.get(f"/tasks?unit={unit_id}&task_class=done_on_time")
    assert full.text.startswith("<!doctype html>")
    fragment = client.get(f"/tasks?unit={unit_id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="results"')
    with demo.app_context():
        expected = set(db.session.scalars(select(Task.id).where(Task.lead_unit_id == unit_id)))
    assert _listed_ids(fragment.text) == expected


def test_bad_filter_values_are_reported_and_ignored(demo, client):
    login(client, "vanphong")
    response = client.get("/tasks?unit=abc&task_class=nonsense&directive=99999&page=-3")
    assert response.status_code == 200
    assert "không hợp lệ và đã được bỏ qua" in response.text


def test_search_matches_the_item_title(demo, client):
    login(client, "vanphong")
    ids = _listed_ids(client.get("/tasks?q=sàn thương mại").text)
    with demo.app_context():
        titles = {db.session.get(Task, i).item.title for i in ids}
    assert len(ids) == 2 and all("sàn thương mại" in t for t in titles)
