"""Optimistic locking, once: a row changes only if nobody changed it since the form was loaded."""
from __future__ import annotations

from typing import Any

from sqlalchemy import tuple_, update

from app.extensions import db
from app.rules import Conflict


def compare_and_set(model: type, obj_id: int, version: int, **values: Any) -> None:
    """UPDATE the row to `values` and the next version, only while it is still at `version`; Conflict otherwise.

    One statement, so two workers holding the same version cannot both win. The caller commits; on a
    conflict the transaction is rolled back and nothing was written.
    """
    compare_and_set_all(model, {obj_id: version}, **values)


def compare_and_set_all(model: type, versions: dict[int, int], **values: Any) -> None:
    """The same for many rows in one statement ({id: the version it was loaded at}): all of them, or a Conflict and
    none."""
    if not versions:
        return
    result = db.session.execute(
        update(model).where(model.id.in_(versions), tuple_(model.id, model.version).in_(list(versions.items())))
        .values(**values, version=model.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != len(versions):
        db.session.rollback()
        raise Conflict()
