"""The village registry: /villages, a new village, and the edit form of one village."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, select

from app.extensions import db
from app.forms import form_status, id_arg, submit
from app.htmx import redirect_to, render
from app.models import Organization, Team, Village
from app.pager import paginate
from app.permissions import can, get_or_404, require, scoped, sees_everything, units_in_scope
from app.teams.coverage import team_counts
from app.villages import bp, services
from app.villages.forms import VillageForm


def _communes():
    return [(unit.id, unit.name) for unit in db.session.scalars(units_in_scope(current_user,
                                                                               Organization.communes_query()))]


def _form(village=None, **defaults) -> VillageForm:
    """The village form; the commune can be chosen only by those who may move villages."""
    form = VillageForm(obj=village, **defaults)
    if village is None or can(current_user, "village.move"):
        form.commune_id.choices = _communes()
    else:
        del form.commune_id
    return form


@bp.get("/villages")
@require("village.view")
def index():
    """The villages the user may see, per commune, with their team and whether it counts toward coverage."""
    commune_id = id_arg("commune")
    stmt = (scoped(Village, current_user, select(Village, Team, team_counts().label("counts")))
            .join(Village.commune)
            .outerjoin(Team, and_(Team.village_id == Village.id, Team.active.is_(True)))
            .order_by(Organization.sort_key, Village.commune_id, Village.sort_key, Village.id))
    if commune_id:
        stmt = stmt.where(Village.commune_id == commune_id)
    page = paginate(stmt, args={"commune": commune_id}, rows=True)
    communes = _communes() if sees_everything(current_user) else []
    return render("villages/index.html", "village_rows", page=page, communes=communes, commune_id=commune_id)


@bp.route("/villages/new", methods=["GET", "POST"])
@require("village.create")
def new():
    """Add a village to a commune."""
    form = _form(commune_id=id_arg("commune"))
    village = submit(form, lambda: services.create_village(
        actor=current_user, commune_id=form.commune_id.data, name=form.name.data, kind=form.kind.data))
    if village:
        flash(_("Saved."), "success")
        return redirect_to(url_for("villages.index", commune=village.commune_id))
    return render("villages/edit.html", "form", form=form, village=None, status=form_status(form))


@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
@require("village.edit")
def edit(village_id: int):
    """Correct a village's name or kind; move it to another commune where the user may."""
    village = get_or_404(Village, village_id, current_user, "village.edit")
    form = _form(village)
    if submit(form, lambda: services.update_village(
            village, actor=current_user, name=form.name.data, kind=form.kind.data,
            commune_id=form.commune_id.data if form.commune_id else None)):
        flash(_("Saved."), "success")
        return redirect_to(url_for("villages.index", commune=village.commune_id))
    return render("villages/edit.html", "form", form=form, village=village, status=form_status(form))
