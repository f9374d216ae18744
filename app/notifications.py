"""Writing notifications: services call notify() inside their own transaction, so a change and the notice of it
are committed together or not at all; delivery (the bell, email) reads the rows afterwards."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import EmailMessage, Notification, NotificationKind, Role, Task, User
from app.models.user import utcnow


def unit_users(unit_id: int) -> list[User]:
    """The active users of a unit: who is notified of what happens to the unit's tasks and tickets."""
    return list(db.session.scalars(select(User).where(User.organization_id == unit_id, User.active)
                                   .order_by(User.id)))


def task_coordinators(task) -> list[User]:
    """The district office's users who review and decide on the task: its active coordinators.

    (The whole instance's for now; with an organization tree, those of the task's district.)
    """
    return list(db.session.scalars(select(User).where(User.role == Role.COORDINATOR, User.active)
                                   .order_by(User.id)))


def notify(kind: NotificationKind, *, actor: User | None, recipients: Iterable[User] = (),
           unit_id: int | None = None, task=None, directive=None, ticket=None, note: str = "") -> list[Notification]:
    """Add one notification per recipient (the given users, and every active user of `unit_id`) to the session.

    The actor is never notified of their own action. Nothing is committed: the caller's transaction holds it.
    """
    people = {user.id: user for user in recipients}
    if unit_id is not None:
        people.update((user.id, user) for user in unit_users(unit_id))
    if actor is not None:
        people.pop(actor.id, None)
    rows = [Notification(recipient_id=user_id, kind=kind, actor_id=actor.id if actor else None,
                         task_id=task.id if task is not None else None,
                         directive_id=directive.id if directive is not None else None,
                         ticket_id=ticket.id if ticket is not None else None, note=note)
            for user_id in sorted(people)]
    db.session.add_all(rows)
    if kind in EMAILED_AT_ONCE and rows:
        from app.emails import notification_email

        db.session.flush()
        for row in rows:
            queue_email(people[row.recipient_id], f"notification:{row.id}", *notification_email(row))
    return rows


def unread_count(user: User) -> int:
    """How many notifications the user has not read (the bell's number)."""
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))) or 0


# Kinds emailed at once, on the next `deliver` run; the others reach email only through the daily digest.
EMAILED_AT_ONCE = frozenset({NotificationKind.URGED})


def queue_email(user: User, key: str, subject: str, body: str) -> None:
    """Add an email for `user` to the outbox in the caller's transaction (nothing without SMTP or an address).

    The key makes it unique: a second message with the same key is never written (see app.delivery).
    """
    from app import mail  # the app's SMTP settings; imported here so models-only code does not need Flask

    if not mail.configured() or not user.email:
        return
    db.session.add(EmailMessage(key=key[:120], recipient_id=user.id, to_address=user.email,
                                subject=subject[:300], body=body))


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them); how many changed."""
    stmt = (update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow()))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    changed = db.session.execute(stmt).rowcount
    db.session.commit()
    return changed


def recent(user: User):
    """The user's notifications, newest first (a SELECT for the pager)."""
    return (select(Notification).where(Notification.recipient_id == user.id)
            .options(selectinload(Notification.actor),
                     selectinload(Notification.task).options(joinedload(Task.item), joinedload(Task.lead_unit)),
                     selectinload(Notification.directive), selectinload(Notification.ticket))
            .order_by(Notification.id.desc()))


def subject_url(notification: Notification) -> str:
    """The page a notification is about: its task, ticket or directive (the list when none)."""
    from flask import url_for

    if notification.task_id:
        return url_for("tasks.show", task_id=notification.task_id)
    if notification.ticket_id:
        return url_for("support.show", ticket_id=notification.ticket_id)
    if notification.directive_id:
        return url_for("directives.show", directive_id=notification.directive_id)
    return url_for("followup.notifications")
