"""The audit trail: one row per security-relevant event; never a password or token."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Organization
from app.models.user import utcnow


class AuditEvent(db.Model):
    """Who did what, when, from where, to which object."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), default="")  # as typed, for failed sign-ins
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    ip: Mapped[str] = mapped_column(String(45), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(300), default="")
    # What changed: {field: [old, new]}, values tagged so the page shows labels and dd/mm/yyyy (app.audit).
    changes: Mapped[dict | None] = mapped_column(JSON)

    organization: Mapped[Organization | None] = relationship()
