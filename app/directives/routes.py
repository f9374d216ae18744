"""Directive register: list, record, edit, items, assignment, the unit × item grid."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.clock import today
from app.directives import bp, services
from app.directives.forms import AssignForm, DirectiveForm, ItemForm
from app.extensions import db
from app.forms import form_status
from app.pager import paginate
from app.htmx import redirect_to, render
from app.models import Directive, Item, Organization
from app.permissions import require
from app.tasks.queries import directive_grid


def _active_units():
    return db.session.scalars(select(Organization).where(Organization.active.is_(True))
                              .order_by(*Organization.picker_order())).all()


@bp.get("/directives")
@require("directive.view")
def index():
    """The directive register, searchable by number or summary."""
    q = (request.args.get("q") or "").strip()[:100]
    stmt = select(Directive).order_by(Directive.issued_on.desc(), Directive.id.desc())
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(Directive.number).like(pattern), func.lower(Directive.summary).like(pattern)))
    directives = paginate(stmt, args={"q": q})
    return render("directives/index.html", "results", directives=directives, q=q)


@bp.route("/directives/new", methods=["GET", "POST"])
@require("directive.manage")
def new():
    """Record a directive."""
    last_issuer = db.session.scalar(select(Directive.issuer).order_by(Directive.id.desc()).limit(1))
    form = DirectiveForm(issuer=last_issuer)
    return _save_directive(form, None)


@bp.route("/directives/<int:directive_id>/edit", methods=["GET", "POST"])
@require("directive.manage")
def edit(directive_id: int):
    """Correct a directive's details."""
    directive = db.get_or_404(Directive, directive_id)
    return _save_directive(DirectiveForm(obj=directive), directive)


def _save_directive(form: DirectiveForm, directive: Directive | None):
    if form.validate_on_submit():
        try:
            saved = services.save_directive(directive, current_user, **{f: form[f].data for f in services.DIRECTIVE_FIELDS})
        except services.DuplicateDirective:
            form.number.errors.append(_("This issuer already has a directive with this number."))
        else:
            flash(_("Directive saved."), "success")
            return redirect_to(url_for("directives.show", directive_id=saved.id))
    return render("directives/form.html", "form", form=form, directive=directive, status=form_status(form))


@bp.get("/directives/<int:directive_id>")
@require("directive.view")
def show(directive_id: int):
    """A directive with its items and the unit × item grid coloured by class."""
    directive = db.get_or_404(Directive, directive_id)
    return render("directives/show.html", **_show_context(directive, ItemForm()))


def _show_context(directive: Directive, item_form: ItemForm) -> dict:
    grid = directive_grid(directive, today())
    units = sorted({task.lead_unit for task, _cls in grid.values()}, key=lambda u: (u.kind, u.name))
    return {"directive": directive, "grid": grid, "units": units, "item_form": item_form}


@bp.post("/directives/<int:directive_id>/items")
@require("directive.manage")
def add_item(directive_id: int):
    """Add an item (nhiệm vụ) to a directive."""
    directive = db.get_or_404(Directive, directive_id)
    form = ItemForm()
    if not form.validate_on_submit():
        return render("directives/show.html", "item_form", status=422, **_show_context(directive, form))
    item = services.add_item(directive, current_user, title=form.title.data, description=form.description.data,
                             default_deadline=form.default_deadline.data, kpi=form.kpi.data or None)
    flash(_("Item added. Now assign it to units."), "success")
    return redirect_to(url_for("directives.assign", item_id=item.id))


@bp.route("/items/<int:item_id>/assign", methods=["GET", "POST"])
@require("directive.manage")
def assign(item_id: int):
    """Assign an item to units: one, several or a whole group, in one step."""
    item = db.get_or_404(Item, item_id)
    form = AssignForm(deadline=item.default_deadline or item.directive.final_deadline)
    units = _active_units()
    form.lead_units.choices = form.cooperating_units.choices = [(u.id, u.name) for u in units]
    if form.validate_on_submit():
        lead_ids = form.lead_units.data + (services.units_of_group(form.group.data) if form.group.data else [])
        try:
            tasks = services.assign_item(item, current_user, lead_unit_ids=lead_ids,
                                         cooperating_unit_ids=form.cooperating_units.data, deadline=form.deadline.data)
        except services.AlreadyAssigned as error:
            form.lead_units.errors.append(_("Already assigned to: %(units)s. Nothing was created.",
                                            units=", ".join(error.unit_names)))
        else:
            flash(_("%(count)d tasks created.", count=len(tasks)), "success")
            return redirect_to(url_for("directives.show", directive_id=item.directive_id))
    return render("directives/assign.html", "form", form=form, item=item, status=form_status(form))
