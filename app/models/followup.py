"""Follow-up of deadlines: the working-day calendar, leaders' instructions, reminders sent, the email outbox."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import _enum
from app.models.user import User, utcnow


class CalendarDay(db.Model):
    """A day an administrator moved (the Government's yearly decision): a weekday off (nghỉ bù) or a weekend day
    worked (làm bù). It overrides the weekend rule and the `holidays` package for that date."""

    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Instruction(db.Model):
    """An instruction (ý kiến chỉ đạo) of a leader or the district office on a task or a directive."""

    __tablename__ = "instruction"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship()


class Reminder(db.Model):
    """That a task's due-soon or overdue notice was written, for one deadline: written once, whoever runs."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("task_id", "kind", "deadline", name="uq_reminder_task_id_kind_deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    deadline: Mapped[date] = mapped_column(Date)


class EmailState(enum.StrEnum):
    PENDING = "pending"  # waiting for a runner (or for its next attempt)
    SENDING = "sending"  # claimed by one runner
    SENT = "sent"
    FAILED = "failed"  # the last attempt failed: shown to administrators


class EmailMessage(db.Model):
    """One email to send (an urge at once, a user's daily digest): written in a transaction, sent by `deliver`.

    `key` makes a message unique (one digest per user per day); runners claim rows before sending them.
    """

    __tablename__ = "email_message"
    __table_args__ = (Index("ix_email_message_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[EmailState] = mapped_column(_enum(EmailState, "email_state"), default=EmailState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    recipient: Mapped[User] = relationship()
