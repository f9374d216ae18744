"""Changing a task: status, progress, notes and assignment, each change one TaskUpdate; stale versions refused."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import today
from app.evidence.files import accepted, attach
from app.extensions import db
from app.locking import compare_and_set
from app.models import Item, Organization, Task, TaskStatus, TaskUpdate, User
from app.models.user import utcnow
from app.permissions import can
from app.rules import RuleError

NOTE_REQUIRED = (TaskStatus.DONE, TaskStatus.CANCELLED)
NOTE_REQUIRED_MESSAGE = _l("A note is required to mark the task done or cancelled.")


def coverage_target_of(item: Item) -> int:
    """The team coverage (percent) an item's tasks must reach before they are reported done."""
    return item.kpi_target


def coverage_below_target(percent: int, target: int):
    """The refusal of a team-coverage task reported done before its coverage reaches its item's target."""
    return _l("The task cannot be reported done yet: team coverage is %(percent)d%%, the target is %(target)d%%.",
              percent=percent, target=target)


def coverage_reached(task: Task) -> bool:
    """Whether a team-coverage task's computed progress has reached its item's target."""
    return bool(task.progress_from_coverage) and task.shown_progress >= coverage_target_of(task.item)


def may_mark_done(task: Task, actor: User) -> bool:
    """Whether "done" is final at once for this actor: the item needs no review, or the actor is the reviewer."""
    return not task.item.review_required or can(actor, "task.review", None)


def _check_status_change(task: Task, actor: User, status: TaskStatus, progress: int, note: str) -> None:
    """The rules of a status change; RuleError for the first one broken."""
    if task.status == TaskStatus.SUBMITTED:
        raise RuleError(_l("This task's completion awaits the district office's review: it is accepted or returned "
                           "first."), field="status")
    if status == TaskStatus.SUBMITTED or (status == TaskStatus.DONE and status != task.status
                                          and not may_mark_done(task, actor)):
        raise RuleError(_l("Report the completion with the form “Report completion”: the district office reviews "
                           "it."), field="status")
    if (status == TaskStatus.CANCELLED or task.status == TaskStatus.CANCELLED) and status != task.status \
            and not can(actor, "task.cancel", task):
        raise RuleError(_l("Only the district office cancels a task or takes it back from cancelled."),
                        field="status")
    if status in NOTE_REQUIRED and not note:
        raise RuleError(NOTE_REQUIRED_MESSAGE, field="note")
    if status != TaskStatus.DONE:
        return
    if task.progress_from_coverage:
        target = coverage_target_of(task.item)
        if progress < target:
            raise RuleError(coverage_below_target(progress, target), field="status")
    elif progress != 100:
        raise RuleError(_l("To report the task done, set the progress to 100, or keep the task in progress."),
                        field="progress")


def change_status(task: Task, actor: User, *, status: str, progress: int | None, note: str,
                  version: int, uploads: list | None = None) -> TaskUpdate:
    """Set status and progress if `version` is still current, and append the history line.

    A team-coverage task's progress is computed (Task.shown_progress): a typed value is ignored, nothing
    overwrites it, and the task is reported done only once coverage reaches its item's target.
    """
    status = TaskStatus(status)
    note = (note or "").strip()
    computed = bool(task.progress_from_coverage)
    old_status, old_progress = task.status, task.shown_progress if computed else task.progress
    new_progress = old_progress if computed else progress
    _check_status_change(task, actor, status, new_progress, note)
    files = accepted(uploads or [])
    values = {"status": status, "completed_on": (task.completed_on or today()) if status == TaskStatus.DONE else None}
    if not computed:
        values["progress"] = new_progress
    compare_and_set(Task, task.id, version, **values)
    entry = TaskUpdate(task_id=task.id, author_id=actor.id, old_status=old_status, new_status=status,
                       old_progress=old_progress, new_progress=new_progress, note=note)
    db.session.add(entry)
    if files:
        db.session.flush()
        attach(files, actor=actor, task_update_id=entry.id)
    changes = {"status": (old_status, status), "progress": (old_progress, new_progress)}
    if files:
        changes["file"] = (None, [file.filename for file in files])
    audit.record("task.update", task, actor=actor, changes=changes)
    db.session.commit()
    db.session.refresh(task)
    return entry


def add_note(task: Task, actor: User, note: str) -> TaskUpdate:
    """A note without a change of status or progress (co-operating units, monitors)."""
    progress = task.shown_progress
    entry = TaskUpdate(task_id=task.id, author_id=actor.id, old_status=task.status, new_status=task.status,
                       old_progress=progress, new_progress=progress, note=note.strip())
    db.session.add(entry)
    audit.record("task.note", task, actor=actor)
    db.session.commit()
    return entry


def update_assignment(task: Task, actor: User, *, deadline: date | None, cooperating_units: list[Organization],
                      reason: str) -> TaskUpdate:
    """A coordinator adjusts one task's effective deadline or co-operating units, saying why.

    The original deadline is kept: a new one is stored as the task's extended deadline with who, when and why
    (choosing the original date again removes the adjustment). The history row and the audit row say what changed.
    """
    reason = (reason or "").strip()
    units = sorted({unit.id: unit for unit in cooperating_units if unit.id != task.lead_unit_id}.values(),
                   key=lambda unit: unit.sort_key)
    old_deadline, old_units = task.effective_deadline, [unit.name for unit in task.cooperating_units]
    changes = {"deadline": (old_deadline, deadline), "cooperating_units": (old_units, [unit.name for unit in units])}
    tagged = audit.tagged_changes(changes)
    if not tagged:
        raise RuleError(_l("Nothing was changed: change the deadline or the co-operating units."))
    if deadline is None and task.deadline is not None:
        raise RuleError(_l("Enter a deadline: the original deadline can be moved, not removed."), field="deadline")
    if not reason:
        raise RuleError(_l("Write the reason for the change."), field="reason")
    moved = {}
    if "deadline" in tagged:
        moved = {"extended_deadline": None if deadline == task.deadline else deadline, "extended_by_id": actor.id,
                 "extended_at": utcnow(), "extension_reason": reason}
    task.cooperating_units = units
    compare_and_set(Task, task.id, task.version, **moved)  # a change of units alone moves the version too
    progress = task.shown_progress
    entry = TaskUpdate(task=task, author_id=actor.id, old_status=task.status, new_status=task.status,
                       old_progress=progress, new_progress=progress, note=reason, changes=tagged)
    db.session.add(entry)
    audit.record("task.reassign", task, actor=actor, changes=changes)
    db.session.commit()
    return entry
