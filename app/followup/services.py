"""Instructions (ý kiến chỉ đạo) and urging (đôn đốc): each written with its notifications in one transaction."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.clock import today
from app.extensions import db
from app.models import (
    CLOSED_STATUSES,
    Directive,
    Instruction,
    Item,
    NotificationKind,
    Organization,
    Task,
    TaskUpdate,
    User,
)
from app.notifications import notify
from app.rules import RuleError
from app.tasks.classes import TaskClass, class_condition

INSTRUCTION_EMPTY = _l("Write the instruction.")
URGE_LIMIT = 500  # one click urges at most this many tasks (a unit never has nearly so many overdue)
INSTRUCTIONS_SHOWN = 200  # the newest instructions on a task or directive; more are never given on one


def instructions_of(*, task: Task | None = None, directive: Directive | None = None) -> list[Instruction]:
    """The instructions on a task or a directive, newest first (a page shows them all: a few per object)."""
    column, value = (Instruction.task_id, task.id) if task is not None else (Instruction.directive_id, directive.id)
    return list(db.session.scalars(select(Instruction).where(column == value).order_by(Instruction.id.desc())
                                   .limit(INSTRUCTIONS_SHOWN)))


def instruct(*, actor: User, body: str, task: Task | None = None, directive: Directive | None = None) -> Instruction:
    """Record an instruction on a task (its lead unit is notified) or a directive (every lead unit of its open
    tasks is notified)."""
    body = (body or "").strip()
    if not body:
        raise RuleError(INSTRUCTION_EMPTY, field="body")
    row = Instruction(task_id=task.id if task else None, directive_id=directive.id if directive else None,
                      author_id=actor.id, body=body)
    db.session.add(row)
    db.session.flush()
    if task is not None:
        units = [task.lead_unit_id]
    else:
        units = db.session.scalars(select(Task.lead_unit_id).join(Task.item).where(
            Item.directive_id == directive.id, Task.status.not_in(CLOSED_STATUSES)).distinct()).all()
    for unit_id in sorted(units):
        notify(NotificationKind.INSTRUCTION, actor=actor, unit_id=unit_id, task=task, directive=directive,
               note=body[:2000])
    audit.record("instruction.create", task or directive, actor=actor)
    db.session.commit()
    return row


def _overdue(*conditions) -> list[Task]:
    """The open tasks past their effective deadline among `conditions`, oldest deadline first."""
    return list(db.session.scalars(select(Task).where(class_condition(TaskClass.OPEN_OVERDUE, today()), *conditions)
                                   .order_by(Task.open_deadline, Task.id).limit(URGE_LIMIT)))


def overdue_of_unit(unit: Organization) -> list[Task]:
    """The unit's open tasks past their effective deadline, oldest deadline first."""
    return _overdue(Task.lead_unit_id == unit.id)


def urge(tasks: list[Task], *, actor: User, note: str = "") -> list[Task]:
    """Urge the overdue ones among `tasks`: a history line each (who urged, when) and a notification to the lead
    unit's users, emailed at once (the next `deliver` run)."""
    note = (note or "").strip()[:1000]
    overdue = _overdue(Task.id.in_([task.id for task in tasks]))
    if not overdue:
        raise RuleError(_l("Only overdue tasks are urged: none of these is overdue."))
    for task in overdue:
        progress = task.shown_progress
        db.session.add(TaskUpdate(task_id=task.id, author_id=actor.id, old_status=task.status,
                                  new_status=task.status, old_progress=progress, new_progress=progress, note=note,
                                  changes={"urged": [None, True]}))
        notify(NotificationKind.URGED, actor=actor, unit_id=task.lead_unit_id, task=task, note=note)
        audit.record("task.urge", task, actor=actor)
    db.session.commit()
    return overdue
