"""Writing notifications: services call notify() inside their own transaction, so a change and the notice of it
are committed together or not at all; delivery (the bell, email) reads the rows afterwards."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, NotificationKind, Role, User


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
    return rows


def unread_count(user: User) -> int:
    """How many notifications the user has not read (the bell's number)."""
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))) or 0
