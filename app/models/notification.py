"""Notifications: one row per recipient, written in the same transaction as the change that causes it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import _enum
from app.models.user import User, utcnow


class NotificationKind(enum.StrEnum):
    ASSIGNED = "assigned"  # a new task for the unit
    SUBMITTED = "submitted"  # a unit reported a completion: for the district office to review
    RETURNED = "returned"  # a reported completion sent back
    ACCEPTED = "accepted"  # a reported completion accepted
    EXTENSION_REQUESTED = "extension_requested"  # for the district office to decide
    EXTENSION_DECIDED = "extension_decided"
    INSTRUCTION = "instruction"  # ý kiến chỉ đạo
    URGED = "urged"  # đôn đốc
    DUE_SOON = "due_soon"  # due within 3 working days
    OVERDUE = "overdue"
    TICKET_TO_CONFIRM = "ticket_to_confirm"  # a partner marked the commune's ticket done
    TICKET_NEW = "ticket_new"  # a commune asked the partner for support


class Notification(db.Model):
    """One event for one user: what happened, to which object, by whom; read or not."""

    __tablename__ = "notification"
    __table_args__ = (
        # The bell: a user's unread rows, newest first.
        Index("ix_notification_recipient_unread", "recipient_id", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, "notification_kind"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("support_ticket.id"), index=True)
    # Free text the cause carries: the reason of a return, the instruction, the decision on an extension.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    # What the notification is about, for its line in the list.
    task: Mapped["Task | None"] = relationship("Task")  # noqa: F821 (the models import each other by name)
    directive: Mapped["Directive | None"] = relationship("Directive")  # noqa: F821
    ticket: Mapped["SupportTicket | None"] = relationship("SupportTicket")  # noqa: F821
