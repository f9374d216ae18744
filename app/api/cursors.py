"""Keyset pagination for the API: an opaque cursor holds the sort key of a page's last row; the next page starts
after it (the web pager's condition, app.pager.rows_after), so deep pages cost what the first does and rows added
meanwhile are not skipped."""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.clock import as_utc
from app.extensions import db
from app.pager import rows_after
from app.rules import RuleError

BAD_CURSOR = _l("The cursor is not valid: use the next_cursor of the previous page as it was given.")


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, kinds: Sequence[type]) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError(cursor)
        decoded = []
        for value, kind in zip(values, kinds, strict=True):
            if kind is datetime:
                moment = datetime.fromisoformat(value)
                decoded.append(as_utc(moment))
            elif kind is int and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31:
                decoded.append(value)
            else:
                raise ValueError(cursor)
        return decoded
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise RuleError(BAD_CURSOR, field="cursor") from None


def keyset_page(stmt: Select, keys: Sequence, args: Mapping, key_of: Callable[[Any], Sequence] | None = None,
                *, rows: bool = False, descending: bool = False) -> dict:
    """One page of `stmt` in the order of `keys` (unique together), after the query's `cursor`, `limit` rows long;
    `key_of(row)` gives a row's key values (by default the row's attributes named as the keys).
    Returns {"items": [...], "next_cursor": str | None}."""
    if key_of is None:
        key_of = lambda row: [getattr(row, key.key) for key in keys]  # noqa: E731
    if args.get("cursor"):
        kinds = [datetime if getattr(k.type, "python_type", None) is datetime else int for k in keys]
        stmt = stmt.where(rows_after(keys, _decode(args["cursor"], kinds), descending))
    limit = args["limit"]
    stmt = stmt.order_by(None).order_by(*(k.desc() if descending else k for k in keys)).limit(limit + 1)
    result = db.session.execute(stmt) if rows else db.session.scalars(stmt)
    items = list(result.all())
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": _encode(key_of(items[-1])) if more else None}
