"""The figures of a period report, in the user's scope, as they were at the period's end; all counted in SQL.

Tasks: each lead unit's tasks by class at the end (cumulative, "tính đến ngày"), with the rates over the tasks that
have fallen due and the units ranked by on-time rate against the previous period of the same length. Coverage:
villages with a team per commune at the end. Outreach: activities held within the period. Tickets: by state at the
end. A period that has not ended yet is counted as of today.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.clock import today
from app.extensions import db
from app.models import (
    COMMUNE_LEVEL,
    Directive,
    Item,
    Organization,
    OutreachActivity,
    SupportTicket,
    Task,
    TicketStatus,
    User,
    Village,
)
from app.outreach.services import totals_by_kind, totals_by_unit
from app.permissions import reported_units, scoped, sees_everything
from app.reports import history
from app.tasks.classes import REPORTED_CLASSES, TaskClass
from app.teams.coverage import CommuneCoverage, area_name, area_total_label

DUE_CLASSES = (TaskClass.DONE_ON_TIME, TaskClass.DONE_LATE, TaskClass.OPEN_OVERDUE)
MAX_DIRECTIVES = 50


@dataclass
class UnitRow:
    """One lead unit's tasks at the period's end (or the totals, with unit_id None)."""

    unit_id: int | None
    name: str
    counts: dict[TaskClass, int]
    short_name: str = ""
    done_after_extension: int = 0  # of done_on_time: on time only thanks to an extended deadline
    cancelled: int = 0  # beside the classes, outside the total
    rank: int | None = None
    rank_change: int | None = None  # places gained since the previous period (negative: lost)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def due(self) -> int:
        """Tasks that have fallen due: done (on time or late) or overdue, the rates' denominator."""
        return sum(self.counts[cls] for cls in DUE_CLASSES)

    def _rate(self, *classes: TaskClass) -> float | None:
        return round(100 * sum(self.counts[cls] for cls in classes) / self.due, 1) if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        """Done on time ÷ fallen due, in percent (one decimal); None when nothing has fallen due."""
        return self._rate(TaskClass.DONE_ON_TIME)

    @property
    def overdue_rate(self) -> float | None:
        """Overdue and not done ÷ fallen due, in percent; None when nothing has fallen due."""
        return self._rate(TaskClass.OPEN_OVERDUE)


@dataclass
class Report:
    """What a period report shows; the export and Word documents read the same object."""

    scope_label: str
    start: date
    end: date
    unit_rows: list[UnitRow]
    totals: UnitRow
    coverage_rows: list[CommuneCoverage]
    outreach_by_unit: list  # rows of app.outreach.services.totals_by_unit: name, activities, participants, ...
    outreach_by_kind: list  # rows of totals_by_kind: kind, activities, participants, ...
    tickets_by_status: dict[TicketStatus, int]
    as_of: date | None = None  # the day the figures describe: the end, or today for a period still running
    directives: list[Directive] = field(default_factory=list)  # the directives chosen; empty means all
    coverage_total: CommuneCoverage | None = None
    previous_start: date | None = None
    previous_end: date | None = None


class _HeldWithin:
    """The outreach filter for a period: activities held from start to end (app.outreach.services' interface)."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end

    def apply(self, stmt):
        return stmt.where(OutreachActivity.held_on.between(self.start, self.end))


def as_of_day(end: date) -> date:
    """The day a period's figures describe: its end, or today while it is running."""
    return min(end, today())


def _tasks_in_scope(user: User, directive_ids: list[int] | None, day):
    """Task ids, lead units, class and "done after extension" at the end of the day, one row per task."""
    stmt = scoped(Task, user, select(
        Task.lead_unit_id.label("unit_id"), history.task_class_at(day).label("cls"),
        case((history.done_after_extension_at(day), 1), else_=0).label("extended"))).where(history.task_existed(day))
    # an officer's report is their own unit's (the tasks it leads); district staff's, their subtree's
    stmt = stmt.where(reported_units(Task.lead_unit_id, user))
    if directive_ids:
        stmt = stmt.join(Item, Item.id == Task.item_id).where(Item.directive_id.in_(directive_ids))
    return stmt.subquery()


def unit_rows_at(user: User, directive_ids: list[int] | None, day: date) -> list[UnitRow]:
    """Per lead unit, its tasks by class at the end of the day; ranked by on-time rate."""
    tasks = _tasks_in_scope(user, directive_ids, history.as_date(day))
    stmt = (select(Organization.id, Organization.name, Organization.short_name, tasks.c.cls, func.count(),
                   func.sum(tasks.c.extended))
            .join(tasks, tasks.c.unit_id == Organization.id)
            .group_by(Organization.id, Organization.name, Organization.short_name, Organization.kind,
                      Organization.sort_key, tasks.c.cls)
            .order_by(*Organization.picker_order(), Organization.id))
    rows: dict[int, UnitRow] = {}  # in the order of unit pickers (dicts keep insertion order)
    for unit_id, name, short_name, cls, count, extended in db.session.execute(stmt):
        row = rows.setdefault(unit_id, UnitRow(unit_id, name, {c: 0 for c in REPORTED_CLASSES}, short_name))
        if cls in row.counts:
            row.counts[TaskClass(cls)] = count
            row.done_after_extension += int(extended or 0)
        elif cls == TaskClass.CANCELLED:
            row.cancelled = count
    ranked = list(rows.values())
    _rank(ranked)
    return ranked


def _rank(rows: list[UnitRow]) -> None:
    """Rank by on-time rate, ties sharing a place (1, 1, 3); a unit with nothing due is not ranked."""
    rates = sorted((row.on_time_rate for row in rows if row.on_time_rate is not None), reverse=True)
    for row in rows:
        row.rank = rates.index(row.on_time_rate) + 1 if row.on_time_rate is not None else None


def _totals(rows: list[UnitRow]) -> UnitRow:
    total = UnitRow(None, str(_l("Total")), {cls: sum(row.counts[cls] for row in rows) for cls in REPORTED_CLASSES})
    total.done_after_extension = sum(row.done_after_extension for row in rows)
    total.cancelled = sum(row.cancelled for row in rows)
    return total


def coverage_at(user: User, day: date, *earlier: date) -> list[CommuneCoverage]:
    """Per active commune-level unit in the user's scope: villages, and those with a team at the end of the day.

    With `earlier` days: tuples (row, covered on each earlier day), from the same query."""
    covered = [func.count(case((history.village_covered_at(Village.id, history.as_date(d)), Village.id)))
               for d in (day, *earlier)]
    stmt = (select(Organization.id, Organization.name, func.count(Village.id), *covered)
            .select_from(Organization).outerjoin(Village, Village.commune_id == Organization.id)
            .where(Organization.kind.in_(COMMUNE_LEVEL), Organization.active.is_(True))
            .group_by(Organization.id, Organization.name, Organization.sort_key).order_by(Organization.sort_key))
    stmt = stmt.where(reported_units(Organization.id, user))
    if earlier:
        return [(CommuneCoverage(*row[:4]), *row[4:]) for row in db.session.execute(stmt)]
    return [CommuneCoverage(*row) for row in db.session.execute(stmt)]


def _coverage_total(user: User, rows: list[CommuneCoverage]) -> CommuneCoverage:
    return CommuneCoverage(None, area_total_label(user), sum(r.villages for r in rows), sum(r.covered for r in rows))


def tickets_at(user: User, day: date) -> dict[TicketStatus, int]:
    """The user's tickets filed by the day, by their state at its end (every state listed, 0 included)."""
    bound = history.as_date(day)
    status = history.ticket_status_at(bound).label("status")
    inner = scoped(SupportTicket, user, select(status)).where(history.ticket_existed(bound)).subquery()
    counts = {state: 0 for state in TicketStatus}
    for state, count in db.session.execute(select(inner.c.status, func.count()).group_by(inner.c.status)):
        counts[TicketStatus(state)] = count
    return counts


def visible_directives(user: User, directive_ids: list[int] | None = None, limit: int = MAX_DIRECTIVES
                       ) -> list[Directive]:
    """The chosen directives the user may see (an officer: those carrying their unit's tasks), newest first;
    without a choice, the newest `limit` of them (the report's choices)."""
    stmt = scoped(Directive, user)
    if directive_ids is not None:
        if not directive_ids:
            return []
        stmt = stmt.where(Directive.id.in_(directive_ids[:MAX_DIRECTIVES]))
    return list(db.session.scalars(stmt.order_by(Directive.issued_on.desc(), Directive.id.desc()).limit(limit)))


def scope_label(user: User) -> str:
    """Whose figures these are: the whole district, or the officer's unit."""
    if not sees_everything(user):
        return user.organization.name
    return area_name(user)


def counted_directive_ids(directives: list[Directive], directive_ids: list[int] | None) -> list[int] | None:
    """The ids the task figures are limited to: None for all; none of the chosen visible counts nothing."""
    if not directive_ids:
        return None
    return [directive.id for directive in directives] or [0]


def report_figures(user: User, *, directive_ids: list[int] | None, start: date, end: date) -> Report:
    """Every figure of the report for the user's scope, the chosen directives (None or [] = all) and period."""
    directives = visible_directives(user, directive_ids) if directive_ids else []
    ids = counted_directive_ids(directives, directive_ids)
    day = as_of_day(end)
    rows = unit_rows_at(user, ids, day)
    previous_end = start - timedelta(days=1)
    previous_start = previous_end - (end - start)
    before = {row.unit_id: row.rank for row in unit_rows_at(user, ids, as_of_day(previous_end))}
    for row in rows:
        if row.rank is not None and before.get(row.unit_id) is not None:
            row.rank_change = before[row.unit_id] - row.rank
    coverage = coverage_at(user, day)
    held = _HeldWithin(start, end)
    return Report(scope_label=scope_label(user), start=start, end=end, unit_rows=rows, totals=_totals(rows),
                  coverage_rows=coverage, outreach_by_unit=totals_by_unit(user, held),
                  outreach_by_kind=totals_by_kind(user, held), tickets_by_status=tickets_at(user, day), as_of=day,
                  directives=directives, coverage_total=_coverage_total(user, coverage) if len(coverage) > 1 else None,
                  previous_start=previous_start, previous_end=previous_end)
