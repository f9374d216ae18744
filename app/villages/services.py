"""Creating, correcting and moving villages; each function owns its transaction and leaves one audit row."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.extensions import db
from app.models import COMMUNE_LEVEL, Organization, User, Village, VillageKind
from app.permissions import can, units_in_scope
from app.rules import NAME_TAKEN, RuleError

NOT_A_COMMUNE = _l("Not a valid choice.")
MAY_NOT_MOVE = _l("You may not move a village to another commune.")


def _check(village: Village | None, commune_id: int, name: str, actor: User | None) -> Organization:
    """The commune, of the actor's subtree (another district's is refused as if it did not exist), and a free name."""
    commune = db.session.scalar(units_in_scope(actor).where(Organization.id == commune_id))
    if commune is None or commune.kind not in COMMUNE_LEVEL:
        raise RuleError(NOT_A_COMMUNE, "commune_id")
    clash = select(Village.id).where(Village.commune_id == commune_id, func.lower(Village.name) == name.lower())
    if village is not None:
        clash = clash.where(Village.id != village.id)
    if db.session.scalar(clash) is not None:
        raise RuleError(NAME_TAKEN, "name")
    return commune


def _save(village: Village, action: str, actor: User, changes: dict) -> Village:
    db.session.add(village)
    try:
        db.session.flush()  # a new village's id for the audit row; the unique index catches a name taken meanwhile
    except IntegrityError as error:
        db.session.rollback()
        raise RuleError(NAME_TAKEN, "name") from error
    audit.record(action, village, actor=actor, changes=changes)
    db.session.commit()
    return village


def create_village(*, actor: User, commune_id: int, name: str, kind: str) -> Village:
    """A new village of a commune; its name is confirmed since someone typed it."""
    commune = _check(None, commune_id, name, actor)
    village = Village(commune_id=commune_id, name=name, kind=VillageKind(kind), name_confirmed=True)
    return _save(village, "village.create", actor,
                 {"commune": (None, commune), "name": (None, name), "kind": (None, VillageKind(kind))})


def update_village(village: Village, *, actor: User, name: str, kind: str, commune_id: int | None = None) -> Village:
    """Correct a village's name or kind, and move it to `commune_id` when given; a corrected name is confirmed."""
    commune_id = commune_id or village.commune_id
    if commune_id != village.commune_id and not can(actor, "village.move"):
        raise RuleError(MAY_NOT_MOVE, "commune_id")
    commune = _check(village, commune_id, name, actor)
    changes = {"commune": (village.commune, commune), "name": (village.name, name),
               "kind": (village.kind, VillageKind(kind))}
    if village.name != name:
        village.name_confirmed = True
    village.commune_id, village.name, village.kind = commune_id, name, VillageKind(kind)
    return _save(village, "village.update", actor, changes)
