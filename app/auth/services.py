"""Checking credentials, locking out guessers, and where to go after signing in."""
from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models import User
from app.models.user import utcnow


def authenticate(username: str, password: str) -> User | None:
    """The active, unlocked user with these credentials, or None; every attempt is counted and audited.

    Whichever part is wrong, and even when the account is locked, the password is verified once, so that
    the answer takes the same time and says nothing about which part failed.
    """
    typed = username.strip()
    user = db.session.scalar(select(User).where(func.lower(User.username) == typed.lower()))
    if user is None:
        User.spend_password_check_time(password)
        audit.record("login.failure", actor=None, username=typed, detail="unknown_username")
        db.session.commit()
        return None
    now = utcnow()
    password_ok = user.check_password(password)
    if user.is_locked(now):
        audit.record("login.failure", user, actor=None, username=typed, detail="account_locked")
    elif password_ok and user.active:
        user.failed_logins, user.locked_until = 0, None
        audit.record("login.success", actor=user)
        db.session.commit()
        return user
    elif not password_ok:
        _count_failure(user, typed, now)
    else:
        audit.record("login.failure", user, actor=None, username=typed, detail="inactive_account")
    db.session.commit()
    return None


def _count_failure(user: User, typed: str, now: datetime) -> None:
    """One more failed attempt, counted in SQL so concurrent workers add up; the limit locks the account."""
    user.failed_logins = User.failed_logins + 1
    db.session.flush()  # the attribute is reloaded with the database's count on next access
    audit.record("login.failure", user, actor=None, username=typed, detail="wrong_password")
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        user.failed_logins, user.locked_until = 0, now + timedelta(minutes=minutes)
        audit.record("login.lockout", user, actor=None, username=typed)


def end_sessions(user: User) -> None:
    """Sign-out: bump the session version so that no copy of this user's session cookies works any more.

    This signs the user out on their other devices too, on purpose: commune offices share computers, and a
    session cookie left behind on one of them must not outlive the "Sign out" button.
    """
    user.end_sessions()
    audit.record("logout", actor=user)
    db.session.commit()


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirect)."""
    if not target:
        return None
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(ch) < 32 for ch in target):
        return None
    return target
