"""notify() writes one row per recipient in the caller's transaction, never to the actor."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, NotificationKind, Role
from app.notifications import notify, unread_count
from tests.factories import make_task, make_unit, make_user


def test_a_unit_is_notified_through_its_active_users_but_not_the_actor(app):
    with app.app_context():
        commune = make_unit()
        first, second = make_user(unit=commune), make_user(unit=commune)
        make_user(unit=commune, active=False)
        coordinator = make_user(role=Role.COORDINATOR)
        task = make_task(commune)
        notify(NotificationKind.RETURNED, actor=first, unit_id=commune.id, task=task, note="Thiếu ảnh")
        notify(NotificationKind.URGED, actor=first, recipients=[coordinator], task=task)
        db.session.commit()
        rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
        assert [(row.recipient_id, row.kind) for row in rows] == [
            (second.id, NotificationKind.RETURNED), (coordinator.id, NotificationKind.URGED)]
        assert rows[0].task_id == task.id and rows[0].note == "Thiếu ảnh"
        assert unread_count(second) == 1 and unread_count(first) == 0


def test_nothing_is_written_when_the_callers_transaction_rolls_back(app):
    with app.app_context():
        commune = make_unit()
        user = make_user(unit=commune)
        notify(NotificationKind.ASSIGNED, actor=None, unit_id=commune.id)
        db.session.rollback()
        assert unread_count(user) == 0
