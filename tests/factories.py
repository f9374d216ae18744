"""Plain functions that make domain objects with sensible defaults; call inside an app context."""
from __future__ import annotations

import itertools

from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village, VillageKind
from app.models.user import hash_password

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def make_unit(name: str | None = None, kind: OrgKind = OrgKind.COMMUNE, **fields) -> Organization:
    n = next(_seq)
    unit = Organization(name=name or f"UBND xã Thử {n}", short_name=fields.pop("short_name", f"Thử {n}"),
                        kind=kind, active=fields.pop("active", True), **fields)
    db.session.add(unit)
    db.session.commit()
    return unit


def make_village(commune: Organization, name: str | None = None, **fields) -> Village:
    village = Village(name=name or f"Thôn {next(_seq)}", commune=commune,
                      kind=fields.pop("kind", VillageKind.VILLAGE), name_confirmed=True, **fields)
    db.session.add(village)
    db.session.commit()
    return village


def make_user(username: str | None = None, role: Role = Role.OFFICER, unit: Organization | None = None,
              **fields) -> User:
    user = User(username=username or f"user{next(_seq)}", role=role, organization=unit or make_unit(),
                full_name=fields.pop("full_name", "Nguyễn Văn A"), active=fields.pop("active", True),
                session_version=1, password_hash=_password_hash(), **fields)
    db.session.add(user)
    db.session.commit()
    return user
