"""Extension requests: a lead unit asks for a later deadline, the district office decides."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.directive import Task
from app.models.org import _enum, unique_where
from app.models.user import User, utcnow


class ExtensionDecision(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionRequest(db.Model):
    """One request for a new deadline, with its reason, and the decision on it once made."""

    __tablename__ = "extension_request"
    __table_args__ = (
        unique_where("uq_extension_request_pending", "task_id", "decision IS NULL"),  # one pending per task
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    requested_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decision: Mapped[ExtensionDecision | None] = mapped_column(_enum(ExtensionDecision, "extension_decision"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    task: Mapped[Task] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
