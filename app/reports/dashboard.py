"""The dashboard's view of the report for district readers: who is behind, and who will miss the coverage deadline.

Registered as the template global `leader_overview` so the dashboard's view stays as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.models import User
from app.reports.charts import Chart, coverage_bars, unit_bars
from app.reports.figures import UnitRow, unit_rows_at
from app.reports.trends import Projection, coverage_outlook
from app.tasks.classes import TaskClass


@dataclass
class LeaderOverview:
    """The units with overdue tasks (most first), the communes projected to miss the deadline, and two charts."""

    behind_units: list[UnitRow]
    behind_communes: list[Projection]
    deadline: date | None
    charts: list[Chart]


def leader_overview(user: User, today: date) -> LeaderOverview:
    """Today's figures in the user's scope, from the same SQL as the report."""
    rows = sorted(unit_rows_at(user, None, today), key=lambda r: (-r.counts[TaskClass.OPEN_OVERDUE], r.name))
    outlook = coverage_outlook(user, today)
    charts = [unit_bars(rows, today)]
    if outlook.rows:
        charts.append(coverage_bars(outlook.rows, today, outlook.deadline, outlook.target))
    return LeaderOverview([row for row in rows if row.counts[TaskClass.OPEN_OVERDUE]], outlook.behind,
                          outlook.deadline, charts)
