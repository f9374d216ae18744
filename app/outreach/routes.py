"""Outreach: the filtered list with totals, the htmx log form, and editing an activity."""
from urllib.parse import parse_qsl, urlsplit

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.forms import enum_arg, form_status, id_arg, parse_month, submit
from app.htmx import is_fragment_request, redirect_to, render
from app.models import OutreachActivity, OutreachKind
from app.outreach import bp, services
from app.outreach.forms import COUNT_FIELDS, NO_TASK, ActivityForm
from app.pager import paginate
from app.permissions import can, get_or_404, require, sees_everything

FIELDS = ("held_on", "kind", "title", "note", *COUNT_FIELDS)
SHOWN_UNITS = 15  # the totals per unit name the most active; the period report lists every unit


def _chosen_unit(form: ActivityForm, units) -> object | None:
    """The unit the activity is logged for: the only one, or the one chosen (posted, or on a GET the unit the list
    is filtered by, `?unit=`)."""
    if len(units) == 1:
        return units[0]
    wanted = form.organization_id.data if request.method == "POST" else id_arg("unit")
    return next((unit for unit in units if unit.id == wanted), None)


def _prepare(form: ActivityForm, units, unit=None) -> list:
    """Fill the choices for the unit the activity is for; returns the villages for the checkboxes.

    A user who logs for many units chooses one first (the list's unit filter, a plain GET), then the form offers its
    villages and its open tasks nearest their deadline: every choice is bounded, whatever the province's size.
    """
    unit = unit or _chosen_unit(form, units)
    if len(units) == 1:
        del form.organization_id
    else:
        form.organization_id.choices = [(unit.id, unit.name)] if unit else []
        form.organization_id.data = unit.id if unit else None
    villages = services.villages_for(unit) if unit else []
    form.village_ids.choices = [(village.id, village.name) for village in villages]
    if form.task_id.data is None:  # an activity without a task, or no task offered
        form.task_id.data = NO_TASK
    tasks = services.task_choices(unit, form.task_id.data or None) if unit else []
    form.task_id.choices = [(NO_TASK, _("None"))] + [
        (task.id, f"{task.item.title} ({task.lead_unit.short_name})") for task in tasks]
    return villages


def _values(form: ActivityForm) -> dict:
    return {"village_ids": form.village_ids.data or [], "task_id": form.task_id.data or None,
            **{name: getattr(form, name).data for name in FIELDS}}


def _filter_args():
    """The filters of the page: its query string, or for an htmx POST that of the page it came from (HX-Current-URL)."""
    current = request.headers.get("HX-Current-URL") if request.method == "POST" else None
    return MultiDict(parse_qsl(urlsplit(current).query)) if current else request.args


def _page_context(form=None, villages=()) -> dict:
    """Everything the page shows for its filters."""
    args = _filter_args()
    flt = services.OutreachFilter(unit_id=id_arg("unit", args), kind=enum_arg("kind", OutreachKind, args),
                                  month=parse_month(args.get("month")))
    page = paginate(services.activities(current_user, flt), args=flt.as_args())
    by_unit = services.totals_by_unit(current_user, flt, limit=SHOWN_UNITS + 1)
    return dict(flt=flt, page=page, rows=page.items, form=form, villages=villages,
                units=services.outreach_units(current_user) if sees_everything(current_user) else [],
                by_unit=by_unit[:SHOWN_UNITS], more_units=len(by_unit) > SHOWN_UNITS,
                by_kind=services.totals_by_kind(current_user, flt),
                overall=services.overall_totals(current_user, flt))


@bp.get("/outreach")
@require("outreach.view")
def index():
    """Activities filtered by unit, kind and month, with totals; the log form for those who log."""
    units = services.loggable_units(current_user) if can(current_user, "outreach.log") else []
    form = ActivityForm(formdata=None) if units else None
    villages = _prepare(form, units) if units else ()
    return render("outreach/index.html", "results", many_units=len(units) > 1, **_page_context(form, villages))


@bp.post("/outreach")
@require("outreach.log")
def create():
    """Log an activity: htmx gets a fresh form, and the list with its totals out of band; a plain form, a redirect."""
    units = services.loggable_units(current_user) or abort(403)
    form = ActivityForm()
    villages = _prepare(form, units)
    unit_id = form.organization_id.data if form.organization_id else units[0].id
    activity = submit(form, lambda: services.log_activity(
        actor=current_user, organization_id=unit_id, submission_key=form.submission_key.data, **_values(form)))
    if activity and not is_fragment_request():
        flash(_("Activity logged."), "success")
        return redirect_to(url_for("outreach.index"))
    many_units = len(units) > 1
    if not activity:
        return render("outreach/index.html", "log_form", status=form_status(form), many_units=many_units,
                      **_page_context(form, villages))
    unit = _chosen_unit(form, units)
    form = ActivityForm(formdata=None)
    return render("outreach/index.html", "log_form", "results", logged=activity, oob=True, many_units=many_units,
                  **_page_context(form, _prepare(form, units, unit)))


@bp.route("/outreach/<int:activity_id>/edit", methods=["GET", "POST"])
@require("outreach.log")
def edit(activity_id: int):
    """Correct an activity of the user's own unit."""
    activity = get_or_404(OutreachActivity, activity_id, current_user, "outreach.log")
    form = ActivityForm(obj=activity, village_ids=[village.id for village in activity.villages])
    villages = _prepare(form, [activity.organization])
    if submit(form, lambda: services.update_activity(
            activity, actor=current_user, **_values(form))):
        flash(_("Saved."), "success")
        return redirect_to(url_for("outreach.index"))
    return render("outreach/edit.html", "form", form=form, activity=activity, villages=villages,
                  status=form_status(form))


def edit_page(activity: OutreachActivity, status: int = 200, **extra):
    """The activity's page as first shown (the evidence routes show it again with a refused attach form)."""
    form = ActivityForm(formdata=None, obj=activity, village_ids=[village.id for village in activity.villages])
    villages = _prepare(form, [activity.organization])
    return render("outreach/edit.html", form=form, activity=activity, villages=villages, status=status, **extra)
