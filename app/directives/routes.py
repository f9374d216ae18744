"""Directive register: list, record, edit, items, assignment, the unit × item grid."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.directives import bp, services
from app.directives.forms import AssignForm, DirectiveForm, ItemForm, unit_groups
from app.directives.grid import TOTAL_CLASSES, directive_grid
from app.extensions import db
from app.forms import form_status, saved, submit, text_arg
from app.htmx import redirect_to, render
from app.models import Directive, Item
from app.pager import paginate
from app.permissions import assignable_units, get_or_404, require, scoped
from app.vntext import like_contains


def _active_units():
    return db.session.scalars(assignable_units(current_user)).all()


MAX_SEARCH = 100  # characters of a search by number or summary


@bp.get("/directives")
@require("directive.view")
def index():
    """The directive register, searchable by number or summary (case and diacritics ignored)."""
    q = text_arg("q", MAX_SEARCH)
    stmt = scoped(Directive, current_user).order_by(Directive.issued_on.desc(), Directive.id.desc())
    if q:
        stmt = stmt.where(like_contains(Directive.search_text, q))
    directives = paginate(stmt, args={"q": q})
    return render("directives/index.html", "results", directives=directives, q=q)


@bp.route("/directives/new", methods=["GET", "POST"])
@require("directive.manage")
def new():
    """Record a directive."""
    last_issuer = db.session.scalar(select(Directive.issuer).order_by(Directive.id.desc()).limit(1))
    return _save_directive(DirectiveForm(issuer=last_issuer), None)


@bp.route("/directives/<int:directive_id>/edit", methods=["GET", "POST"])
@require("directive.manage")
def edit(directive_id: int):
    """Correct a directive's details."""
    directive = get_or_404(Directive, directive_id, current_user, "directive.manage")
    return _save_directive(DirectiveForm(obj=directive), directive)


def _save_directive(form: DirectiveForm, directive: Directive | None):
    done = saved(form, lambda: services.save_directive(
        directive, current_user, submission_key=form.submission_key.data,
        **{name: form[name].data for name in services.DIRECTIVE_FIELDS}), _("Directive saved."),
        lambda saved_directive: directive_page(saved_directive.id))
    return done or render("directives/form.html", form=form, directive=directive, status=form_status(form))


def directive_page(directive_id: int) -> str:
    """Where a change to a directive, its items or its tasks goes back to."""
    return url_for("directives.show", directive_id=directive_id)


@bp.get("/directives/<int:directive_id>")
@require("directive.view")
def show(directive_id: int):
    """A directive with its items and the unit × item grid coloured by class (an officer: their own tasks)."""
    directive = get_or_404(Directive, directive_id, current_user)
    return show_page(directive)


def show_page(directive: Directive, status: int = 200, **extra):
    """The directive page (the evidence routes show it again with a refused attach form)."""
    return render("directives/show.html", **_show_context(directive, ItemForm(formdata=None), status), **extra)


def _show_context(directive: Directive, item_form: ItemForm, status: int = 200) -> dict:
    grid = directive_grid(directive, current_user, today(), paged=True)
    grid.page.endpoint = "directives.show"  # the pager's links, also under a re-rendered item form (a POST)
    return {"directive": directive, "grid": grid,
            "total_classes": TOTAL_CLASSES, "item_form": item_form, "status": status}


@bp.post("/directives/<int:directive_id>/items")
@require("directive.manage")
def add_item(directive_id: int):
    """Add an item (nhiệm vụ) to a directive; the same form sent twice adds it once."""
    directive = get_or_404(Directive, directive_id, current_user, "directive.manage")
    form = ItemForm()
    item = submit(form, lambda: services.add_item(
        directive, current_user, title=form.title.data, description=form.description.data,
        default_deadline=form.default_deadline.data, kpi=form.kpi.data or None,
        recurrence=form.recurrence.data or None,
        review_required=form.review_required.data, evidence_required=form.evidence_required.data,
        submission_key=form.submission_key.data))
    if item is None:
        return render("directives/show.html", "item_form", **_show_context(directive, form, form_status(form)))
    flash(_("Item added. Now assign it to units."), "success")
    return redirect_to(url_for("directives.assign", item_id=item.id))


@bp.route("/items/<int:item_id>/assign", methods=["GET", "POST"])
@require("directive.manage")
def assign(item_id: int):
    """Assign an item to units: one, several or a whole group, in one step."""
    item = get_or_404(Item, item_id, current_user, "directive.manage")
    form = AssignForm(deadline=item.default_deadline or item.directive.final_deadline)
    units = _active_units()
    form.lead_units.choices = form.cooperating_units.choices = [(unit.id, unit.name) for unit in units]
    tasks = submit(form, lambda: services.assign_item(
        item, current_user, cooperating_unit_ids=form.cooperating_units.data,
        deadline=services.deadline_of(form.deadline_by.data, form.deadline.data, form.working_days.data),
        lead_unit_ids=form.lead_units.data + (
            services.units_of_group(form.group.data, current_user) if form.group.data else [])))
    if tasks is not None:
        flash(_("%(count)d tasks created.", count=len(tasks)), "success")
        return redirect_to(url_for("directives.show", directive_id=item.directive_id))
    return render("directives/assign.html", form=form, item=item, unit_groups=unit_groups(units),
                  status=form_status(form))
