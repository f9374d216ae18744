"""Recording the audit trail. Services call record() inside their transaction; nothing secret is passed."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, User


def record(action: str, obj: Any = None, *, user: User | None = None, username: str = "", detail: str = "") -> None:
    """Add one audit row (committed with the caller's transaction): who, unit, IP, action, object."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    db.session.add(AuditEvent(
        user_id=user.id if user else None,
        username=(user.username if user else username)[:64],
        organization_id=user.organization_id if user else None,
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail=detail[:300],
    ))
