"""Changes to units and users; each function owns its transaction and leaves an audit row."""
from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.extensions import db
from app.models import Organization, OrgKind, Role, User


class DuplicateError(Exception):
    """A value that must be unique is taken; `field` names the form field."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def _commit(field: str, action: str, obj: Any, changes: dict, actor: User) -> None:
    """Audit and commit; a unique value taken meanwhile by someone else becomes a DuplicateError."""
    try:
        db.session.flush()  # gives a new object its id for the audit row
        audit.record(action, obj, actor=actor, changes=changes)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateError(field) from error


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


def save_unit(unit: Organization | None, *, actor: User, name: str, short_name: str, kind: str) -> Organization:
    """Create a unit, or update `unit`."""
    clash = select(Organization).where(func.lower(Organization.name) == name.lower())
    if unit is not None:
        clash = clash.where(Organization.id != unit.id)
    if db.session.scalar(clash) is not None:
        raise DuplicateError("name")
    action = "unit.update" if unit else "unit.create"
    unit = unit or Organization(active=True)
    changes = _changes(unit, name=name, short_name=short_name, kind=OrgKind(kind))
    unit.name, unit.short_name, unit.kind = name, short_name, OrgKind(kind)
    db.session.add(unit)
    _commit("name", action, unit, changes, actor)
    return unit


def set_active(obj: Organization | User, active: bool, *, actor: User) -> None:
    """Activate or deactivate a unit or a user; a deactivated user's sessions end."""
    obj.active = active
    if isinstance(obj, User) and not active:
        obj.end_sessions()
    kind = "user" if isinstance(obj, User) else "unit"
    audit.record(f"{kind}.{'activate' if active else 'deactivate'}", obj, actor=actor)
    db.session.commit()


def create_user(*, actor: User | None, username: str, password: str, **fields) -> User:
    """A new active user."""
    if db.session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise DuplicateError("username")
    user = User(username=username.lower(), active=True, session_version=1)
    changes = _changes(user, username=username.lower(), **_typed(fields))
    _assign_user_fields(user, **fields)
    user.set_password(password)  # the password itself never reaches the audit trail
    db.session.add(user)
    _commit("username", "user.create", user, changes, actor)
    return user


def update_user(user: User, *, actor: User, **fields) -> User:
    """Change a user's details, role or unit; a change of role or unit ends their sessions."""
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
    """Give the user a new random password, end their sessions, and return it to show once."""
    password = generate_password()
    user.set_password(password)
    user.end_sessions()
    audit.record("user.password_reset", user, actor=actor)
    db.session.commit()
    return password


def generate_password() -> str:
    """A random password of 16 URL-safe characters."""
    return secrets.token_urlsafe(12)
