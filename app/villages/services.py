"""Changes to a village's details, audited; the uniqueness rule is administration's."""
from __future__ import annotations

from app.admin import services as admin_services
from app.extensions import db
from app.models import Village

DuplicateError = admin_services.DuplicateError


def update_details(village: Village, *, actor, name: str, kind: str) -> Village:
    """Rename a village or change its kind within its commune; DuplicateError when the name is taken there."""
    try:
        return admin_services.save_village(village, actor=actor, commune_id=village.commune_id, name=name, kind=kind)
    except DuplicateError:
        db.session.rollback()
        raise
