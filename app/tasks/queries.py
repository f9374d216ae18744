"""Reading tasks within a user's scope: class counts, overdue and due-soon lists, the unit table. All in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.extensions import db
from app.models import Directive, Item, Organization, Task, TaskStatus, TaskUpdate, User, task_cooperator
from app.models.org import PATH_END
from app.pager import Keyset
from app.permissions import can, child_areas, in_subtree, scoped
from app.tasks.classes import REPORTED_CLASSES, TaskClass, class_condition, due_soon_condition, task_class_expr
from app.teams.coverage import prime_progress
from app.vntext import like_contains, sort_key


def with_details(stmt: Select) -> Select:
    """Load what a task row shows (item, directive, lead unit) in the same round trips, whatever the count."""
    return stmt.options(joinedload(Task.item).joinedload(Item.directive), joinedload(Task.lead_unit),
                        selectinload(Task.cooperating_units))


COUNTED_CLASSES = (*REPORTED_CLASSES, TaskClass.CANCELLED)  # cancelled is counted beside the classes


def _cooperates(unit_id: int):
    """SQL: the task has `unit_id` among its co-operating units."""
    return Task.id.in_(select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id == unit_id))


def class_counts(user: User, today: date, unit_id: int | None = None, *,
                 cooperating: bool = False) -> dict[TaskClass, int]:
    """Number of tasks per class (and cancelled) within the user's scope.

    With `unit_id`: the tasks that unit leads (chủ trì), or with `cooperating` those it co-operates on (phối hợp).
    """
    task_class = task_class_expr(today).label("task_class")
    stmt = scoped(Task, user, select(task_class, func.count(Task.id))).group_by(task_class)
    if unit_id is not None:
        stmt = stmt.where(_cooperates(unit_id) if cooperating else Task.lead_unit_id == unit_id)
    counts = {cls: 0 for cls in COUNTED_CLASSES}
    for cls, count in db.session.execute(stmt):
        counts[TaskClass(cls)] = count
    return counts


def _first(stmt: Select, limit: int) -> list[Task]:
    """The first open tasks of `stmt` by deadline, read in the order of the (open_deadline, id) index."""
    tasks = db.session.scalars(with_details(stmt).order_by(Task.open_deadline, Task.id).limit(limit)).unique().all()
    prime_progress(tasks)
    return tasks


def overdue_tasks(user: User, today: date, limit: int = 12) -> list[Task]:
    """Open tasks past their effective deadline, oldest deadline first."""
    return _first(scoped(Task, user).where(class_condition(TaskClass.OPEN_OVERDUE, today)), limit)


def due_soon_tasks(user: User, today: date, limit: int = 12) -> list[Task]:
    """Open tasks whose effective deadline falls within the next 3 working days (app.calendar.due_soon_until)."""
    return _first(scoped(Task, user).where(due_soon_condition(today)), limit)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    counts: dict[TaskClass, int]  # tasks the unit leads, per class and cancelled
    cooperating: int = 0  # tasks the unit co-operates on, counted in their lead unit's row

    @property
    def total(self) -> int:
        """Tasks the unit leads, cancelled ones left out."""
        return sum(self.counts[cls] for cls in REPORTED_CLASSES)


def led_class_counts(user: User, today: date) -> list[tuple]:
    """(unit id, name, short name, class, tasks) for every lead unit in the user's scope: one grouped query that the
    district dashboard reads for its counts, its unit table and its overview (every task has one lead unit)."""
    task_class = task_class_expr(today).label("task_class")
    stmt = (scoped(Task, user, select(Organization.id, Organization.name, Organization.short_name, task_class,
                                      func.count(Task.id)))
            .join(Organization, Organization.id == Task.lead_unit_id)
            .group_by(Organization.id, Organization.name, Organization.short_name, task_class))
    return [tuple(row) for row in db.session.execute(stmt)]


def total_counts(led: list[tuple]) -> dict[TaskClass, int]:
    """The class counts of led_class_counts() rows summed over the units (what class_counts() gives for them)."""
    counts = {cls: 0 for cls in COUNTED_CLASSES}
    for _unit_id, _name, _short_name, cls, count in led:
        counts[TaskClass(cls)] += count
    return counts


def unit_class_table(user: User, today: date, led: list[tuple] | None = None) -> list[UnitRow]:
    """Per unit of the user's subtree, the tasks it leads in each class, and how many it co-operates on; most
    overdue first.

    `led`: the rows of led_class_counts() when the caller has them already.
    """
    if led is None:
        task_class = task_class_expr(today).label("task_class")
        led = db.session.execute(select(Organization.id, Organization.name, Organization.short_name, task_class,
                                        func.count(Task.id))
                                 .join(Task, Task.lead_unit_id == Organization.id)
                                 .where(in_subtree(Organization.id, user))
                                 .group_by(Organization.id, Organization.name, Organization.short_name,
                                           task_class)).all()
    cooperating = (select(Organization.id, Organization.name, func.count(task_cooperator.c.task_id))
                   .join(task_cooperator, task_cooperator.c.organization_id == Organization.id)
                   .where(in_subtree(Organization.id, user))
                   .group_by(Organization.id, Organization.name))
    rows: dict[int, UnitRow] = {}

    def row_of(unit_id: int, name: str) -> UnitRow:
        return rows.setdefault(unit_id, UnitRow(unit_id, name, {c: 0 for c in COUNTED_CLASSES}))

    for unit_id, name, _short_name, cls, count in led:
        row_of(unit_id, name).counts[TaskClass(cls)] = count
    for unit_id, name, count in db.session.execute(cooperating):
        row_of(unit_id, name).cooperating = count
    return sorted(rows.values(), key=lambda r: (-r.counts[TaskClass.OPEN_OVERDUE], sort_key(r.name)))


def area_class_table(user: User, today: date) -> list[UnitRow]:
    """The roll-up by the level below the user's (a province's districts): per area, the tasks its units lead in
    each class; empty when no administrative level lies below."""
    area, lead = aliased(Organization), aliased(Organization)
    areas = child_areas(user).subquery()
    task_class = task_class_expr(today).label("task_class")
    # Outer joins: one statement lists every area, one with no task too (its class is NULL).
    stmt = (select(area.id, area.name, task_class, func.count(Task.id))
            .join(areas, areas.c.id == area.id)
            .outerjoin(lead, and_(lead.path >= area.path, lead.path < area.path + PATH_END))
            .outerjoin(Task, Task.lead_unit_id == lead.id)
            .group_by(area.id, area.name, area.sort_key, task_class).order_by(area.sort_key))
    rows: dict[int, UnitRow] = {}
    for area_id, name, cls, count in db.session.execute(stmt):
        row = rows.setdefault(area_id, UnitRow(area_id, name, {c: 0 for c in COUNTED_CLASSES}))
        if cls is not None and count:
            row.counts[TaskClass(cls)] = count
    return list(rows.values())


@dataclass
class TaskFilters:
    unit_id: int | None = None
    directive_id: int | None = None
    task_class: str | None = None
    status: str | None = None
    q: str | None = None


def task_list_query(user: User, today: date, filters: TaskFilters) -> Select:
    """Rows of (Task, task_class) the user may see, filtered, most urgent first; the class computed in SQL."""
    task_class = task_class_expr(today).label("task_class")
    stmt = scoped(Task, user, select(Task, task_class)).join(Task.item).join(Item.directive)
    if filters.unit_id:
        stmt = stmt.where(Task.lead_unit_id == filters.unit_id)
    if filters.directive_id:
        stmt = stmt.where(Item.directive_id == filters.directive_id)
    if filters.task_class:  # comparisons on the stored deadlines, which an index serves (no CASE in the WHERE)
        stmt = stmt.where(class_condition(filters.task_class, today))
    if filters.status:
        stmt = stmt.where(Task.status == TaskStatus(filters.status))
    if filters.q:  # case, diacritics and wildcards typed by users do not matter (app.vntext)
        stmt = stmt.where(or_(like_contains(Item.search_text, filters.q),
                              like_contains(Directive.search_text, filters.q)))
    deadline = Task.effective_deadline_expr()
    return with_details(stmt).order_by(deadline.is_(None), deadline, Task.id)


# Open classes have a deadline (open_deadline is not NULL): their list pages by keyset on the (open_deadline, id)
# index, the same order as the task list's (effective deadline, then id).
OPEN_KEYSET = Keyset(Task.open_deadline, Task.id, key_of=lambda row: (row[0].open_deadline, row[0].id))


def task_list_keyset(filters: TaskFilters) -> Keyset | None:
    """The keyset the filtered task list pages by, when its order allows one."""
    return OPEN_KEYSET if filters.task_class in (TaskClass.OPEN_OVERDUE, TaskClass.OPEN_ON_TIME) else None


def visible_lead_units(user: User) -> list[Organization]:
    """The units leading a task the user may see, grouped and ordered as unit pickers are."""
    led = scoped(Task, user, select(Task.lead_unit_id))
    return db.session.scalars(select(Organization).where(Organization.id.in_(led))
                              .order_by(*Organization.picker_order())).all()


def history_query(task_id: int) -> Select:
    """The task's changes with their authors; read newest first by id, ix_task_update_task_id_id serves the filter
    and the order (the task page's latest, the API's keyset pages)."""
    return select(TaskUpdate).where(TaskUpdate.task_id == task_id).options(selectinload(TaskUpdate.author))


DIRECTIVE_CHOICES = 30  # the task list's directive filter offers the newest; the search box finds any other


def visible_directives(user: User, limit: int | None = DIRECTIVE_CHOICES,
                       include: int | None = None) -> list[Directive]:
    """The directives with a task the user may see, newest first: the first `limit`, and `include` (the one
    chosen) when the user may see it."""
    with_tasks = scoped(Task, user, select(Item.directive_id).join(Task.item))
    visible = select(Directive).where(Directive.id.in_(with_tasks))
    directives = db.session.scalars(visible.order_by(Directive.issued_on.desc(), Directive.id.desc())
                                    .limit(limit)).all()
    if include and all(directive.id != include for directive in directives):
        directives += db.session.scalars(visible.where(Directive.id == include)).all()
    return directives


def reader_of(task: Task, user: User) -> str:
    """How the user stands to the task, for what its page says: lead, coordinator, cooperating or monitor."""
    if user.organization_id == task.lead_unit_id:
        return "lead"
    if can(user, "task.cancel", task):
        return "coordinator"
    if any(unit.id == user.organization_id for unit in task.cooperating_units):
        return "cooperating"
    return "monitor"
