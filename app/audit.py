"""Recording the audit trail. Services call record() inside their transaction; nothing secret is passed."""
from __future__ import annotations

import enum
from datetime import date
from typing import Any

from flask import current_app, g, has_app_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app import labels
from app.extensions import db
from app.models import AuditEvent, User

# The actions of the trail, with their labels on /admin/audit (an action missing here is shown by its name).
ACTION_LABELS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Sign-in refused"),
    "login.lockout": _l("Account locked after repeated failed sign-ins"),
    "logout": _l("Signed out"),
    "access.forbidden": _l("Refused: the role does not allow it"),
    "access.hidden_object": _l("Refused: another unit's object"),
    "unit.create": _l("Unit created"),
    "unit.update": _l("Unit changed"),
    "unit.activate": _l("Unit activated"),
    "unit.deactivate": _l("Unit deactivated"),
    "village.create": _l("Village created"),
    "village.update": _l("Village changed"),
    "user.create": _l("User created"),
    "user.update": _l("User changed"),
    "user.activate": _l("User activated"),
    "user.deactivate": _l("User deactivated"),
    "user.password_reset": _l("Password reset"),
    "user.password_change": _l("Password changed by its user"),
    "directive.create": _l("Directive recorded"),
    "directive.update": _l("Directive changed"),
    "item.create": _l("Item added to a directive"),
    "item.assign": _l("Item assigned to units"),
    "item.update": _l("Item changed"),
    "item.delete": _l("Item deleted"),
    "item.cancel": _l("Item's open tasks cancelled"),
    "item.unassign": _l("Task taken back from its unit"),
    "directive.cancel": _l("Directive cancelled"),
    "task.update": _l("Task status or progress changed"),
    "task.note": _l("Note added to a task"),
    "task.reassign": _l("Task deadline or units changed"),
    "task.submit": _l("Task reported complete, for review"),
    "task.accept": _l("Reported completion accepted"),
    "task.return": _l("Reported completion returned"),
    "task.extension_request": _l("Extension requested"),
    "task.extension_decide": _l("Extension request decided"),
    "attachment.add": _l("Files attached"),
    "team.create": _l("Team established"),
    "team.update": _l("Team changed"),
    "team.deactivate": _l("Team dissolved"),
    "team_member.create": _l("Team member added"),
    "team_member.update": _l("Team member changed"),
    "team_member.deactivate": _l("Team member removed"),
    "outreach.create": _l("Outreach activity logged"),
    "outreach.update": _l("Outreach activity changed"),
    "ticket.create": _l("Support requested"),
    "ticket.take": _l("Support request taken on"),
    "ticket.done": _l("Support request marked done"),
    "ticket.confirm": _l("Support confirmed"),
    "ticket.reopen": _l("Support request reopened"),
    "directive.import": _l("Items imported from a spreadsheet"),
    "document.urging_letter": _l("Urging letter drawn up"),
    "document.period_report": _l("Period report drawn up"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "calendar.set": _l("Working day moved"),
    "calendar.remove": _l("Moved working day taken back"),
    "instruction.create": _l("Instruction given"),
    "task.urge": _l("Unit urged on an overdue task"),
    "email.retry": _l("Failed emails queued again"),
}

# Names of the objects the trail refers to (AuditEvent.object_type), as shown on /admin/audit.
OBJECT_LABELS = {
    "Organization": _l("Unit"),
    "Village": _l("Village"),
    "User": _l("User"),
    "Directive": _l("Directive"),
    "Item": _l("Item"),
    "Task": _l("Task"),
    "Team": _l("Team"),
    "TeamMember": _l("Team member"),
    "OutreachActivity": _l("Outreach activity"),
    "SupportTicket": _l("Support request"),
    "ApiToken": _l("API token"),
    "CalendarDay": _l("Calendar day"),
}

# Fields named in `changes`, as /admin/audit shows them. Areas add their fields here.
FIELD_LABELS = {
    "name": _l("Name"), "short_name": _l("Short name"), "kind": _l("Kind"), "commune": _l("Commune"),
    "username": _l("Username"), "full_name": _l("Full name"), "email": _l("Email"), "phone": _l("Phone"),
    "role": _l("Role"), "unit": _l("Unit"), "active": _l("Active"),
    "status": _l("Status"), "progress": _l("Progress"), "deadline": _l("Deadline"),
    "cooperating_units": _l("Co-operating units"), "partner": _l("Partner"), "wanted_by": _l("Wanted by"),
    "village": _l("Village"), "established_on": _l("Established on"), "decision_number": _l("Decision number"),
    "position": _l("Position in the team"), "affiliation": _l("Affiliation"), "title": _l("Title"),
    "held_on": _l("Date"), "publish_contact": _l("Contact published"),
    "number": _l("Reference number"), "doc_type": _l("Document type"), "issuer": _l("Issuing body"),
    "issued_on": _l("Issue date"), "signer": _l("Signer"), "summary": _l("Summary"), "body": _l("Content / notes"),
    "final_deadline": _l("Final deadline"), "description": _l("Description"), "default_deadline": _l("Deadline"),
    "kpi": _l("Indicator"), "lead_units": _l("Lead units"), "cancel_reason": _l("Reason for the cancellation"),
    "cancelled_tasks": _l("Tasks cancelled"),
    "day": _l("Date"), "is_working_day": _l("Working day"), "urged": _l("Urged"),
    "imported_items": _l("Items imported"), "file": _l("File"), "document_number": _l("Document number"),
    "requested_deadline": _l("Deadline asked for"), "extension_decision": _l("Decision"),
    "review_required": _l("Completion reviewed by the district office"),
    "evidence_required": _l("Evidence required with the completion report"),
    "queued_messages": _l("Messages queued again"),
}

# Reasons stored in `detail` as keys, shown translated.
DETAIL_LABELS = {
    "unknown_username": _l("unknown username"),
    "wrong_password": _l("wrong password"),
    "account_locked": _l("the account is locked"),
    "inactive_account": _l("the account is deactivated"),
    "inactive_unit": _l("the user's unit is deactivated"),
}

# Execution option: begin this transaction holding the write lock (see _sqlite_begin in app/__init__.py).
WRITE_LOCK = "write_lock"


def remember_client_address() -> None:
    """Before each request: the address audit rows carry (behind a proxy, configure it to pass the client's)."""
    g.client_address = (request.remote_addr or "")[:45]


def record(action: str, obj: Any = None, *, actor: User | None, username: str = "", detail: str = "",
           changes: dict[str, tuple[Any, Any]] | None = None) -> None:
    """Add one audit row (committed with the caller's transaction): who, unit, address, action, object.

    `actor` is who acts; None for an anonymous one (a failed sign-in), with the `username` as typed.
    `changes` maps a field (a key of FIELD_LABELS) to its (old, new) values: enum members, dates, numbers,
    text, lists of those, or objects shown by their name; only the fields whose value differs are kept.
    """
    db.session.add(AuditEvent(
        user_id=actor.id if actor else None,
        username=(actor.username if actor else username)[:64],
        organization_id=actor.organization_id if actor else None,
        ip=g.get("client_address", "") if has_app_context() else "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail=detail[:300],
        changes=_tagged_changes(changes) if changes else None,
    ))


def _tag(value: Any) -> Any:
    """A JSON value that remembers what it was: an enum by its type, a date, an object by its name."""
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple, set)):
        return [_tag(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _tagged_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list]:
    return {field: [_tag(old), _tag(new)] for field, (old, new) in changes.items() if _tag(old) != _tag(new)}


def tagged_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list]:
    """`changes` in the JSON form audit rows keep (also a task's history rows); described_changes() reads it."""
    return _tagged_changes(changes)


def _shown(value: Any) -> str:
    """A tagged value as the audit page shows it: labels for enums, dd/mm/yyyy for dates."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict) and "enum" in value:
        return str(labels.label(value["value"], value["enum"]))
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"]).strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    return str(value)


def described_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each change the event records, in Vietnamese."""
    return [(str(FIELD_LABELS.get(field, field)), _shown(old), _shown(new))
            for field, (old, new) in (event.changes or {}).items()]


def record_refusal(action: str, obj: Any = None, *, actor: User | None, detail: str = "") -> None:
    """Record refused access and commit it at once: the request ends in an error, so nothing else is kept.

    The row is written in a short transaction of its own that takes the write lock at its start (BEGIN
    IMMEDIATE on SQLite): a GET's transaction begins deferred, and a deferred transaction that has read cannot
    wait for a concurrent writer; SQLite would answer "database is locked" at once and the row would be lost.
    A database that cannot take the row does not turn the refusal into a 500: the failure goes to the log.
    """
    db.session.rollback()
    try:
        db.session.connection(execution_options={WRITE_LOCK: True})
        record(action, obj, actor=actor, detail=detail)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not record %s in the audit trail", action)


def events_query(action: str | None = None, username: str | None = None) -> Select:
    """Audit events, newest first, optionally of one action and of usernames containing `username`."""
    stmt = (select(AuditEvent).options(selectinload(AuditEvent.organization))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if username:
        pattern = username.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(AuditEvent.username).like(f"%{pattern}%", escape="\\"))
    return stmt
