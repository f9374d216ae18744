"""Week by week over a period: overdue tasks and team coverage at each week's end, one SQL query each; and which
communes will miss the coverage deadline at the pace of the last weeks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, func, literal, select, true, union_all

from app.extensions import db
from app.models import COMMUNE_LEVEL, Item, Organization, Task, User, Village
from app.permissions import reported_units
from app.reports import history
from app.reports.figures import coverage_at
from app.tasks.classes import TaskClass
from app.teams.coverage import CommuneCoverage, CoverageTarget, coverage_percent, coverage_targets

PACE_DAYS = 28  # the pace of coverage is measured over the last four weeks


@dataclass(frozen=True)
class TrendPoint:
    """The state at the end of one week: overdue tasks, and villages with a team of all villages."""

    day: date
    overdue: int
    villages: int
    covered: int

    @property
    def percent(self) -> int:
        return coverage_percent(self.covered, self.villages)


def _series(days: list[date]):
    """A one-column table of the days (`day`), written into the query."""
    selects = [select(literal(day, Date).label("day")) for day in days]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery("series")


def weekly_trend(user: User, directive_ids: list[int] | None, days: list[date]) -> list[TrendPoint]:
    """Overdue tasks (the user's scope and directives) and coverage at the end of each day given."""
    if not days:
        return []
    series = _series(days)
    task_on = [history.task_existed(series.c.day),
               history.task_class_at(series.c.day) == TaskClass.OPEN_OVERDUE.value]
    task_on.append(reported_units(Task.lead_unit_id, user))
    if directive_ids:
        task_on.append(Task.item_id.in_(select(Item.id).where(Item.directive_id.in_(directive_ids))))
    overdue = dict(db.session.execute(select(series.c.day, func.count(Task.id)).select_from(series)
                                      .outerjoin(Task, and_(*task_on)).group_by(series.c.day)).all())
    communes = [Organization.kind.in_(COMMUNE_LEVEL), Organization.active.is_(True)]
    communes.append(reported_units(Organization.id, user))
    covered = case((history.village_covered_at(Village.id, series.c.day), Village.id))
    coverage = {row.day: row for row in db.session.execute(
        select(series.c.day, func.count(Village.id).label("villages"), func.count(covered).label("covered"))
        .select_from(series).join(Village, true()).join(Organization, Organization.id == Village.commune_id)
        .where(*communes).group_by(series.c.day))}
    return [TrendPoint(day, _count(overdue, day), getattr(coverage.get(_key(coverage, day)), "villages", 0),
                       getattr(coverage.get(_key(coverage, day)), "covered", 0)) for day in days]


def _key(rows: dict, day: date):
    """SQLite gives the series' days back as text: find the row of a day either way."""
    return day if day in rows else day.isoformat()


def _count(rows: dict, day: date) -> int:
    return rows.get(_key(rows, day), 0) or 0


@dataclass(frozen=True)
class Projection:
    """A commune's coverage now, its pace, and whether it will reach 100 % by the deadline at that pace."""

    row: CommuneCoverage
    per_week: float  # villages covered per week over the last PACE_DAYS
    reaches_on: date | None  # when it would reach every village at that pace; None when it does not move
    deadline: date

    @property
    def misses(self) -> bool:
        return self.row.covered < self.row.villages and (self.reaches_on is None or self.reaches_on > self.deadline)


def coverage_goal(user: User | None = None) -> CoverageTarget | None:
    """The newest coverage item of the user's subtree that has a deadline: the target and deadline the charts and
    projections use."""
    return next((target for target in coverage_targets(user) if target.deadline), None)


@dataclass(frozen=True)
class CoverageOutlook:
    """Coverage today in the user's scope, the goal (target and deadline) and the communes that will miss it."""

    goal: CoverageTarget | None
    rows: list[CommuneCoverage]
    behind: list[Projection]

    @property
    def deadline(self) -> date | None:
        return self.goal.deadline if self.goal else None

    @property
    def target(self) -> int:
        return self.goal.percent if self.goal else 100


def coverage_outlook(user: User, today: date) -> CoverageOutlook:
    """Today's coverage per commune and, at the pace of the last four weeks, who will miss the deadline."""
    goal = coverage_goal(user)
    pairs = coverage_at(user, today, today - timedelta(days=PACE_DAYS))
    behind = []
    for row, covered_before in pairs if goal else ():
        gained = row.covered - covered_before
        remaining = row.villages - row.covered
        reaches_on = today + timedelta(days=-(-remaining * PACE_DAYS // gained)) if gained > 0 else None
        projection = Projection(row, round(gained * 7 / PACE_DAYS, 1), reaches_on, goal.deadline)
        if projection.misses:
            behind.append(projection)
    return CoverageOutlook(goal, [row for row, _ in pairs], behind)
