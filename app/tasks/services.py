"""Changing a task: status, progress and notes, each change one TaskUpdate; stale versions refused."""
from __future__ import annotations

from sqlalchemy import update

from app import audit
from app.clock import today
from app.extensions import db
from app.models import Task, TaskStatus, TaskUpdate, User

NOTE_REQUIRED = (TaskStatus.DONE, TaskStatus.CANCELLED)


class StaleVersion(Exception):
    """Someone changed the task since the form was loaded; nothing was written."""


class NoteRequired(Exception):
    """Done and cancelled need a note saying what was done or why."""


def change_status(task: Task, author: User, *, status: str, progress: int, note: str, version: int) -> TaskUpdate:
    """Set status and progress if `version` is still current, and append the history line."""
    status = TaskStatus(status)
    note = (note or "").strip()
    if status in NOTE_REQUIRED and not note:
        raise NoteRequired
    if status == TaskStatus.DONE:
        progress = 100
    old_status, old_progress = task.status, task.progress
    completed_on = (task.completed_on or today()) if status == TaskStatus.DONE else None
    # Compare-and-set in one statement, so two workers cannot both win with the same version.
    result = db.session.execute(
        update(Task).where(Task.id == task.id, Task.version == version)
        .values(status=status, progress=progress, completed_on=completed_on, version=version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleVersion
    entry = TaskUpdate(task_id=task.id, author_id=author.id, old_status=old_status, new_status=status,
                       old_progress=old_progress, new_progress=progress, note=note)
    db.session.add(entry)
    audit.record("task.update", task, actor=author, detail=f"{old_status.value}->{status.value} {progress}%")
    db.session.commit()
    db.session.refresh(task)
    return entry


def add_note(task: Task, author: User, note: str) -> TaskUpdate:
    """A note without a change of status or progress (co-operating units, monitors)."""
    entry = TaskUpdate(task_id=task.id, author_id=author.id, old_status=task.status, new_status=task.status,
                       old_progress=task.progress, new_progress=task.progress, note=note.strip())
    db.session.add(entry)
    audit.record("task.note", task, actor=author)
    db.session.commit()
    return entry


def update_assignment(task: Task, author: User, *, deadline, cooperating_units) -> Task:
    """A coordinator overrides one task's deadline or co-operating units."""
    task.deadline = deadline
    task.cooperating_units = [unit for unit in cooperating_units if unit.id != task.lead_unit_id]
    audit.record("task.reassign", task, actor=author)
    db.session.commit()
    return task
