"""The dashboard's view of the report for district readers: who is behind, and who will miss the coverage deadline.

Registered as the template global `leader_overview` so the dashboard's view stays as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.models import User
from app.reports.charts import Chart, coverage_bars, unit_bars
from app.reports.figures import UnitRow
from app.reports.trends import Projection, coverage_outlook
from app.tasks.classes import REPORTED_CLASSES, TaskClass
from app.tasks.queries import led_class_counts

SHOWN_UNITS = 10  # the dashboard names and charts the units most behind; the period report ranks them all


@dataclass
class LeaderOverview:
    """The units with overdue tasks (most first), the communes projected to miss the deadline, and two charts."""

    behind_units: list[UnitRow]  # the SHOWN_UNITS most behind
    behind_communes: list[Projection]
    deadline: date | None
    charts: list[Chart]
    more_behind: int = 0  # units with overdue tasks beyond those shown


def unit_rows_today(user: User, today: date, led: list[tuple] | None = None) -> list[UnitRow]:
    """Each lead unit's tasks by class today, most overdue first, from one grouped query on the current state
    (app.tasks.queries.led_class_counts; `led` when the caller has its rows already).

    At the end of today the report's history-based figures (app.reports.history) equal the tasks' current state, so
    the dashboard reads that instead of replaying every task's updates on each request.
    """
    rows: dict[int, UnitRow] = {}
    for unit_id, name, short_name, cls, count in led if led is not None else led_class_counts(user, today):
        row = rows.setdefault(unit_id, UnitRow(unit_id, name, {c: 0 for c in REPORTED_CLASSES}, short_name))
        if cls == TaskClass.CANCELLED:
            row.cancelled = count
        else:
            row.counts[TaskClass(cls)] = count
    return sorted(rows.values(), key=lambda r: (-r.counts[TaskClass.OPEN_OVERDUE], r.name))


def leader_overview(user: User, today: date, led: list[tuple] | None = None) -> LeaderOverview:
    """Today's figures in the user's scope (`led`: the dashboard's led_class_counts() rows)."""
    rows = unit_rows_today(user, today, led)
    outlook = coverage_outlook(user, today)
    charts = [unit_bars(rows[:SHOWN_UNITS], today)]
    if outlook.rows:
        charts.append(coverage_bars(outlook.rows[:SHOWN_UNITS], today, outlook.deadline, outlook.target))
    behind = [row for row in rows if row.counts[TaskClass.OPEN_OVERDUE]]
    return LeaderOverview(behind[:SHOWN_UNITS], outlook.behind[:SHOWN_UNITS], outlook.deadline, charts,
                          more_behind=max(len(behind) - SHOWN_UNITS, 0))
