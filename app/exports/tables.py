"""What the exports contain: the task list (same scope and filters as /tasks) and a directive's unit × item grid."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.directives.grid import directive_grid
from app.exports.sheets import Column, Table
from app.extensions import db
from app.labels import label
from app.models import Directive, TaskStatus, User
from app.permissions import scope_root, sees_everything
from app.tasks.classes import TaskClass
from app.teams.coverage import prime_progress

# Rows read from the database per round trip (a server-side cursor on PostgreSQL).
BATCH = 500


def scope_line(user: User) -> str:
    """Whose tasks the file holds: every unit's, or the user's own unit's."""
    if sees_everything(user):
        root = scope_root(user)
        return _("Scope: all units of %(area)s", area=root.name) if root else _("Scope: all units")
    return _("Scope: tasks of %(unit)s (lead or co-operating)", unit=user.organization.name)


def date_line(today: date) -> str:
    return _("Exported on %(date)s", date=today.strftime("%d/%m/%Y"))


def task_columns() -> list[Column]:
    return [Column(_("No."), 6), Column(_("Directive"), 18, text=True), Column(_("Task"), 60, text=True, wrap=True),
            Column(_("Lead unit"), 32, text=True, wrap=True), Column(_("Co-operating units"), 32, text=True, wrap=True),
            Column(_("Deadline"), 12), Column(_("Status"), 16), Column(_("Progress (%)"), 11),
            Column(_("Class"), 24), Column(_("Completed on"), 13)]


def _plain_labels(enum_type) -> dict:
    """An enum's labels as plain text, translated now: the rows are written after the request's contexts are gone."""
    return {member: str(label(member)) for member in enum_type}


def _task_rows(app, engine, stmt: Select, statuses: dict, classes: dict) -> Iterator[tuple]:
    """The rows, read in batches through a session of their own while the response is sent.

    Each batch is read inside an app context of its own (coverage reads a setting when it runs)
    that is closed before the batch is yielded: no context stays open across a yield, so a download abandoned
    half-way and closed later, in the middle of another request, pops nothing of that request's."""
    with Session(engine) as session:
        with app.app_context():
            result = session.execute(stmt.execution_options(yield_per=BATCH))
        number = 0
        while True:
            with app.app_context():
                batch = []
                rows = result.fetchmany(BATCH)
                prime_progress(row[0] for row in rows)  # the coverage tasks' progress, one query per batch
                for row in rows:
                    number += 1
                    batch.append(_task_values(number, row, statuses, classes))
            if not batch:
                return
            yield from batch


def _task_values(number: int, row, statuses: dict, classes: dict) -> tuple:
    """One row of the file from a (Task, task_class) row of task_list_query(): the class comes from SQL."""
    task, task_class = row[0], row[1]
    return (number, task.item.directive.number, task.item.title, task.lead_unit.name,
            ", ".join(unit.name for unit in task.cooperating_units), task.effective_deadline,
            statuses[task.status], task.shown_progress, classes[TaskClass(task_class)], task.completed_on)


def task_table(user: User, today: date, stmt: Select, filter_lines: list[str]) -> Table:
    """The task list as a table of `stmt`'s (Task, task_class) rows (task_list_query()), read in batches as they are
    written."""
    rows = _task_rows(current_app._get_current_object(), db.engine, stmt, _plain_labels(TaskStatus),
                      _plain_labels(TaskClass))
    return Table(title=_("Task list"), heading_lines=[scope_line(user), *filter_lines, date_line(today)],
                 columns=task_columns(), rows=rows, sheet_name=_("Tasks"))


def grid_table(directive: Directive, user: User, today: date) -> Table:
    """The unit × item grid of a directive as the page shows it to the user: each cell the task's progress and
    class, one row per lead unit."""
    grid = directive_grid(directive, user, today)
    columns = [Column(_("No."), 6), Column(_("Unit"), 34, text=True, wrap=True)]
    for item in grid.items:
        columns.append(Column(_("Item %(n)d (%%)", n=item.position), 12))
        columns.append(Column(_("Item %(n)d: class", n=item.position), 22, wrap=True))
    classes, not_assigned = _plain_labels(TaskClass), _("not assigned")
    rows = []  # units × items: small, made now
    for number, unit in enumerate(grid.units, start=1):
        cells: list = [number, unit.name]
        for item in grid.items:
            task, task_class = grid.cells.get((unit.id, item.id), (None, None))
            cells += [task.shown_progress, classes[TaskClass(task_class)]] if task else [None, not_assigned]
        rows.append(tuple(cells))
    notes = ["", *(_("Item %(n)d: %(title)s", n=item.position, title=item.title) for item in grid.items)]
    return Table(title=_("Progress by unit: %(doc)s %(number)s", doc=label(directive.doc_type),
                         number=directive.number),
                 heading_lines=[directive.summary, scope_line(user), date_line(today)], columns=columns,
                 rows=rows, sheet_name=_("Grid"), notes=notes)
