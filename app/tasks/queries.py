"""Reading tasks within a user's scope: class counts, overdue and due-soon lists, the unit table. All in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import CLOSED_STATUSES, Directive, Item, Organization, Task, TaskStatus, User
from app.permissions import scoped
from app.task_classes import DUE_SOON_DAYS, REPORTED_CLASSES, TaskClass, task_class_expr


def with_details(stmt: Select) -> Select:
    """Load what a task row shows (item, directive, lead unit) in the same round trips, whatever the count."""
    return stmt.options(joinedload(Task.item).joinedload(Item.directive), joinedload(Task.lead_unit),
                        selectinload(Task.cooperating_units))


def class_counts(user: User, today: date, unit_id: int | None = None) -> dict[TaskClass, int]:
    """Number of tasks per class within the user's scope (optionally of one lead unit)."""
    task_class = task_class_expr(today).label("task_class")
    stmt = scoped(Task, user, select(task_class, func.count(Task.id))).group_by(task_class)
    if unit_id is not None:
        stmt = stmt.where(Task.lead_unit_id == unit_id)
    counts = {cls: 0 for cls in REPORTED_CLASSES}
    for cls, count in db.session.execute(stmt):
        if cls in counts:
            counts[TaskClass(cls)] = count
    return counts


def overdue_tasks(user: User, today: date, limit: int = 20) -> list[Task]:
    """Open tasks past their effective deadline, oldest deadline first."""
    stmt = scoped(Task, user).where(task_class_expr(today) == TaskClass.OPEN_OVERDUE.value)
    return db.session.scalars(with_details(stmt).order_by(Task.effective_deadline_expr(), Task.id)
                              .limit(limit)).unique().all()


def due_soon_tasks(user: User, today: date, limit: int = 20) -> list[Task]:
    """Open tasks whose effective deadline falls within the next few days."""
    deadline = Task.effective_deadline_expr()
    stmt = scoped(Task, user).where(Task.status.not_in(CLOSED_STATUSES),
                                    deadline.between(today, today + timedelta(days=DUE_SOON_DAYS)))
    return db.session.scalars(with_details(stmt).order_by(deadline, Task.id).limit(limit)).unique().all()


@dataclass
class UnitRow:
    unit_id: int
    name: str
    counts: dict[TaskClass, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def unit_class_table(today: date) -> list[UnitRow]:
    """Per lead unit, the number of tasks in each class; most overdue first."""
    task_class = task_class_expr(today).label("task_class")
    stmt = (select(Organization.id, Organization.name, task_class, func.count(Task.id))
            .join(Task, Task.lead_unit_id == Organization.id)
            .group_by(Organization.id, Organization.name, task_class))
    rows: dict[int, UnitRow] = {}
    for unit_id, name, cls, count in db.session.execute(stmt):
        row = rows.setdefault(unit_id, UnitRow(unit_id, name, {c: 0 for c in REPORTED_CLASSES}))
        if cls in row.counts:
            row.counts[TaskClass(cls)] = count
    return sorted(rows.values(), key=lambda r: (-r.counts[TaskClass.OPEN_OVERDUE], r.name))


@dataclass
class TaskFilters:
    unit_id: int | None = None
    directive_id: int | None = None
    task_class: str | None = None
    status: str | None = None
    q: str | None = None


def task_list_query(user: User, today: date, filters: TaskFilters) -> Select:
    """Tasks the user may see, filtered, most urgent first."""
    stmt = scoped(Task, user).join(Task.item).join(Item.directive)
    if filters.unit_id:
        stmt = stmt.where(Task.lead_unit_id == filters.unit_id)
    if filters.directive_id:
        stmt = stmt.where(Item.directive_id == filters.directive_id)
    if filters.task_class:
        stmt = stmt.where(task_class_expr(today) == filters.task_class)
    if filters.status:
        stmt = stmt.where(Task.status == TaskStatus(filters.status))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Item.title).like(pattern), func.lower(Directive.number).like(pattern),
                              func.lower(Directive.summary).like(pattern)))
    deadline = Task.effective_deadline_expr()
    return with_details(stmt).order_by(deadline.is_(None), deadline, Task.id)


def directive_grid(directive: Directive, today: date) -> dict[tuple[int, int], tuple[Task, str]]:
    """(lead unit id, item id) -> (task, class) for the org × item grid of a directive."""
    task_class = task_class_expr(today).label("task_class")
    stmt = (select(Task, task_class).join(Task.item).where(Item.directive_id == directive.id)
            .options(joinedload(Task.lead_unit)))
    return {(task.lead_unit_id, task.item_id): (task, cls) for task, cls in db.session.execute(stmt)}
