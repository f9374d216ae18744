"""A create form sent twice creates one row: one-time submission keys.

A create form carries a hidden key made when the form is rendered. The service that creates the object
remembers (user, key) -> the created object in the same transaction as the creation; a second POST with the
same key (a double click, a reload, a resent form after a lost answer) gets the first object back instead of
a second row, and the view shows it exactly as after the first POST. Two copies racing each other are settled
by the table's primary key: the loser's transaction rolls back and it returns the winner's object.

The API, three lines in all:

    # forms.py: a hidden field, a fresh key on every GET, the posted key kept when the form is shown again
    class ItemForm(Form):
        submission_key = submissions.KeyField()

    # services.py: the earlier object first (before any other check), then submissions.commit()
    def add_item(directive, actor, *, title, ..., submission_key=None) -> Item:
        if (earlier := submissions.earlier(actor, submission_key, Item)) is not None:
            return earlier
        item = Item(...)
        db.session.add(item)
        db.session.flush()  # the id, for the audit row
        audit.record("item.create", item, actor=actor, changes={...})
        return submissions.commit(actor, submission_key, item)  # instead of db.session.commit()

    # routes.py: pass the field's value; the answer is the same for the first and the repeated POST
    # (the template renders the field with form.hidden_tag(), or {{ form.submission_key }})
    item = submit(form, lambda: services.add_item(directive, current_user, ...,
                                                  submission_key=form.submission_key.data))

A missing or malformed key (an old tab, a script) creates as before: the key only ever prevents a copy.
A form rendered anew (a fresh GET, a page the browser reloads after Back) has a new key: that is a new
submission. Keys belong to their user: another user's key is never found. Rows are small (one per created
object); nothing reads them after the form's page is gone, so old ones may be purged at any time.
"""
from __future__ import annotations

import re
import secrets
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from app.extensions import db
from app.models import Submission, User

T = TypeVar("T")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    """A fresh key for a form being rendered."""
    return secrets.token_urlsafe(24)


def _valid(key: str | None) -> str | None:
    return key if isinstance(key, str) and KEY_PATTERN.match(key) else None


class KeyField(HiddenField):
    """The hidden one-time key of a create form: a fresh one on GET, the posted one on POST (None if malformed)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=new_key, filters=[_valid], **kwargs)


def earlier(actor: User, key: str | None, model: type[T]) -> T | None:
    """The object this user's form with this key already created, or None."""
    key = _valid(key)
    if key is None or actor is None:
        return None
    row = db.session.get(Submission, (actor.id, key))
    if row is None or row.object_type != model.__name__:
        return None
    return db.session.get(model, row.object_id)


def commit(actor: User, key: str | None, obj: T) -> T:
    """Remember the key with `obj` and commit the caller's transaction; if a concurrent copy of the same form
    committed first, roll this one back and return that copy's object."""
    key = _valid(key)
    if key is not None:
        db.session.flush()  # obj.id
        db.session.add(Submission(user_id=actor.id, key=key, object_type=type(obj).__name__, object_id=obj.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        winner = earlier(actor, key, type(obj))
        if winner is None:
            raise
        return winner
    return obj

