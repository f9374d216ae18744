"""The scheduled work of `flask --app wsgi deliver`: reminders of deadlines, the daily digests, the periodic tasks,
then the outbox. Every step may run on several servers at once: each writes through a unique key
(reminder, email_message.key, task (item, unit, period)) with INSERT … ON CONFLICT DO NOTHING, so what one runner
wrote the other skips.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import mail
from app.clock import DISTRICT_TIMEZONE
from app.delivery import insert_ignoring_duplicates, send_pending, write_transaction
from app.emails import digest_email
from app.extensions import db
from app.models import (
    CLOSED_STATUSES,
    EmailMessage,
    Item,
    NotificationKind,
    Reminder,
    SupportTicket,
    Task,
    TicketStatus,
    User,
)
from app.models.user import utcnow
from app.notifications import notify
from app.tasks.classes import TaskClass, class_condition, due_soon_condition

CHUNK = 500
DIGEST_LIST_LIMIT = 20


def create_reminders(today: date) -> int:
    """Notify each open task's lead unit once per deadline that it is due within 3 working days, and once that it
    is overdue; how many tasks were reminded."""
    reminded = 0
    for kind, condition in ((NotificationKind.DUE_SOON, due_soon_condition(today)),
                            (NotificationKind.OVERDUE, class_condition(TaskClass.OPEN_OVERDUE, today))):
        rows = db.session.execute(select(Task.id, Task.lead_unit_id, Task.open_deadline)
                                  .where(condition).order_by(Task.id)).all()
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            write_transaction()
            written = set(insert_ignoring_duplicates(Reminder, [
                {"task_id": task_id, "kind": kind.value, "deadline": deadline} for task_id, _, deadline in chunk]))
            reminder_tasks = set(db.session.scalars(select(Reminder.task_id).where(Reminder.id.in_(written))))
            for task_id, unit_id, _ in chunk:
                if task_id in reminder_tasks:
                    notify(kind, actor=None, unit_id=unit_id, task=SimpleNamespace(id=task_id))
            db.session.commit()
            reminded += len(reminder_tasks)
    return reminded


@dataclass
class DigestContent:
    new: list[Task]
    due_soon: list[Task]
    overdue: list[Task]
    to_confirm: list[SupportTicket]

    def __bool__(self) -> bool:
        return bool(self.new or self.due_soon or self.overdue or self.to_confirm)


def digest_content(unit_id: int, today: date, since: datetime) -> DigestContent:
    """A unit's new tasks (assigned since `since`), due-soon and overdue tasks, tickets waiting for confirmation."""
    tasks = (select(Task).where(Task.lead_unit_id == unit_id)
             .options(joinedload(Task.item).joinedload(Item.directive)).limit(DIGEST_LIST_LIMIT))
    by_deadline = (Task.open_deadline, Task.id)
    return DigestContent(
        new=list(db.session.scalars(tasks.where(Task.status.not_in(CLOSED_STATUSES), Task.created_at >= since)
                                    .order_by(Task.id))),
        due_soon=list(db.session.scalars(tasks.where(due_soon_condition(today)).order_by(*by_deadline))),
        overdue=list(db.session.scalars(tasks.where(class_condition(TaskClass.OPEN_OVERDUE, today))
                                        .order_by(*by_deadline))),
        to_confirm=list(db.session.scalars(
            select(SupportTicket).where(SupportTicket.commune_id == unit_id, SupportTicket.status == TicketStatus.DONE)
            .options(joinedload(SupportTicket.partner)).order_by(SupportTicket.id).limit(DIGEST_LIST_LIMIT))))


def digest_time() -> time:
    """DIGEST_TIME (HH:MM, Asia/Ho_Chi_Minh); 07:00 when the setting is not a time."""
    try:
        return time.fromisoformat(current_app.config.get("DIGEST_TIME") or "07:00")
    except ValueError:
        return time(7, 0)


def queue_digests(now: datetime) -> int:
    """From DIGEST_TIME on, one digest per user and day (email_message.key), none when there is nothing to say."""
    local = now.astimezone(DISTRICT_TIMEZONE)
    if not mail.configured() or local.time() < digest_time():
        return 0
    today = local.date()
    since = datetime.combine(today - timedelta(days=1), digest_time(), DISTRICT_TIMEZONE)
    users = db.session.scalars(select(User).where(User.active, User.email_digest, User.email.is_not(None),
                                                  User.email != "").order_by(User.organization_id, User.id)).all()
    done = set(db.session.scalars(select(EmailMessage.key).where(EmailMessage.key.like(f"digest:%:{today}"))))
    queued, contents = 0, {}
    for user in users:
        key = f"digest:{user.id}:{today.isoformat()}"
        if key in done:
            continue
        if user.organization_id not in contents:
            contents[user.organization_id] = digest_content(user.organization_id, today, since)
        content = contents[user.organization_id]
        if not content:
            continue
        subject, body = digest_email(user, today, new=content.new, due_soon=content.due_soon,
                                     overdue=content.overdue, to_confirm=content.to_confirm)
        write_transaction()
        queued += len(insert_ignoring_duplicates(EmailMessage, [{
            "key": key, "recipient_id": user.id, "to_address": user.email, "subject": subject, "body": body,
            "state": "pending", "attempts": 0, "next_attempt_at": utcnow(), "last_error": "",
            "created_at": utcnow()}]))
        db.session.commit()
    return queued


@dataclass
class DeliverResult:
    reminders: int
    periodic_tasks: int
    digests: int
    sent: int
    failed: int


def deliver(now: datetime, today: date) -> DeliverResult:
    """Everything `flask deliver` does, in order: periodic tasks, reminders, digests, then the outbox."""
    from app.directives.recurring import create_period_tasks

    periodic = create_period_tasks(today)
    reminders = create_reminders(today)
    digests = queue_digests(now)
    sent, failed = send_pending()
    return DeliverResult(reminders, periodic, digests, sent, failed)

