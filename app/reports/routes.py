"""The period report page: a GET form (directives, period) and the figures with their charts."""
from flask import request
from flask_login import current_user

from app.clock import today
from app.htmx import render
from app.permissions import require
from app.reports import bp
from app.reports.charts import report_charts
from app.reports.figures import counted_directive_ids, report_figures, visible_directives
from app.reports.forms import read_choice
from app.reports.periods import PeriodKind, period_containing
from app.reports.trends import coverage_outlook, weekly_trend


@bp.get("/reports")
@require("report.view")
def index():
    """Units × classes with rates and ranking, coverage, outreach and tickets for the chosen period, as of its end."""
    now = today()
    choice = read_choice(request.args, now)
    period = choice.period
    report = report_figures(current_user, directive_ids=choice.directive_ids, start=period.start, end=period.end)
    trend = weekly_trend(current_user, counted_directive_ids(report.directives, choice.directive_ids),
                         period.week_ends(until=report.as_of))
    outlook = coverage_outlook(current_user, now)
    quick = {kind: period_containing(kind, now) for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)}
    charts = report_charts(report, trend, outlook.deadline, outlook.target)
    return render("reports/index.html", choice=choice, report=report, charts=charts,
                  directives=visible_directives(current_user), period_kinds=list(PeriodKind), quick=quick,
                  behind=outlook.behind, deadline=outlook.deadline, today=now)
