"""The one pager: a bounded page number from the query string, one row more than the page to know if
there is a next one (no COUNT over a large table), and links that carry only the list's known filters."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select

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

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    def url(self, number: int) -> str:
        """The list's URL at page `number`, with its filters and nothing else from the query string."""
        return url_for(self.endpoint, **(request.view_args or {}), **self.args, page=number)

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
