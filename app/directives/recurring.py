"""Periodic reporting items (monthly, quarterly, 6-monthly, yearly): each period a new task for every unit the item
is assigned to, with the Decree 09/2019 cut-off (app.reports.periods) as its deadline.

The task of a period is unique per (item, unit, period), so two runners of `deliver` create it once.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from app.delivery import insert_ignoring_duplicates, write_transaction
from app.extensions import db
from app.models import Directive, Item, NotificationKind, Recurrence, Task, TaskStatus, TaskUpdate, task_cooperator
from app.models.user import utcnow
from app.notifications import notify
from app.reports.periods import Period, PeriodKind, period_containing


def period_of(recurrence: Recurrence, day: date) -> Period:
    """The reporting period of a periodic item that contains the day."""
    return period_containing(PeriodKind(recurrence.value), day)


def period_key(period: Period) -> str:
    """What Task.period stores: the period's first day."""
    return period.start.isoformat()


def default_deadline(period: Period) -> date:
    """A periodic task is due on its period's cut-off day (the 14th of the report month, Decree 09/2019)."""
    return period.end


def create_period_tasks(today: date) -> int:
    """For each periodic item of a directive still followed up, the current period's task for every unit whose
    last task of the item was not cancelled; how many tasks this call created."""
    items = db.session.scalars(select(Item).join(Item.directive).where(
        Item.recurrence.is_not(None), Directive.cancelled_on.is_(None)).order_by(Item.id)).all()
    created = 0
    for item in items:
        period = period_of(item.recurrence, today)
        key = period_key(period)
        latest = {}
        for task in db.session.scalars(select(Task).where(Task.item_id == item.id).order_by(Task.period, Task.id)):
            latest[task.lead_unit_id] = task
        units = [unit for unit, task in latest.items() if task.period < key and task.status != TaskStatus.CANCELLED]
        if not units:
            continue
        write_transaction()
        now = utcnow()
        ids = insert_ignoring_duplicates(Task, [{
            "item_id": item.id, "lead_unit_id": unit, "deadline": default_deadline(period), "period": key,
            "status": TaskStatus.ASSIGNED.value, "progress": 0, "version": 1, "extension_reason": "",
            "created_at": now, "updated_at": now} for unit in units])
        for task in db.session.scalars(select(Task).where(Task.id.in_(ids))):
            previous = latest[task.lead_unit_id]
            cooperating = db.session.scalars(select(task_cooperator.c.organization_id)
                                             .where(task_cooperator.c.task_id == previous.id)).all()
            if cooperating:
                db.session.execute(task_cooperator.insert(), [
                    {"task_id": task.id, "organization_id": unit} for unit in cooperating])
            db.session.add(TaskUpdate(task_id=task.id, author_id=None, old_status=None,
                                      new_status=TaskStatus.ASSIGNED, old_progress=None, new_progress=0, note=""))
            notify(NotificationKind.ASSIGNED, actor=None, unit_id=task.lead_unit_id, task=SimpleNamespace(id=task.id))
        db.session.commit()
        created += len(ids)
    return created
