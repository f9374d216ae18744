"""The unit × item grid of a directive: a cell per task coloured by class, totals per unit and per item (in SQL)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Directive, Item, Organization, Task, User
from app.pager import Page, paginate
from app.permissions import scoped
from app.tasks.classes import REPORTED_CLASSES, TaskClass, task_class_expr
from app.teams.coverage import prime_progress

# The classes a total lists, in this order (cancelled tasks are counted apart from the four classes).
TOTAL_CLASSES = (*REPORTED_CLASSES, TaskClass.CANCELLED)
UNITS_PER_PAGE = 25  # rows of the grid on the directive's page (a district's ~20 units fit); exports hold all


@dataclass
class Grid:
    items: list[Item]
    units: list[Organization]  # the lead units of this page (all of them without paging)
    cells: dict[tuple[int, int], tuple[Task, str]]  # (lead unit id, item id) -> (task, class)
    unit_totals: dict[int, dict[str, int]]  # lead unit id -> class -> number of tasks
    item_totals: dict[int, dict[str, int]]  # item id -> class -> number of tasks, over every unit
    page: Page | None = None  # the pager of the units, when paged

    def __bool__(self) -> bool:
        return bool(self.cells)


def visible_items(directive: Directive, user: User) -> list[Item]:
    """The directive's items the user may see (all of them, or those in which an officer's unit has a task)."""
    return db.session.scalars(scoped(Item, user).where(Item.directive_id == directive.id)
                              .order_by(Item.position)).all()


def _totals(user: User, directive: Directive, task_class, key, unit_ids=None) -> dict[int, dict[str, int]]:
    stmt = scoped(Task, user, select(key, task_class, func.count(Task.id))).join(Task.item).where(
        Item.directive_id == directive.id).group_by(key, task_class)
    if unit_ids is not None:
        stmt = stmt.where(Task.lead_unit_id.in_(unit_ids))
    totals: dict[int, dict[str, int]] = {}
    for group, cls, count in db.session.execute(stmt):
        totals.setdefault(group, {})[cls] = count
    return totals


def directive_grid(directive: Directive, user: User, today: date, *, paged: bool = False) -> Grid:
    """The tasks of the directive the user may see, by lead unit (in picker order) and item, with totals.

    `paged`: one page of lead units (UNITS_PER_PAGE, `?page=`); the item totals still count every unit.
    """
    task_class = task_class_expr(today).label("task_class")
    leads = scoped(Task, user, select(Task.lead_unit_id)).join(Task.item).where(Item.directive_id == directive.id)
    units_stmt = (select(Organization).where(Organization.id.in_(leads))
                  .order_by(*Organization.picker_order(), Organization.id))
    page = paginate(units_stmt, page_size=UNITS_PER_PAGE) if paged else None
    units = page.items if page else db.session.scalars(units_stmt).all()
    unit_ids = [unit.id for unit in units]
    stmt = (scoped(Task, user, select(Task, task_class)).join(Task.item)
            .where(Item.directive_id == directive.id, Task.lead_unit_id.in_(unit_ids))
            .options(joinedload(Task.lead_unit), joinedload(Task.item)))
    cells = {(task.lead_unit_id, task.item_id): (task, cls) for task, cls in db.session.execute(stmt)}
    prime_progress(task for task, _cls in cells.values())
    return Grid(items=visible_items(directive, user), units=units, cells=cells,
                unit_totals=_totals(user, directive, task_class, Task.lead_unit_id, unit_ids),
                item_totals=_totals(user, directive, task_class, Task.item_id), page=page)
