"""Changes to units and users; each function owns its transaction and leaves an audit row."""
from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth import tokens
from app.extensions import db
from app.models import Directive, Item, Organization, OrgKind, Role, Task, User, task_cooperator
from app.models.org import TREE_ROOT
from app.permissions import scope_path, units_in_scope
from app.rules import NAME_TAKEN, RuleError

OWN_ADMIN_RIGHTS_MESSAGE = _l("You cannot take away your own administrator rights or deactivate yourself: "
                              "ask another administrator.")
LAST_ADMIN_MESSAGE = _l("This is the last active administrator: make another user an administrator first.")
OWN_UNIT_MESSAGE = _l("You cannot deactivate your own unit: you would be signed out for good.")
PARENT_OUTSIDE_MESSAGE = _l("Choose a province or district of your own area for the unit to belong to.")
CYCLE_MESSAGE = _l("A unit cannot belong to itself or to one of its own units.")
LEVEL_NAME_MESSAGE = _l("Enter the level's name (for example tỉnh, huyện, thị xã).")
AREA_HOLDS_UNITS_MESSAGE = _l("Units belong to this administrative level: move them first.")
LAST_ADMIN_UNIT_MESSAGE = _l("This unit holds the last active administrator: make a user of another unit an "
                             "administrator first.")


# A value that must be unique is taken (field -> message).
DUPLICATE_MESSAGES = {
    "name": NAME_TAKEN,
    "username": _l("This username is already taken."),
}


def _duplicate(field: str) -> RuleError:
    return RuleError(DUPLICATE_MESSAGES[field], field)


def _commit(field: str, action: str, obj: Any, changes: dict, actor: User) -> None:
    """Audit and commit; a unique value taken meanwhile by someone else is refused like one taken before."""
    try:
        db.session.flush()  # gives a new object its id for the audit row
        audit.record(action, obj, actor=actor, changes=changes)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise _duplicate(field) from error


# A unit id changes as the unit's name in the trail: field of the change, relationship holding the old one.
_UNIT_FIELDS = {"organization_id": ("unit", "organization")}


def _changes(obj: Any, **values: Any) -> dict[str, tuple[Any, Any]]:
    """field -> (old, new) for the audit trail (app.audit keeps only the fields that differ)."""
    changes = {}
    for name, new in values.items():
        if name in _UNIT_FIELDS:
            field, relationship = _UNIT_FIELDS[name]
            changes[field] = (getattr(obj, relationship, None), db.session.get(Organization, new) if new else None)
        else:
            changes[name] = (getattr(obj, name, None), new)
    return changes


def _parent(parent_id: int | None, unit: Organization | None, actor: User) -> Organization | None:
    """The administrative level a unit is placed under, checked: one of the actor's subtree, not the unit's own
    (or the one it has: an admin edits their own district, which belongs to a province outside their subtree)."""
    if unit is not None and unit.id is not None and (parent_id or None) == unit.parent_id:
        return unit.parent
    if not parent_id:
        if scope_path(actor) != TREE_ROOT:
            raise RuleError(PARENT_OUTSIDE_MESSAGE, "parent_id")
        return None
    parent = db.session.scalar(units_in_scope(actor).where(Organization.id == parent_id))
    if parent is None or not parent.is_area:
        raise RuleError(PARENT_OUTSIDE_MESSAGE, "parent_id")
    if unit is not None and unit.id is not None and unit.contains(parent):
        raise RuleError(CYCLE_MESSAGE, "parent_id")
    return parent


def _keep_tasks_in_reach(unit: Organization, parent: Organization | None) -> None:
    """Refuse a move that takes tasks away from the level that issued their directive: that office would no longer
    see them (its scope is its own subtree)."""
    new_path = f"{parent.path if parent else TREE_ROOT}{unit.id}/"
    moved = select(Organization.id).where(Organization.within(unit.path))
    carried = (select(Directive.organization_id).join(Item, Item.directive_id == Directive.id)
               .join(Task, Task.item_id == Item.id)
               .where(or_(Task.lead_unit_id.in_(moved), Task.id.in_(
                   select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id.in_(moved)))),
                      Directive.organization_id.is_not(None)).distinct())
    issuers = db.session.scalars(select(Organization).where(Organization.id.in_(carried)))
    cut_off = sorted({issuer.name for issuer in issuers
                      if not unit.contains(issuer) and not new_path.startswith(issuer.level_path())})
    if cut_off:
        raise RuleError(_l("This unit carries tasks of directives of %(issuers)s: under the level chosen, that "
                           "office would no longer see them. Finish, cancel or unassign those tasks first, or "
                           "choose a level within its reach.", issuers=", ".join(cut_off)), "parent_id")


def save_unit(unit: Organization | None, *, actor: User, name: str, short_name: str, kind: str,
              parent_id: int | None = None, level_name: str | None = None) -> Organization:
    """Create a unit, or update `unit` (moving it, with its subtree, under another administrative level)."""
    clash = select(Organization).where(func.lower(Organization.name) == name.lower())
    if unit is not None:
        clash = clash.where(Organization.id != unit.id)
    if db.session.scalar(clash) is not None:
        raise _duplicate("name")
    level_name = level_name or ""
    if OrgKind(kind) == OrgKind.AREA and not level_name:
        raise RuleError(LEVEL_NAME_MESSAGE, "level_name")
    if unit is not None and unit.is_area and OrgKind(kind) != OrgKind.AREA and db.session.scalar(
            select(Organization.id).where(Organization.parent_id == unit.id).limit(1)) is not None:
        raise RuleError(AREA_HOLDS_UNITS_MESSAGE, "kind")
    parent = _parent(parent_id, unit, actor)
    if unit is not None and unit.parent_id != (parent.id if parent else None):
        _keep_tasks_in_reach(unit, parent)
    action = "unit.update" if unit else "unit.create"
    unit = unit or Organization(active=True)
    changes = _changes(unit, name=name, short_name=short_name, kind=OrgKind(kind), level_name=level_name,
                       parent=parent)
    unit.name, unit.short_name, unit.kind, unit.level_name = name, short_name, OrgKind(kind), level_name
    unit.parent_id = parent.id if parent else None
    db.session.add(unit)
    _commit("name", action, unit, changes, actor)
    return unit


def _other_active_admins(excluded: Any) -> int:
    """Active administrators of active units outside `excluded` (a user or a unit), rows locked against a
    concurrent change (PostgreSQL; SQLite's writing requests hold the write lock already)."""
    stmt = (select(User.id).join(User.organization)
            .where(User.role == Role.ADMIN, User.active.is_(True), Organization.active.is_(True)))
    stmt = stmt.where(User.id != excluded.id) if isinstance(excluded, User) else stmt.where(
        User.organization_id != excluded.id)
    return len(db.session.scalars(stmt.with_for_update(of=User)).all())


def _keep_an_administrator(user: User, actor: User | None, *, role: Role, active: bool, field: str | None) -> None:
    """Refuse taking an active administrator's rights away from themselves, or from the last one."""
    if user.role != Role.ADMIN or not user.active or (role == Role.ADMIN and active):
        return
    if actor is not None and actor.id == user.id:
        raise RuleError(OWN_ADMIN_RIGHTS_MESSAGE, field)
    if _other_active_admins(user) == 0:
        raise RuleError(LAST_ADMIN_MESSAGE, field)


def _keep_an_administrators_unit(unit: Organization, actor: User | None) -> None:
    if actor is not None and actor.organization_id == unit.id:
        raise RuleError(OWN_UNIT_MESSAGE)
    if _other_active_admins(unit) == 0:
        raise RuleError(LAST_ADMIN_UNIT_MESSAGE)


def set_active(obj: Organization | User, active: bool, *, actor: User | None) -> Organization | User:
    """Activate or deactivate a unit or a user (returned); a deactivated user's sessions end, and so do those of a
    deactivated unit's users (they can no longer sign in). The portal always keeps an administrator."""
    if not active and obj.active:
        if isinstance(obj, User):
            _keep_an_administrator(obj, actor, role=obj.role, active=False, field=None)
        else:
            _keep_an_administrators_unit(obj, actor)
    obj.active = active
    if isinstance(obj, User) and not active:
        obj.end_sessions()
    kind = "user" if isinstance(obj, User) else "unit"
    audit.record(f"{kind}.{'activate' if active else 'deactivate'}", obj, actor=actor)
    db.session.commit()
    return obj


def create_user(*, actor: User | None, username: str, password: str, **fields) -> User:
    """A new active user (`actor` None: created at the console)."""
    if db.session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise _duplicate("username")
    user = User(username=username.lower(), active=True, session_version=1)
    changes = _changes(user, username=username.lower(), **_typed(fields))
    _assign_user_fields(user, **fields)
    user.set_password(password)  # the password itself never reaches the audit trail
    db.session.add(user)
    _commit("username", "user.create", user, changes, actor)
    return user


def update_user(user: User, *, actor: User | None, **fields) -> User:
    """Change a user's details, role or unit; a change of role or unit ends their sessions."""
    _keep_an_administrator(user, actor, role=Role(fields["role"]), active=True, field="role")
    before = (user.role, user.organization_id)
    changes = _changes(user, **_typed({name: value or None for name, value in fields.items()}))
    _assign_user_fields(user, **fields)
    if (user.role, user.organization_id) != before:
        user.end_sessions()
    audit.record("user.update", user, actor=actor, changes=changes)
    db.session.commit()
    return user


def _typed(fields: dict) -> dict:
    """The user form's values as the model holds them (a role is a Role), so unchanged ones compare equal."""
    return {name: Role(value) if name == "role" and value else value for name, value in fields.items()}


def _assign_user_fields(user: User, *, full_name: str, email: str | None, phone: str | None,
                        role: str, organization_id: int) -> None:
    user.full_name, user.email, user.phone = full_name, email or None, phone or None
    user.role, user.organization_id = Role(role), organization_id


def reset_password(user: User, *, actor: User) -> str:
    """Give the user a new random password, to be changed at their next sign-in; end their sessions and revoke
    their API tokens; return the password to show once."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.end_sessions()
    tokens.revoke_all(user, actor=actor)
    audit.record("user.password_reset", user, actor=actor)
    db.session.commit()
    return password


def generate_password() -> str:
    """A random password of 16 URL-safe characters."""
    return secrets.token_urlsafe(12)
