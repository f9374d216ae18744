"""The four on-time/overdue classes Vietnamese task reports count in, computed in SQL (DESIGN §3)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, literal

from app.models import Task, TaskClass, TaskStatus

__all__ = ["REPORTED_CLASSES", "TaskClass", "class_of", "task_class_expr"]

REPORTED_CLASSES = (TaskClass.OPEN_OVERDUE, TaskClass.OPEN_ON_TIME, TaskClass.DONE_ON_TIME, TaskClass.DONE_LATE,
                    TaskClass.NO_DEADLINE)


def task_class_expr(today: date):
    """SQL CASE giving a task's class on `today`, from the effective deadline."""
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
