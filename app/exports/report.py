"""The period report (app.reports.figures.Report) as spreadsheet tables: one sheet per part of the report."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.exports.sheets import Column, Table
from app.exports.tables import date_line
from app.labels import SKILL_LABELS, label
from app.reports.figures import Report, UnitRow
from app.tasks.classes import REPORTED_CLASSES

RATE = "0.0"


def report_lines(report: Report) -> list[str]:
    """Scope, period, the day the figures describe and the directives: the first rows of every sheet."""
    directives = ", ".join(d.number for d in report.directives) or _("all directives")
    return [_("Scope: %(scope)s", scope=report.scope_label),
            _("Period %(start)s – %(end)s, figures as of %(as_of)s", start=f"{report.start:%d/%m/%Y}",
              end=f"{report.end:%d/%m/%Y}", as_of=f"{report.as_of:%d/%m/%Y}"),
            _("Directives: %(numbers)s", numbers=directives)]


def _unit_values(number, row: UnitRow) -> tuple:
    return (number, row.name, row.total, *(row.counts[cls] for cls in REPORTED_CLASSES), row.done_after_extension,
            row.on_time_rate, row.overdue_rate, row.rank, row.rank_change)


def report_tables(report: Report, today: date) -> list[Table]:
    """Tasks by unit with the totals, team coverage, outreach per unit and per kind, support requests."""
    lines = [*report_lines(report), date_line(today)]
    unit_columns = [Column(_("No."), 6), Column(_("Unit"), 34, text=True, wrap=True), Column(_("Total"), 9),
                    *(Column(str(label(cls)), 14, wrap=True) for cls in REPORTED_CLASSES),
                    Column(_("Of which on time after an extension"), 16, wrap=True),
                    Column(_("On-time rate") + " (%)", 12, number_format=RATE, wrap=True),
                    Column(_("Overdue rate") + " (%)", 12, number_format=RATE, wrap=True),
                    Column(_("Rank"), 8), Column(_("Change"), 9)]
    unit_rows = [_unit_values(n, row) for n, row in enumerate(report.unit_rows, start=1)]
    unit_rows.append(_unit_values(None, report.totals)[:-2] + (None, None))
    coverage = [(row.name, row.villages, row.covered, row.percent) for row in report.coverage_rows]
    if report.coverage_total:
        total = report.coverage_total
        coverage.append((total.name, total.villages, total.covered, total.percent))
    sums = [Column(_("Activities"), 11), Column(_("Participants"), 12), Column(_("Households reached"), 13),
            *(Column(str(text), 14, wrap=True) for text in SKILL_LABELS.values())]

    def outreach(row, first):
        return (first, row.activities, row.participants, row.households, *(getattr(row, c) for c in SKILL_LABELS))

    return [
        Table(_("Tasks by unit"), lines, unit_columns, unit_rows, sheet_name=_("Tasks by unit")),
        Table(_("Community Technology Team coverage on %(date)s", date=f"{report.as_of:%d/%m/%Y}"), lines,
              [Column(_("Commune"), 30, text=True), Column(_("Villages"), 10), Column(_("With a team"), 12),
               Column(_("Coverage") + " (%)", 12)], coverage, sheet_name=_("Coverage")),
        Table(_("Outreach held in the period"), lines, [Column(_("Unit"), 34, text=True, wrap=True), *sums],
              [outreach(row, row.name) for row in report.outreach_by_unit], sheet_name=_("Outreach per unit")),
        Table(_("Outreach held in the period"), lines, [Column(_("Kind"), 30, wrap=True), *sums],
              [outreach(row, str(label(row.kind))) for row in report.outreach_by_kind],
              sheet_name=_("Outreach per kind")),
        Table(_("Partner support requests on %(date)s", date=f"{report.as_of:%d/%m/%Y}"), lines,
              [Column(_("State"), 30), Column(_("Requests"), 12)],
              [(str(label(status)), count) for status, count in report.tickets_by_status.items()],
              sheet_name=_("Support requests")),
    ]
