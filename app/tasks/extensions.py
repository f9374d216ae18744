"""Extension requests: the lead unit asks for a later deadline with a reason; the district office approves (the
effective deadline moves, the original stays) or rejects with a reason. One pending request per task."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.extensions import db
from app.locking import compare_and_set
from app.models import ExtensionDecision, ExtensionRequest, NotificationKind, Task, TaskUpdate, User
from app.models.user import utcnow
from app.notifications import notify, task_coordinators
from app.permissions import can
from app.rules import RuleError

ALREADY_PENDING = _l("An extension request for this task is already waiting for a decision.")


def pending_request(task: Task) -> ExtensionRequest | None:
    """The task's request awaiting a decision, if any."""
    return db.session.scalar(select(ExtensionRequest).where(ExtensionRequest.task_id == task.id,
                                                            ExtensionRequest.decision.is_(None)))


def _history(task: Task, actor: User, note: str, changes: dict) -> TaskUpdate:
    progress = task.shown_progress
    entry = TaskUpdate(task_id=task.id, author_id=actor.id, old_status=task.status, new_status=task.status,
                       old_progress=progress, new_progress=progress, note=note, changes=audit.tagged_changes(changes))
    db.session.add(entry)
    return entry


def request_extension(task: Task, actor: User, *, deadline: date | None, reason: str) -> ExtensionRequest:
    """The lead unit asks for `deadline` instead of the effective one, saying why."""
    reason = (reason or "").strip()
    if not can(actor, "task.request_extension", task):
        raise RuleError(_l("Only the lead unit asks for an extension of an open task with a deadline."))
    if deadline is None:
        raise RuleError(_l("Enter the deadline you ask for."), field="deadline")
    if deadline <= task.effective_deadline:
        raise RuleError(_l("The deadline asked for must be later than the current one (%(date)s).",
                           date=task.effective_deadline.strftime("%d/%m/%Y")), field="deadline")
    if not reason:
        raise RuleError(_l("Write the reason for the extension."), field="reason")
    if pending_request(task) is not None:
        raise RuleError(ALREADY_PENDING)
    request = ExtensionRequest(task_id=task.id, requested_deadline=deadline, reason=reason, requested_by_id=actor.id)
    db.session.add(request)
    try:
        db.session.flush()  # the partial unique index: a request sent at the same moment by a colleague
    except IntegrityError as error:
        db.session.rollback()
        raise RuleError(ALREADY_PENDING) from error
    _history(task, actor, reason, {"requested_deadline": (task.effective_deadline, deadline)})
    audit.record("task.extension_request", task, actor=actor,
                 changes={"requested_deadline": (task.effective_deadline, deadline)})
    notify(NotificationKind.EXTENSION_REQUESTED, actor=actor, recipients=task_coordinators(task), task=task,
           note=reason)
    db.session.commit()
    return request


def decide_extension(request: ExtensionRequest, actor: User, *, approve: bool, note: str) -> ExtensionRequest:
    """Approve (the task's extended deadline becomes the one asked for) or reject (a reason is required)."""
    note = (note or "").strip()
    if not can(actor, "task.decide_extension", request):
        raise RuleError(_l("This extension request has already been decided."))
    if not approve and not note:
        raise RuleError(_l("Write why the extension is refused: the unit sees it."), field="note")
    task = request.task
    decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REJECTED
    request.decision, request.decided_by_id, request.decided_at, request.decision_note = (
        decision, actor.id, utcnow(), note)
    changes = {"extension_decision": (None, decision)}
    if approve:
        changes["deadline"] = (task.effective_deadline, request.requested_deadline)
        compare_and_set(Task, task.id, task.version, extended_deadline=request.requested_deadline,
                        extended_by_id=actor.id, extended_at=request.decided_at, extension_reason=request.reason)
    else:
        changes["requested_deadline"] = (task.effective_deadline, request.requested_deadline)
    _history(task, actor, note, changes)
    audit.record("task.extension_decide", task, actor=actor, changes=changes)
    notify(NotificationKind.EXTENSION_DECIDED, actor=actor, unit_id=task.lead_unit_id, task=task,
           note=note or request.reason)
    db.session.commit()
    return request
