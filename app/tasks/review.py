"""Completion review: the lead unit reports a task done with a result and evidence, the district office accepts
(done on the day it was reported) or returns it with a reason. Each step one history row, one audit row, a notice."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.clock import local
from app.evidence.files import Upload, accepted, attach
from app.extensions import db
from app.locking import compare_and_set
from app.models import ExtensionRequest, Item, NotificationKind, Task, TaskStatus, TaskUpdate, User
from app.notifications import notify, task_coordinators
from app.permissions import can
from app.rules import RuleError
from app.tasks.services import coverage_below_target, coverage_target_of

NOT_REPORTABLE = _l("This task cannot be reported complete now: only its lead unit reports an open task whose item "
                    "asks for review.")


def local_date(moment: datetime) -> date:
    """The district's date of a stored time (SQLite gives it back without its zone: UTC)."""
    return local(moment).date()


def _history(task: Task, actor: User, old_status: TaskStatus, new_status: TaskStatus, old_progress: int,
             new_progress: int, note: str) -> TaskUpdate:
    entry = TaskUpdate(task_id=task.id, author_id=actor.id, old_status=old_status, new_status=new_status,
                       old_progress=old_progress, new_progress=new_progress, note=note)
    db.session.add(entry)
    db.session.flush()
    return entry


def submit_completion(task: Task, actor: User, *, note: str, uploads: list[Upload], version: int) -> TaskUpdate:
    """The lead unit reports the task complete: status submitted, progress 100 (computed for coverage tasks)."""
    note = (note or "").strip()
    if not can(actor, "task.submit", task):
        raise RuleError(NOT_REPORTABLE)
    if not note:
        raise RuleError(_l("Write the result: what was done."), field="note")
    files = accepted(uploads)
    if task.item.evidence_required and not files:
        raise RuleError(_l("This item asks for evidence: attach at least one file (a photo, a PDF...)."),
                        field="files")
    computed = bool(task.progress_from_coverage)
    old_progress = task.shown_progress if computed else task.progress
    if computed and old_progress < coverage_target_of(task.item):
        raise RuleError(coverage_below_target(old_progress, coverage_target_of(task.item)))
    new_progress = old_progress if computed else 100
    old_status = task.status
    values = {"status": TaskStatus.SUBMITTED, "completed_on": None}
    if not computed:
        values["progress"] = new_progress
    compare_and_set(Task, task.id, version, **values)
    entry = _history(task, actor, old_status, TaskStatus.SUBMITTED, old_progress, new_progress, note)
    attach(files, actor=actor, task_update_id=entry.id)
    changes = {"status": (old_status, TaskStatus.SUBMITTED)}
    if files:
        changes["file"] = (None, [file.filename for file in files])
    audit.record("task.submit", task, actor=actor, changes=changes)
    notify(NotificationKind.SUBMITTED, actor=actor, recipients=task_coordinators(task), task=task, note=note)
    db.session.commit()
    db.session.refresh(task)
    return entry


def submitted_on(task: Task) -> date:
    """The day the pending completion was reported (its last history row into `submitted`)."""
    moment = db.session.scalar(select(TaskUpdate.at).where(TaskUpdate.task_id == task.id,
                                                           TaskUpdate.new_status == TaskStatus.SUBMITTED)
                               .order_by(TaskUpdate.id.desc()).limit(1))
    return local_date(moment)


def _decide(task: Task, actor: User, version: int) -> None:
    if not can(actor, "task.review", task):
        raise RuleError(_l("This task is not awaiting review."))


def accept_completion(task: Task, actor: User, *, note: str, version: int) -> TaskUpdate:
    """Accept the reported completion: done, completed on the day it was reported (a slow review is not the unit's
    delay)."""
    _decide(task, actor, version)
    note = (note or "").strip()
    completed_on = submitted_on(task)
    progress = task.shown_progress
    compare_and_set(Task, task.id, version, status=TaskStatus.DONE, completed_on=completed_on)
    entry = _history(task, actor, TaskStatus.SUBMITTED, TaskStatus.DONE, progress, progress,
                     note or str(_l("Completion accepted.")))
    audit.record("task.accept", task, actor=actor, changes={"status": (TaskStatus.SUBMITTED, TaskStatus.DONE)})
    notify(NotificationKind.ACCEPTED, actor=actor, unit_id=task.lead_unit_id, task=task, note=note)
    db.session.commit()
    db.session.refresh(task)
    return entry


def return_completion(task: Task, actor: User, *, note: str, version: int) -> TaskUpdate:
    """Send the reported completion back with the reason: in progress again, the lead unit notified."""
    _decide(task, actor, version)
    reason = (note or "").strip()
    if not reason:
        raise RuleError(_l("Write why the completion is returned: the unit sees it."), field="note")
    progress = task.shown_progress
    compare_and_set(Task, task.id, version, status=TaskStatus.IN_PROGRESS, completed_on=None)
    entry = _history(task, actor, TaskStatus.SUBMITTED, TaskStatus.IN_PROGRESS, progress, progress, reason)
    audit.record("task.return", task, actor=actor,
                 changes={"status": (TaskStatus.SUBMITTED, TaskStatus.IN_PROGRESS)})
    notify(NotificationKind.RETURNED, actor=actor, unit_id=task.lead_unit_id, task=task, note=reason)
    db.session.commit()
    db.session.refresh(task)
    return entry


REVIEW_LIST_SIZE = 10


def awaiting_review(user: User, limit: int = REVIEW_LIST_SIZE) -> tuple[int, list[Task]]:
    """Reported completions in the user's scope: how many, and the longest-waiting first (bounded); one statement
    (the count is a window over the whole set, computed before the limit)."""
    from app.permissions import scoped
    stmt = (scoped(Task, user).where(Task.status == TaskStatus.SUBMITTED).add_columns(func.count().over())
            .options(joinedload(Task.item).joinedload(Item.directive), joinedload(Task.lead_unit))
            .order_by(Task.updated_at, Task.id).limit(limit))
    rows = db.session.execute(stmt).all()
    return (rows[0][1] if rows else 0), [row[0] for row in rows]


def pending_extensions(user: User, limit: int = REVIEW_LIST_SIZE) -> tuple[int, list[ExtensionRequest]]:
    """Extension requests awaiting a decision in the user's scope: how many, and the oldest first (bounded); one
    statement, as awaiting_review."""
    from app.permissions import scoped
    stmt = (scoped(ExtensionRequest, user).where(ExtensionRequest.decision.is_(None))
            .add_columns(func.count().over())
            .options(joinedload(ExtensionRequest.task).joinedload(Task.item),
                     joinedload(ExtensionRequest.task).joinedload(Task.lead_unit))
            .order_by(ExtensionRequest.requested_at, ExtensionRequest.id).limit(limit))
    rows = db.session.execute(stmt).all()
    return (rows[0][1] if rows else 0), [row[0] for row in rows]
