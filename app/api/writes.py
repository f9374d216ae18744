"""The API's writing views: a lead unit changes its task, a partner or a commune moves a ticket. The web's
services do the work, so history, audit and notifications are the same; If-Match carries the version read."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.api import bp, problems, schemas
from app.api.etags import require_if_match, with_etag
from app.api.routes import _task_out, operation
from app.models import SupportTicket, Task, TaskStatus
from app.permissions import get_or_404, ticket_side
from app.rules import Conflict, RuleError
from app.support import services as support
from app.tasks import review
from app.tasks import services as tasks

bp.register_error_handler(RuleError, problems.from_rule_error)
bp.register_error_handler(Conflict, problems.from_conflict)

NOTHING_TO_CHANGE = _l("Send a status, a progress or a note: the request changes nothing.")


@bp.route("/tasks/<int:task_id>", methods=["PATCH"])
@operation("task.update_status", schemas.TaskOut, body=schemas.TaskChange, one=True, etag=True)
def update_task(change, task_id: int, *, user):
    """Change a task's status, progress and note (a user of its lead unit, or the district office)."""
    task = get_or_404(Task, task_id, user, "task.update_status")
    version = require_if_match(task.version)
    if "status" not in change and "progress" not in change and not change["note"].strip():
        raise RuleError(NOTHING_TO_CHANGE)
    if change.get("status") == TaskStatus.SUBMITTED:  # a completion report, as the web's form sends it
        review.submit_completion(task, user, note=change["note"], uploads=[], version=version)
    else:
        tasks.change_status(task, user, status=change.get("status") or task.status,
                            progress=change.get("progress", task.progress), note=change["note"], version=version)
    task = _task_out(task)
    return with_etag(schemas.TaskOut, task, url_for("tasks.show", task_id=task.id))


@bp.post("/tickets/<int:ticket_id>/transitions")
@operation("support.view", schemas.TicketOut, body=schemas.TicketMove, one=True, etag=True)
def move_ticket(move, ticket_id: int, *, user):
    """Move a ticket: the partner takes it or marks it done, the commune confirms or reopens it."""
    action = move["action"]
    ticket = get_or_404(SupportTicket, ticket_id, user, ticket_side(action))
    version = require_if_match(ticket.version)
    ticket = support.move(ticket, action, actor=user, version=version, note=move["note"])
    return with_etag(schemas.TicketOut, ticket, url_for("support.show", ticket_id=ticket.id))
