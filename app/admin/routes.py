"""Administration screens: one small view per URL and method."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from app.admin import bp, services
from app.admin.forms import AuditFilterForm, UnitForm, UserEditForm, UserForm
from app.audit import ACTION_LABELS, events_query
from app.extensions import db
from app.forms import ConfirmForm, form_status, saved, submit
from app.htmx import redirect_to, render
from app.models import Organization, OrgKind, User
from app.pager import paginate
from app.permissions import assignable_units, get_or_404, require, scope_root, scoped, units_in_scope


def _unit_choices() -> list | dict:
    """The units a user may belong to. In an area of several levels (a province with its districts) they are grouped
    by the level each belongs to, the province's own units first, so a few hundred units read as short lists."""
    units = db.session.scalars(assignable_units(current_user).options(selectinload(Organization.parent))).all()
    if len({unit.parent_id for unit in units}) <= 1:
        return [(unit.id, unit.name) for unit in units]
    groups: dict[str, list] = {}
    for unit in sorted(units, key=_level_order):  # sorted() is stable: picker order within a level
        groups.setdefault(unit.parent.name if unit.parent else _("Top of the tree"), []).append((unit.id, unit.name))
    return groups


def _level_order(unit: Organization) -> tuple:
    """Higher levels first, then the levels by name."""
    return (unit.parent.path.count("/"), unit.parent.sort_key) if unit.parent else (0, "")


def _parent_choices(unit: Organization | None):
    """The administrative levels a unit may belong to: those of the admin's subtree, never the unit's own subtree
    (the service refuses a cycle anyway); "none" only for an admin of the whole tree."""
    areas = db.session.scalars(units_in_scope(current_user).where(Organization.kind == OrgKind.AREA)
                               .order_by(Organization.path)).all()
    choices = [(area.id, area.name) for area in areas if unit is None or not unit.contains(area)]
    if unit is not None and unit.parent is not None and unit.parent not in areas:
        # the level above the admin's own district: kept when the district itself is edited, offered to no other unit
        choices.insert(0, (unit.parent.id, unit.parent.name))
    return ([(0, _("None (top of the tree)"))] if scope_root(current_user) is None else []) + choices


def _level_names() -> list[str]:
    """Level names already in use, offered while typing (they are data: "tỉnh", "huyện", "phường", ...)."""
    return list(db.session.scalars(select(Organization.level_name).where(Organization.level_name != "")
                                   .distinct().order_by(Organization.level_name).limit(LEVEL_NAMES_OFFERED)))


UNIT_FIELDS = ("name", "short_name", "kind", "parent_id", "level_name")
LEVEL_NAMES_OFFERED = 50  # suggestions while typing a level name; any other can be typed


def _save(form, template: str, save, done_endpoint: str, **context):
    """Validate, call the service, redirect; or show the form again with messages (422)."""
    if submit(form, save) is not None:
        flash(_("Saved."), "success")
        return redirect_to(url_for(done_endpoint))
    return render(template, "form", form=form, status=form_status(form), **context)


def _form_data(form, *names):
    return {name: getattr(form, name).data for name in names}


# Units

@bp.get("/units")
@require("admin.manage")
def units():
    """The units of the administrator's area, by kind and name, a page at a time."""
    page = paginate(scoped(Organization, current_user).options(selectinload(Organization.parent))
                    .order_by(*Organization.picker_order(), Organization.id))
    return render("admin/units.html", page=page)


@bp.route("/units/new", methods=["GET", "POST"])
@require("admin.manage")
def unit_new():
    """Create a unit."""
    root = scope_root(current_user)
    form = UnitForm(parent_id=root.id if root else 0)
    form.parent_id.choices = _parent_choices(None)
    return _save(form, "admin/unit_form.html",
                 lambda: services.save_unit(None, actor=current_user, **_form_data(form, *UNIT_FIELDS)),
                 "admin.units", unit=None, level_names=_level_names())


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require("admin.manage")
def unit_edit(unit_id: int):
    """Edit a unit."""
    unit = get_or_404(Organization, unit_id, current_user)
    form = UnitForm(obj=unit)
    if form.parent_id.data is None:  # a unit at the top of the tree (0 in the choices)
        form.parent_id.data = 0
    form.parent_id.choices = _parent_choices(unit)
    return _save(form, "admin/unit_form.html",
                 lambda: services.save_unit(unit, actor=current_user, **_form_data(form, *UNIT_FIELDS)),
                 "admin.units", unit=unit, level_names=_level_names())


# Users

USER_FIELDS = ("full_name", "email", "phone", "role", "organization_id")


@bp.get("/users")
@require("admin.manage")
def users():
    """The users of the administrator's area with their unit and role, a page at a time."""
    page = paginate(scoped(User, current_user, select(User).join(User.organization))
                    .options(contains_eager(User.organization)).order_by(Organization.sort_key, User.username, User.id))
    return render("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.manage")
def user_new():
    """Create a user."""
    form = UserForm()
    form.organization_id.choices = _unit_choices()
    return _save(form, "admin/user_form.html",
                 lambda: services.create_user(actor=current_user,
                                              **_form_data(form, "username", "password", *USER_FIELDS)),
                 "admin.users", user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("admin.manage")
def user_edit(user_id: int):
    """Edit a user's details, role and unit."""
    user = get_or_404(User, user_id, current_user)
    form = UserEditForm(obj=user)
    form.organization_id.choices = _unit_choices()
    return _save(form, "admin/user_form.html",
                 lambda: services.update_user(user, actor=current_user, **_form_data(form, *USER_FIELDS)),
                 "admin.users", user=user)


# Activation and password reset: a confirmation page (GET), then the change (POST).

ACTIVATION_MODELS = {"units": Organization, "users": User}


@bp.get("/<any(units, users):kind>/<int:object_id>/<any(deactivate, activate):action>")
@require("admin.manage")
def confirm_activation(kind: str, object_id: int, action: str):
    """Ask before activating or deactivating a unit or a user."""
    obj = get_or_404(ACTIVATION_MODELS[kind], object_id, current_user)
    return render("admin/confirm.html", obj=obj, kind=kind, action=action, form=ConfirmForm())


@bp.post("/<any(units, users):kind>/<int:object_id>/<any(deactivate, activate):action>")
@require("admin.manage")
def change_activation(kind: str, object_id: int, action: str):
    """Activate or deactivate a unit or a user."""
    obj = get_or_404(ACTIVATION_MODELS[kind], object_id, current_user)
    form = ConfirmForm()
    done = saved(form, lambda: services.set_active(obj, action == "activate", actor=current_user),
                 _("Activated.") if action == "activate" else _("Deactivated."), url_for(f"admin.{kind}"))
    return done or render("admin/confirm.html", obj=obj, kind=kind, action=action, form=form,
                          status=form_status(form))


@bp.get("/users/<int:user_id>/reset-password")
@require("admin.manage")
def confirm_reset_password(user_id: int):
    """Ask before giving a user a new password."""
    user = get_or_404(User, user_id, current_user)
    return render("admin/confirm.html", obj=user, kind="users", action="reset-password", form=ConfirmForm())


@bp.post("/users/<int:user_id>/reset-password")
@require("admin.manage")
def reset_password(user_id: int):
    """Give a user a new random password and show it once."""
    user = get_or_404(User, user_id, current_user)
    password = services.reset_password(user, actor=current_user)
    return render("admin/password.html", user=user, password=password)


# Audit trail

@bp.get("/audit")
@require("audit.view")
def audit():
    """The audit trail, newest first, filtered by action and username."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [("", _("All actions"))] + [(name, label) for name, label in ACTION_LABELS.items()]
    valid = form.validate()
    stmt = events_query(form.action.data, form.user.data) if valid else events_query()
    events = paginate(stmt, args={"action": form.action.data, "user": form.user.data} if valid else {})
    return render("admin/audit.html", "audit_rows", form=form, events=events, status=form_status(form))
