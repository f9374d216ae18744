"""The one pager: a bounded page number from the query string, one row more than the page to know if
there is a next one (no COUNT over a large table), and links that carry only the list's known filters.

A list ordered by a non-null key and a unique id may also page by keyset (`?after=<key>~<id>`): the next page starts
after the last row shown, read from the index, so a deep page costs what the first does.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select, and_, or_

from app.extensions import db

MAX_PAGE = 10_000  # deeper pages are never meant; a larger number falls back to the first page


def page_number() -> int:
    """The `page` query argument, 1 when absent, malformed or out of bounds."""
    value = request.args.get("page", "")
    if not value.isascii() or not value.isdigit() or len(value) > 5:
        return 1
    number = int(value)
    return number if 1 <= number <= MAX_PAGE else 1


@dataclass
class Page:
    """One page of a list, with what its links need."""

    items: list
    number: int
    has_next: bool
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)
    next_after: str | None = None  # keyset lists: the cursor of the next page
    keyset: bool = False  # this page was reached by a keyset cursor (its number is then unknown)

    @property
    def has_prev(self) -> bool:
        return self.keyset or self.number > 1

    def url(self, number: int) -> str:
        """The list's URL at page `number`, with its filters and nothing else from the query string."""
        return url_for(self.endpoint, **(request.view_args or {}), **self.args, page=number)

    def next_url(self) -> str:
        """The next page: after the last row for a keyset list, else by number."""
        if self.next_after:
            return url_for(self.endpoint, **(request.view_args or {}), **self.args, after=self.next_after)
        return self.url(self.number + 1)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def paginate(stmt: Select, *, args: dict[str, Any] | None = None, page_size: int | None = None,
             rows: bool = False) -> Page:
    """A page of `stmt`: objects (or whole rows with `rows=True`), ordered as `stmt` orders them.

    `args` are the list's filters, kept in the pager's links; empty values are left out.
    """
    size = page_size or current_app.config["PAGE_SIZE"]
    number = page_number()
    stmt = stmt.offset((number - 1) * size).limit(size + 1)
    result = db.session.execute(stmt) if rows else db.session.scalars(stmt)
    items = list(result.unique().all() if not rows else result.all())
    kept = {key: value for key, value in (args or {}).items() if value not in (None, "", [])}
    return Page(items[:size], number, len(items) > size, request.endpoint, kept)


@dataclass(frozen=True)
class Keyset:
    """How a list ordered by (`key`, `id`) pages by cursor: `key` a non-null date column, `id` unique."""

    key: Any
    id: Any
    key_of: Callable[[Any], tuple[date, int]]  # the (key, id) of one result row

    def order_by(self) -> tuple:
        return self.key, self.id

    def after(self, cursor: tuple[date, int]):
        """SQL: rows after the cursor, as a condition the (key, id) index serves."""
        return rows_after(self.order_by(), cursor)


def rows_after(keys: Sequence, values: Sequence, descending: bool = False):
    """SQL: the row comes after `values` in the order of `keys` (written out, so every database uses the index);
    the one keyset condition of the web's lists and the API's cursors."""
    key, value = keys[0], values[0]
    beyond = key < value if descending else key > value
    if len(keys) == 1:
        return beyond
    return or_(beyond, and_(key == value, rows_after(keys[1:], values[1:], descending)))


def parse_after(value: str | None) -> tuple[date, int] | None:
    """The `after` cursor `YYYY-MM-DD~id`; None when absent or malformed (the first page)."""
    if not value or len(value) > 30 or not value.isascii():
        return None
    key, _, row_id = value.partition("~")
    if not row_id.isdigit() or len(row_id) > 12:
        return None
    try:
        return date.fromisoformat(key), int(row_id)
    except ValueError:
        return None


def paginate_keyset(stmt: Select, keyset: Keyset, *, args: dict[str, Any] | None = None,
                    page_size: int | None = None, rows: bool = False) -> Page:
    """A page of `stmt` ordered by the keyset: after `?after=` when given, else by page number as paginate()."""
    stmt = stmt.order_by(None).order_by(*keyset.order_by())
    cursor = parse_after(request.args.get("after"))
    if cursor is None:
        page = paginate(stmt, args=args, page_size=page_size, rows=rows)
    else:
        size = page_size or current_app.config["PAGE_SIZE"]
        result = db.session.execute(stmt.where(keyset.after(cursor)).limit(size + 1))
        items = list(result.all() if rows else result.scalars().unique().all())
        kept = {key: value for key, value in (args or {}).items() if value not in (None, "", [])}
        page = Page(items[:size], 0, len(items) > size, request.endpoint, kept, keyset=True)
    if page.has_next and page.items:
        key, row_id = keyset.key_of(page.items[-1])
        page.next_after = f"{key.isoformat()}~{row_id}"
    return page
