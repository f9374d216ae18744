"""Document routes: choose a unit with overdue tasks, fill in the urging letter's form, download the .docx."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from flask import Response, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from app.clock import today
from app.documents import bp, services
from app.documents import report as period_report
from app.documents.forms import (
    REPORT_DEFAULTS,
    PeriodReportForm,
    UrgingLetterForm,
    issuing_defaults,
    recipients,
    report_recipients,
)
from app.documents.letters import UrgingLetter, default_opening
from app.extensions import db
from app.forms import form_status, id_arg, submit
from app.htmx import render
from app.models import Directive, Organization
from app.permissions import area_level, get_or_404, require, scoped
from app.reports.figures import report_figures
from app.reports.forms import read_choice

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_BACK_DAYS = 7


def docx_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _directive_filter() -> Directive | None:
    """The directive of ?directive=, when the user may see it (another district's is no filter at all)."""
    directive_id = id_arg("directive")
    if directive_id is None:
        return None
    return db.session.scalar(scoped(Directive, current_user).where(Directive.id == directive_id))


@bp.get("/documents/urging-letters")
@require("document.issue")
def urging_letters():
    """The units with overdue tasks, each with a link to draw up its urging letter."""
    directive = _directive_filter()
    units = services.units_with_overdue_tasks(current_user, today(), directive.id if directive else None)
    return render("documents/urging_letters.html", units=units, directive=directive)


@bp.route("/documents/urging-letters/<int:unit_id>", methods=["GET", "POST"])
@require("document.issue")
def urging_letter(unit_id: int):
    """The urging letter's form (number, date, signer, recipients, opening); sending it downloads the .docx."""
    unit = get_or_404(Organization, unit_id, current_user)
    directive = _directive_filter()
    tasks = services.overdue_tasks_of(current_user, unit, today(), directive.id if directive else None)
    form = UrgingLetterForm(**_letter_defaults(unit, tasks))
    data = submit(form, lambda: services.draw_up_urging_letter(UrgingLetter(
        heading=form.heading(), unit=unit, addressee=form.addressee.data, opening=form.opening.data or "",
        report_by=form.report_by.data, as_of=today(), tasks=tasks, level=area_level(current_user)),
        current_user, form.number.data))
    if data is not None:
        return docx_response(data, f"cong-van-don-doc-{unit.short_name}.docx")
    return render("documents/urging_letter.html", form=form, unit=unit, tasks=tasks, directive=directive,
                  today=today(), nothing_to_urge=services.NOTHING_TO_URGE, status=form_status(form))


def _letter_defaults(unit: Organization, tasks) -> dict:
    """What the form starts with: the issuer of the tasks' directive, today, a week to report back."""
    issuer, level = tasks[0].item.directive.issuer if tasks else None, area_level(current_user)
    with force_locale("vi"):
        opening = default_opening(tasks, level) if tasks else ""
    return {"addressee": unit.name, "issued_on": today(), "report_by": today() + timedelta(days=REPORT_BACK_DAYS),
            "opening": opening, "recipients": recipients(level), **issuing_defaults(issuer)}


@bp.route("/reports/document", methods=["GET", "POST"])
@require("report.document")
def report_document():
    """The period report's form (number, date, signer, recipients, opening); sending it downloads the .docx.

    The report's choice (directives, period) stays in the query string, as on /reports."""
    choice = read_choice(request.args, today())
    figures = report_figures(current_user, directive_ids=choice.directive_ids, start=choice.period.start,
                             end=choice.period.end)
    form = PeriodReportForm(**_report_defaults(figures))
    if form.validate_on_submit():
        document = period_report.PeriodReport(heading=form.heading(), summary=form.summary.data,
                                              opening=form.opening.data or "", addressees=form.addressee_lines(),
                                              next_steps=form.next_steps.data or "", figures=figures)
        with force_locale("vi"):
            data = period_report.period_report_docx(document)
        services.record_drawn_up("document.period_report", None, current_user, form.number.data)
        return docx_response(data, f"bao-cao-{figures.start:%d-%m-%Y}-{figures.end:%d-%m-%Y}.docx")
    return render("documents/period_report.html", form=form, report=figures, choice=choice,
                  back=url_for("reports.index", **choice.args()), status=form_status(form))


def _report_defaults(figures) -> dict:
    """The issuer of the report's directive (or of the latest directive), today, the usual signer and recipients."""
    directive = figures.directives[0] if figures.directives else db.session.scalar(
        scoped(Directive, current_user).order_by(Directive.issued_on.desc(), Directive.id.desc()).limit(1))
    with force_locale("vi"):
        level = area_level(current_user)
        texts = {"summary": period_report.default_summary(figures),
                 "opening": period_report.default_opening(figures, level), "next_steps": period_report.NEXT_STEPS}
    return {**REPORT_DEFAULTS, "recipients": report_recipients(level), "issued_on": today(), **texts,
            **issuing_defaults(directive.issuer if directive else None)}
