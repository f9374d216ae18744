"""Personal API tokens: made and revoked by their user (an administrator revokes any), found by their secret.

The secret (256 random bits) is shown once; the database keeps its sha256 and a short prefix to tell tokens apart.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.extensions import db
from app.models import ApiToken, User
from app.models.user import utcnow
from app.rules import RuleError

SECRET_PREFIX = "dh_"  # tells a leaked secret apart at a glance (and lets secret scanners find it)
SHOWN_PREFIX = 10  # characters of the secret kept for display
LIFETIMES = (30, 90, 365)  # days a user may choose
MAX_ACTIVE_TOKENS = 10  # per user
LAST_USED_RESOLUTION = timedelta(minutes=5)  # last_used_at is written at most this often
OWN_TOKENS_SHOWN = 100  # the account page lists the newest; older revoked and expired ones are of no use


def hash_secret(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (bounded by MAX_ACTIVE_TOKENS active ones and what was revoked)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc()).limit(OWN_TOKENS_SHOWN)))


def _active_tokens(user: User, now: datetime):
    """SELECT of the user's tokens neither revoked nor expired."""
    return select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)


def create_token(*, actor: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the actor and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise RuleError(_l("Give the token a name, e.g. the system that will use it."), field="name")
    if days not in LIFETIMES:
        raise RuleError(_l("Choose one of the validity periods offered."), field="days")
    now = utcnow()
    active = db.session.scalar(_active_tokens(actor, now).with_only_columns(db.func.count(ApiToken.id)))
    if active >= MAX_ACTIVE_TOKENS:
        raise RuleError(_l("You already have %(count)d valid tokens: revoke one you no longer use first.",
                           count=MAX_ACTIVE_TOKENS))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name[:80], token_hash=hash_secret(secret), prefix=secret[:SHOWN_PREFIX],
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, actor=actor, changes={"name": (None, token.name)})
    db.session.commit()
    return token, secret


def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke a token at once; revoking it again is refused."""
    if token.revoked_at is not None:
        raise RuleError(_l("This token has already been revoked."))
    _revoke(token, actor, utcnow())
    db.session.commit()
    return token


def _revoke(token: ApiToken, actor: User, now: datetime) -> None:
    token.revoked_at, token.revoked_by_id = now, actor.id
    audit.record("api_token.revoke", token, actor=actor, changes={"name": (token.name, token.name)},
                 detail=token.user.username if token.user_id != actor.id else "")


def revoke_all(user: User, *, actor: User) -> int:
    """Revoke the user's active tokens (a password reset shuts out whoever held the account); the caller commits."""
    now = utcnow()
    tokens = db.session.scalars(_active_tokens(user, now)).all()
    for token in tokens:  # at most MAX_ACTIVE_TOKENS
        _revoke(token, actor, now)
    return len(tokens)


def valid_token(secret: str) -> ApiToken | None:
    """The valid token with this secret, or None (unknown, revoked, expired, or its user shut out)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    return token if token is not None and token.is_valid(utcnow()) else None


def note_use(token: ApiToken, *, writing: bool, now: datetime | None = None) -> None:
    """Remember when the token was last used, at most every few minutes.

    A writing request (which holds SQLite's write lock from its start) saves it with its own change; a reading
    one in a short transaction of its own that takes the write lock first, as app/audit.py does for refusals.
    """
    now = now or utcnow()
    last = token.last_used_at
    if last is not None and (last if last.tzinfo else last.replace(tzinfo=now.tzinfo)) > now - LAST_USED_RESOLUTION:
        return
    if writing:
        token.last_used_at = now
        return
    try:
        with db.engine.connect().execution_options(**{audit.WRITE_LOCK: True}) as connection:
            connection.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
            connection.commit()
    except SQLAlchemyError:
        pass  # a busy database does not refuse the request over a bookkeeping time
    set_committed_value(token, "last_used_at", now)
