"""Teams: coverage, registering a village's team, its members, deactivation with a confirmation step."""
from flask import current_app, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import today
from app.extensions import db
from app.forms import form_status, id_arg, saved, submit
from app.htmx import is_fragment_request, redirect_to, render
from app.models import Organization, Team, TeamMember, Village
from app.pager import paginate
from app.permissions import get_or_404, require, scoped, sees_everything
from app.teams import bp, coverage, services
from app.teams.forms import MemberForm, TeamEditForm, TeamForm

MEMBER_FIELDS = ("full_name", "position", "affiliation", "phone", "publish_contact")
COMMUNES_PER_PAGE = 10  # /teams: a page of communes, with their villages without a team and their teams


def _village_choices(villages):
    """Villages grouped by commune for a select."""
    groups: dict[str, list] = {}
    for village in villages:
        groups.setdefault(village.commune.name, []).append((village.id, village.name))
    return groups


def _offered_communes(form: TeamForm) -> list[int] | None:
    """Whose villages the team form offers: an officer's scope is one unit (None: no narrowing); district staff get
    the chosen (or posted) village's commune, else the first page of /teams' communes: a bounded select."""
    if not sees_everything(current_user):
        return None
    chosen = form.village_id.data
    village = (db.session.scalar(scoped(Village, current_user).where(Village.id == chosen))
               if isinstance(chosen, int) else None)
    if village is not None:
        return [village.commune_id]
    return list(db.session.scalars(coverage.coverage_by_commune_query(current_user)
                                   .with_only_columns(Organization.id).limit(COMMUNES_PER_PAGE)))


@bp.get("/teams")
@require("team.view")
def index():
    """Coverage per commune and for the district against each KPI item's target, then, for the communes of this
    page, villages without a team, the teams the user may see and why some do not count yet."""
    page = paginate(coverage.coverage_by_commune_query(current_user), rows=True, page_size=COMMUNES_PER_PAGE)
    page.items = coverage.coverage_rows(page.items)
    # District readers see the villages and teams of this page's communes; an officer's scope is already one unit.
    communes = [row.commune_id for row in page.items] if sees_everything(current_user) else None
    return render("teams/index.html", page=page, coverage_rows=page.items,
                  district=coverage.district_coverage(current_user), targets=coverage.coverage_targets(current_user),
                  without_team=coverage.villages_without_team(current_user, communes),
                  teams=services.teams_for(current_user, communes),
                  min_members=current_app.config["TEAM_MIN_MEMBERS"], today=today())


@bp.route("/teams/new", methods=["GET", "POST"])
@require("team.manage")
def new():
    """Register the team of a village that has none."""
    form = TeamForm(village_id=id_arg("village"))
    form.village_id.choices = _village_choices(coverage.villages_without_team(current_user, _offered_communes(form)))
    done = saved(form, lambda: services.register_team(
        actor=current_user, village_id=form.village_id.data, established_on=form.established_on.data,
        decision_number=form.decision_number.data), _("Team registered. Now add its members."), _team_page)
    return done or render("teams/form.html", "form", form=form, team=None, status=form_status(form))


def _team_page(team: Team) -> str:
    return url_for("teams.show", team_id=team.id)


@bp.get("/teams/<int:team_id>")
@require("team.view")
def show(team_id: int):
    """A team with its members."""
    return show_page(get_or_404(Team, team_id, current_user))


def show_page(team: Team, status: int = 200, **extra):
    """The team page (the evidence routes show it again with a refused attach form)."""
    return render("teams/show.html", team=team, form=MemberForm(formdata=None), standing=services.standing_of(team),
                  min_members=current_app.config["TEAM_MIN_MEMBERS"], status=status, **extra)


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@require("team.manage")
def edit(team_id: int):
    """Correct a team's date or decision number."""
    team = get_or_404(Team, team_id, current_user, "team.manage")
    form = TeamEditForm(obj=team)
    done = saved(form, lambda: services.update_team(team, actor=current_user, established_on=form.established_on.data,
                                                    decision_number=form.decision_number.data), _("Saved."), _team_page)
    return done or render("teams/form.html", "form", form=form, team=team, status=form_status(form))


@bp.post("/teams/<int:team_id>/members")
@require("team.manage")
def add_member(team_id: int):
    """Add a member; htmx gets the member list and a fresh form back, and whether the team counts out of band."""
    team = get_or_404(Team, team_id, current_user, "team.manage")
    form = MemberForm()
    member = submit(form, lambda: services.add_member(
        team, actor=current_user, **{name: getattr(form, name).data for name in MEMBER_FIELDS}))
    if member and not is_fragment_request():
        flash(_("%(name)s was added to the team.", name=member.full_name), "success")
        return redirect_to(url_for("teams.show", team_id=team.id))
    if member:
        form = MemberForm(formdata=None)
    return render("teams/show.html", "members", "standing", team=team, form=form, added=member or None,
                  standing=services.standing_of(team), min_members=current_app.config["TEAM_MIN_MEMBERS"], oob=True,
                  status=form_status(form))


@bp.route("/teams/members/<int:member_id>/edit", methods=["GET", "POST"])
@require("team.manage")
def edit_member(member_id: int):
    """Change a member's name, position, affiliation, phone or consent to publication."""
    member = get_or_404(TeamMember, member_id, current_user, "team.manage")
    form = MemberForm(obj=member)
    done = saved(form, lambda: services.update_member(
        member, actor=current_user, **{name: getattr(form, name).data for name in MEMBER_FIELDS}),
        _("Saved."), _team_page(member.team))
    return done or render("teams/member_form.html", "form", form=form, member=member, status=form_status(form))


@bp.get("/teams/<int:team_id>/deactivate")
@require("team.manage")
def confirm_deactivate(team_id: int):
    """Ask before deactivating a team."""
    return render("teams/confirm.html", obj=get_or_404(Team, team_id, current_user, "team.manage"), kind="team")


@bp.post("/teams/<int:team_id>/deactivate")
@require("team.manage")
def deactivate(team_id: int):
    """Deactivate a team and its members; the village counts as uncovered again. Nothing is deleted."""
    services.deactivate_team(get_or_404(Team, team_id, current_user, "team.manage"), actor=current_user)
    flash(_("Team deactivated."), "success")
    return redirect_to(url_for("teams.index"))


@bp.get("/teams/members/<int:member_id>/deactivate")
@require("team.manage")
def confirm_deactivate_member(member_id: int):
    """Ask before deactivating a member."""
    member = get_or_404(TeamMember, member_id, current_user, "team.manage")
    return render("teams/confirm.html", obj=member, kind="member")


@bp.post("/teams/members/<int:member_id>/deactivate")
@require("team.manage")
def deactivate_member(member_id: int):
    """A member leaves the team; the record stays."""
    member = get_or_404(TeamMember, member_id, current_user, "team.manage")
    services.deactivate_member(member, actor=current_user)
    flash(_("Member deactivated."), "success")
    return redirect_to(url_for("teams.show", team_id=member.team_id))
