"""Download routes: the task list with its filters, a directive's grid; .xlsx or .csv, streamed."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import today
from app.exports import bp
from app.exports.report import report_tables
from app.exports.sheets import CSV_TYPE, XLSX_TYPE, Table, csv_chunks, xlsx_chunks
from app.exports.tables import grid_table, task_table
from app.forms import id_arg
from app.models import Directive
from app.permissions import get_or_404, require
from app.reports.figures import report_figures
from app.reports.forms import read_choice
from app.tasks.forms import TaskFilterForm
from app.tasks.queries import TaskFilters, task_list_query, visible_directives, visible_lead_units
from app.tasks.routes import FILTERS


def download(tables: list[Table], fmt: str, filename: str) -> Response:
    """Stream the tables as an attachment. Everything translated is made before the response starts; the rows
    need no Flask context (app/exports/tables.py), so the download may outlive the request's contexts."""
    chunks = xlsx_chunks(tables) if fmt == "xlsx" else csv_chunks(tables[0])
    response = Response(chunks, mimetype=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}.{fmt}')}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _task_filters() -> tuple[TaskFilters, list[str]]:
    """The task list's filters read exactly as /tasks reads them (bad values ignored), and a line for each one
    used, as the file's heading says it."""
    form = TaskFilterForm(request.args)
    form.offer(visible_lead_units(current_user), visible_directives(current_user, include=id_arg("directive")))
    form.validate()
    kept = {name: form[field].data for name, field in FILTERS if not form[field].errors and form[field].data}
    lines = []
    for name, field in FILTERS:
        if name in kept:
            shown = kept[name] if field == "q" else _choice_label(form[field], kept[name])
            lines.append(f"{form[field].label.text}: {shown}")
    return TaskFilters(**kept), lines


def _choice_label(field, value) -> str:
    """The label of a select's chosen value (choices are pairs or SelectChoice objects)."""
    for choice in field.choices:
        choice_value, label = (choice.value, choice.label) if hasattr(choice, "label") else choice[:2]
        if str(choice_value) == str(value):
            return str(label)
    return str(value)


@bp.get("/tasks/export.<any(xlsx, csv):fmt>")
@require("task.view")
def tasks(fmt: str):
    """The task list as a spreadsheet: the user's scope, the list's filters, every page."""
    filters, lines = _task_filters()
    stmt = task_list_query(current_user, today(), filters)
    return download([task_table(current_user, today(), stmt, lines)], fmt,
                    _("tasks-%(date)s", date=today().strftime("%d-%m-%Y")))


@bp.get("/directives/<int:directive_id>/grid.<any(xlsx, csv):fmt>")
@require("directive.view")
def grid(directive_id: int, fmt: str):
    """A directive's unit × item grid as a spreadsheet."""
    directive = get_or_404(Directive, directive_id, current_user)
    return download([grid_table(directive, current_user, today())], fmt,
                    _("grid-%(number)s", number=directive.number.replace("/", "-")))


@bp.get("/reports/export.xlsx")
@require("report.view")
def report():
    """The period report's figures (the same choice as /reports) as a workbook, one sheet per part."""
    choice = read_choice(request.args, today())
    figures = report_figures(current_user, directive_ids=choice.directive_ids, start=choice.period.start,
                             end=choice.period.end)
    return download(report_tables(figures, today()), "xlsx",
                    _("report-%(start)s-%(end)s", start=f"{figures.start:%d-%m-%Y}", end=f"{figures.end:%d-%m-%Y}"))


@bp.app_template_global()
def task_export_url(fmt: str) -> str:
    """The task export's URL with the list's current filters (and nothing else: no page number)."""
    kept = {field: request.args[field] for _name, field in FILTERS if request.args.get(field)}
    return url_for("exports.tasks", fmt=fmt, **kept)
