"""Changes to units, villages and users; each function owns its transaction."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village, VillageKind


class DuplicateError(Exception):
    """A value that must be unique is taken; `field` names the form field."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def _commit(field: str) -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateError(field) from error


def save_unit(unit: Organization | None, *, name: str, short_name: str, kind: str) -> Organization:
    """Create a unit, or update `unit`."""
    clash = select(Organization).where(func.lower(Organization.name) == name.lower())
    if unit is not None:
        clash = clash.where(Organization.id != unit.id)
    if db.session.scalar(clash) is not None:
        raise DuplicateError("name")
    unit = unit or Organization(active=True)
    unit.name, unit.short_name, unit.kind = name, short_name, OrgKind(kind)
    db.session.add(unit)
    _commit("name")
    return unit


def save_village(village: Village | None, *, commune_id: int, name: str, kind: str) -> Village:
    """Create a village, or update `village`; a corrected name counts as confirmed."""
    clash = select(Village).where(Village.commune_id == commune_id, func.lower(Village.name) == name.lower())
    if village is not None:
        clash = clash.where(Village.id != village.id)
    if db.session.scalar(clash) is not None:
        raise DuplicateError("name")
    village = village or Village()
    if village.name != name:
        village.name_confirmed = True
    village.commune_id, village.name, village.kind = commune_id, name, VillageKind(kind)
    db.session.add(village)
    _commit("name")
    return village


def set_active(obj: Organization | User, active: bool) -> None:
    """Activate or deactivate a unit or a user; a deactivated user's sessions end."""
    obj.active = active
    if isinstance(obj, User) and not active:
        obj.end_sessions()
    db.session.commit()


def create_user(*, username: str, password: str, **fields) -> User:
    """A new active user."""
    if db.session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise DuplicateError("username")
    user = User(username=username.lower(), active=True, session_version=1)
    _assign_user_fields(user, **fields)
    user.set_password(password)
    db.session.add(user)
    _commit("username")
    return user


def update_user(user: User, **fields) -> User:
    """Change a user's details, role or unit; a change of role or unit ends their sessions."""
    before = (user.role, user.organization_id)
    _assign_user_fields(user, **fields)
    if (user.role, user.organization_id) != before:
        user.end_sessions()
    db.session.commit()
    return user


def _assign_user_fields(user: User, *, full_name: str, email: str | None, phone: str | None,
                        role: str, organization_id: int) -> None:
    user.full_name, user.email, user.phone = full_name, email or None, phone or None
    user.role, user.organization_id = Role(role), organization_id


def reset_password(user: User) -> str:
    """Give the user a new random password, end their sessions, and return it to show once."""
    password = generate_password()
    user.set_password(password)
    user.end_sessions()
    db.session.commit()
    return password


def generate_password() -> str:
    """A random password of 16 URL-safe characters."""
    return secrets.token_urlsafe(12)
