"""The four classes, at their boundaries, with today in Asia/Ho_Chi_Minh; SQL and Python agree."""
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from app.clock import today
from app.extensions import db
from app.followup.services import overdue_of_unit, urge
from app.models import OrgKind, Role, Task, TaskStatus
from app.models.user import utcnow
from app.scheduled import create_reminders, digest_content
from app.tasks.classes import TaskClass, class_of, task_class_expr
from tests.factories import make_task, make_unit, make_user

DEADLINE = date(2022, 8, 31)


def _sql_class(task_id: int) -> str:
    return db.session.scalar(select(task_class_expr(today())).where(Task.id == task_id))


@pytest.mark.parametrize("utc_moment, expected", [
    (datetime(2022, 8, 31, 16, 59, tzinfo=timezone.utc), TaskClass.OPEN_ON_TIME),  # 23:59 on the 31st in Vietnam
    (datetime(2022, 8, 31, 17, 0, tzinfo=timezone.utc), TaskClass.OPEN_OVERDUE),  # 00:00 on 1/9 in Vietnam
    (datetime(2022, 8, 30, 17, 0, tzinfo=timezone.utc), TaskClass.OPEN_ON_TIME),  # the deadline day itself
])
def test_open_task_turns_overdue_at_midnight_in_vietnam(app, utc_moment, expected):
    with app.app_context():
        task_id = make_task(make_unit(), deadline=DEADLINE).id
        with time_machine.travel(utc_moment, tick=False):
            assert _sql_class(task_id) == expected
            assert class_of(db.session.get(Task, task_id), today()) == expected


@pytest.mark.parametrize("completed_on, expected", [
    (DEADLINE, TaskClass.DONE_ON_TIME),
    (DEADLINE + timedelta(days=1), TaskClass.DONE_LATE),
    (DEADLINE - timedelta(days=10), TaskClass.DONE_ON_TIME),
])
def test_done_task_is_judged_by_its_completion_date(app, completed_on, expected):
    with app.app_context():
        task_id = make_task(make_unit(), deadline=DEADLINE, status=TaskStatus.DONE, progress=100,
                            completed_on=completed_on).id
        with time_machine.travel(datetime(2023, 1, 1, tzinfo=timezone.utc), tick=False):
            assert _sql_class(task_id) == expected


def test_an_approved_extension_moves_the_effective_deadline(app):
    with app.app_context():
        task_id = make_task(make_unit(), deadline=DEADLINE, extended_deadline=DEADLINE + timedelta(days=7)).id
        with time_machine.travel(datetime(2022, 9, 3, 3, tzinfo=timezone.utc), tick=False):
            assert _sql_class(task_id) == TaskClass.OPEN_ON_TIME


def test_no_deadline_and_cancelled(app):
    with app.app_context():
        unit = make_unit()
        open_id = make_task(unit, deadline=None).id
        cancelled_id = make_task(unit, deadline=DEADLINE, status=TaskStatus.CANCELLED).id
        assert _sql_class(open_id) == TaskClass.NO_DEADLINE
        assert _sql_class(cancelled_id) == TaskClass.CANCELLED


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(list(TaskStatus)),
       deadline=st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2022, 12, 31))),
       completed_offset=st.integers(-30, 30), today_offset=st.integers(-30, 30))
def test_sql_and_python_give_the_same_class(app, status, deadline, completed_offset, today_offset):
    with app.app_context():
        base = deadline or date(2022, 6, 1)
        completed_on = base + timedelta(days=completed_offset) if status == TaskStatus.DONE else None
        task = make_task(make_unit(), deadline=deadline, status=status, completed_on=completed_on)
        on = base + timedelta(days=today_offset)
        assert db.session.scalar(select(task_class_expr(on)).where(Task.id == task.id)) == class_of(task, on)


def _sql_of(call) -> tuple[object, str]:
    """What `call` returns, and the SQL it sent."""
    seen = []
    listener = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, "\n".join(seen)


def test_urging_reminders_and_digests_select_overdue_and_due_soon_tasks_with_the_one_class_condition(app):
    with app.app_context():
        unit = make_unit()
        coordinator = make_user(role=Role.COORDINATOR, unit=make_unit(kind=OrgKind.DISTRICT_OFFICE))
        overdue = make_task(unit, deadline=today() - timedelta(days=1))
        soon = make_task(unit, deadline=today() + timedelta(days=1))
        make_task(unit, deadline=today() - timedelta(days=5), status=TaskStatus.DONE, completed_on=today())
        calls = {"overdue_of_unit": lambda: overdue_of_unit(unit),
                 "urge": lambda: urge([soon, overdue], actor=coordinator),
                 "create_reminders": lambda: create_reminders(today()),
                 "digest_content": lambda: digest_content(unit.id, today(), utcnow() + timedelta(days=1))}
        results = {}
        for name, call in calls.items():
            results[name], sql = _sql_of(call)
            assert re.search(r"open_deadline (<|BETWEEN)", sql), (name, sql)
            assert not re.search(r"effective_deadline (<|BETWEEN)", sql), (name, sql)
        assert results["overdue_of_unit"] == results["urge"] == [overdue]
        assert results["create_reminders"] == 2
        digest = results["digest_content"]
        assert (digest.overdue, digest.due_soon, digest.new) == ([overdue], [soon], [])


def test_lists_and_exports_take_the_class_from_sql_and_only_one_task_pages_ask_class_of():
    root = Path(__file__).resolve().parents[1]
    callers = {path.relative_to(root).as_posix() for path in (root / "app").rglob("*.py")
               if re.search(r"\bclass_of\(", path.read_text(encoding="utf-8"))}
    # the rule itself, the task page and the API's one task
    assert callers == {"app/tasks/classes.py", "app/tasks/routes.py", "app/api/routes.py"}
