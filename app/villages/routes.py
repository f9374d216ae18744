"""The village registry: /villages and the edit form of one village."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, select

from app.extensions import db
from app.forms import db_id, form_status
from app.htmx import redirect_to, render
from app.models import Organization, Team, Village
from app.permissions import can, get_or_404, require, scoped, sees_everything
from app.villages import bp, services
from app.villages.forms import VillageDetailsForm


def _communes():
    return [(unit.id, unit.name) for unit in db.session.scalars(Organization.communes_query())]


@bp.get("/villages")
@require("village.view")
def index():
    """The villages the user may see, per commune, with their team."""
    commune_id = request.args.get("commune", type=db_id)
    stmt = (scoped(Village, current_user, select(Village, Team))
            .join(Village.commune)
            .outerjoin(Team, and_(Team.village_id == Village.id, Team.active.is_(True)))
            .order_by(Organization.sort_key, Village.sort_key))
    if commune_id:
        stmt = stmt.where(Village.commune_id == commune_id)
    rows = db.session.execute(stmt).all()
    communes = _communes() if sees_everything(current_user) else []
    return render("villages/index.html", "village_rows", rows=rows, communes=communes, commune_id=commune_id)


@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
@require("village.edit")
def edit(village_id: int):
    """Correct a village's name or kind."""
    village = get_or_404(Village, village_id, current_user)
    if not can(current_user, "village.edit", village):
        abort(404)
    form = VillageDetailsForm(obj=village)
    if form.validate_on_submit():
        try:
            services.update_details(village, actor=current_user, name=form.name.data, kind=form.kind.data)
        except services.DuplicateError:
            form.name.errors.append(_("This name is already used."))
        else:
            flash(_("Saved."), "success")
            return redirect_to(url_for("villages.index", commune=village.commune_id))
    return render("villages/edit.html", "form", form=form, village=village, status=form_status(form))
