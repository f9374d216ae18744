"""The four on-time/overdue classes Vietnamese task reports count in, computed in SQL (DESIGN §3).

Two forms of one rule: `task_class_expr()` (a CASE, for SELECT and GROUP BY: counts, a row's class) and
`class_condition()` (plain comparisons on the stored deadline columns, for WHERE: an index serves them). Open means
any status outside CLOSED_STATUSES, so a new open status counts as open without a change here.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, literal, or_

from app.calendar import due_soon_until
from app.models import CLOSED_STATUSES, Task, TaskClass, TaskStatus

__all__ = ["REPORTED_CLASSES", "TaskClass", "class_condition", "class_of", "due_soon_condition", "task_class_expr"]

REPORTED_CLASSES = (TaskClass.OPEN_OVERDUE, TaskClass.OPEN_ON_TIME, TaskClass.DONE_ON_TIME, TaskClass.DONE_LATE,
                    TaskClass.NO_DEADLINE)


def task_class_expr(today: date):
    """SQL CASE giving a task's class on `today`, from the effective deadline (for SELECT/GROUP BY, not WHERE)."""
    deadline = Task.effective_deadline_expr()
    return case(
        (Task.status == TaskStatus.CANCELLED, literal(TaskClass.CANCELLED.value)),
        (deadline.is_(None), literal(TaskClass.NO_DEADLINE.value)),
        (Task.status == TaskStatus.DONE,
         case((Task.completed_on <= deadline, literal(TaskClass.DONE_ON_TIME.value)),
              else_=literal(TaskClass.DONE_LATE.value))),
        (deadline >= today, literal(TaskClass.OPEN_ON_TIME.value)),
        else_=literal(TaskClass.OPEN_OVERDUE.value),
    )


def _done(on_time: bool):
    deadline = Task.effective_deadline_expr()
    in_time = Task.completed_on <= deadline
    # As in the CASE: a done task with no completion date is late (NULL <= x is not true).
    return and_(Task.status == TaskStatus.DONE, deadline.is_not(None),
                in_time if on_time else or_(Task.completed_on.is_(None), Task.completed_on > deadline))


# One WHERE condition per class, the same rule as task_class_expr() without a CASE. `open_deadline` is the effective
# deadline of a task whose status is not in CLOSED_STATUSES (NULL otherwise), stored and indexed with the id.
_CONDITIONS = {
    TaskClass.OPEN_OVERDUE: lambda today: Task.open_deadline < today,
    TaskClass.OPEN_ON_TIME: lambda today: Task.open_deadline >= today,
    TaskClass.DONE_ON_TIME: lambda today: _done(True),
    TaskClass.DONE_LATE: lambda today: _done(False),
    TaskClass.NO_DEADLINE: lambda today: and_(Task.effective_deadline_expr().is_(None),
                                              Task.status != TaskStatus.CANCELLED),
    TaskClass.CANCELLED: lambda today: Task.status == TaskStatus.CANCELLED,
}
assert set(_CONDITIONS) == set(TaskClass)
assert set(CLOSED_STATUSES) == {TaskStatus.DONE, TaskStatus.CANCELLED}, "regenerate Task.open_deadline (migration)"


def class_condition(task_class: TaskClass | str, today: date):
    """SQL WHERE condition: the task is in `task_class` on `today`; comparisons an index serves, no CASE."""
    return _CONDITIONS[TaskClass(task_class)](today)


def due_soon_condition(today: date):
    """SQL WHERE condition: open and due between today and due_soon_until(today), both included."""
    return Task.open_deadline.between(today, due_soon_until(today))


def class_of(task: Task, today: date) -> TaskClass:
    """The same rule for one loaded task (a task page); lists and counts use task_class_expr()."""
    deadline = task.effective_deadline
    if task.status == TaskStatus.CANCELLED:
        return TaskClass.CANCELLED
    if deadline is None:
        return TaskClass.NO_DEADLINE
    if task.status == TaskStatus.DONE:
        return TaskClass.DONE_ON_TIME if task.completed_on and task.completed_on <= deadline else TaskClass.DONE_LATE
    return TaskClass.OPEN_ON_TIME if today <= deadline else TaskClass.OPEN_OVERDUE
