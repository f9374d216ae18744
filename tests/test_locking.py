"""Every write of a versioned row goes through locking.compare_and_set: a task changed since this request read it
is a Conflict (the form's 409 and its message), never an unhandled StaleDataError (a 500)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.clock import today
from app.directives import services as directive_services
from app.extensions import db
from app.models import ExtensionRequest, OrgKind, Role, Task, TaskStatus, TaskUpdate
from app.rules import Conflict
from app.tasks import extensions
from app.tasks import services as task_services
from tests.conftest import login
from tests.factories import PASSWORD, make_item, make_task, make_unit, make_user


@pytest.fixture
def pending(app):
    """An open task with a deadline and its unit's pending extension request; the district office's coordinator."""
    with app.app_context():
        commune = make_unit()
        officer = make_user("xa", unit=commune)
        make_user("vp", role=Role.COORDINATOR, unit=make_unit(kind=OrgKind.DISTRICT_OFFICE))
        task = make_task(commune, make_item(), deadline=today() + timedelta(days=5), status=TaskStatus.IN_PROGRESS)
        request = ExtensionRequest(task_id=task.id, requested_deadline=today() + timedelta(days=20), reason="Mưa lũ",
                                   requested_by_id=officer.id)
        db.session.add(request)
        db.session.commit()
        return {"task": task.id, "request": request.id, "version": task.version}


def _changed_meanwhile(task_id: int) -> None:
    """A colleague's write to the task lands after this request loaded it (the loaded object keeps its version)."""
    db.session.execute(update(Task).where(Task.id == task_id).values(version=Task.version + 1)
                       .execution_options(synchronize_session=False))


def _coordinator():
    from app.models import User
    return db.session.scalar(select(User).where(User.username == "vp"))


WRITES = {
    "approve an extension": lambda task, request: extensions.decide_extension(
        request, _coordinator(), approve=True, note=""),
    "move the deadline": lambda task, request: task_services.update_assignment(
        task, _coordinator(), deadline=task.deadline + timedelta(days=3), cooperating_units=[], reason="Lùi hạn"),
    "cancel the item": lambda task, request: directive_services.cancel_item(task.item, _coordinator(), "Bỏ việc"),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_a_task_changed_since_it_was_loaded_is_a_conflict_and_nothing_is_written(app, pending, write):
    with app.app_context():
        task, request = db.session.get(Task, pending["task"]), db.session.get(ExtensionRequest, pending["request"])
        _changed_meanwhile(task.id)
        with pytest.raises(Conflict):
            WRITES[write](task, request)
        db.session.expire_all()
        task = db.session.get(Task, pending["task"])
        assert (task.status, task.extended_deadline, task.version) == (TaskStatus.IN_PROGRESS, None,
                                                                       pending["version"])
        assert db.session.get(ExtensionRequest, pending["request"]).decision is None
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)) == 0


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_each_write_moves_the_version_the_next_stale_form_is_checked_against(app, pending, write):
    with app.app_context():
        task, request = db.session.get(Task, pending["task"]), db.session.get(ExtensionRequest, pending["request"])
        WRITES[write](task, request)
        db.session.expire_all()
        assert db.session.get(Task, pending["task"]).version == pending["version"] + 1


def test_the_office_deciding_on_a_task_changed_meanwhile_gets_the_409_page_with_the_message(app, client, pending,
                                                                                            monkeypatch):
    checked = extensions.can

    def checked_while_a_colleague_writes(user, action, obj=None):
        _changed_meanwhile(pending["task"])
        return checked(user, action, obj)

    monkeypatch.setattr(extensions, "can", checked_while_a_colleague_writes)
    login(client, "vp", PASSWORD)
    response = client.post(f"/extensions/{pending['request']}/approve", data={"note": ""})
    assert response.status_code == 409 and "Người khác vừa thay đổi nội dung này." in response.text
    with app.app_context():
        assert db.session.get(ExtensionRequest, pending["request"]).decision is None
