"""Optimistic locking, once: a row changes only if nobody changed it since the form was loaded."""
from __future__ import annotations

from typing import Any

from sqlalchemy import update

from app.extensions import db
from app.rules import Conflict


def compare_and_set(model: type, obj_id: int, version: int, **values: Any) -> None:
    """UPDATE the row to `values` and the next version, only while it is still at `version`; Conflict otherwise.

    One statement, so two workers holding the same version cannot both win. The caller commits; on a
    conflict the transaction is rolled back and nothing was written.
    """
    result = db.session.execute(
        update(model).where(model.id == obj_id, model.version == version)
        .values(**values, version=version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict()
