"""Checking credentials and locking out guessers."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.auth.passwords import password_problem
from app.extensions import db
from app.models import User
from app.models.user import utcnow
from app.rules import RuleError

WRONG_CURRENT_PASSWORD = _l("The current password is wrong.")
SAME_PASSWORD = _l("The new password must differ from the current one.")
# One message whichever part is wrong, the account is locked or shut out: it says nothing about which.
WRONG_CREDENTIALS = _l("Wrong username or password.")


def authenticate(username: str, password: str) -> User:
    """The active, unlocked user with these credentials; RuleError otherwise (on the password field). Every
    attempt is counted and audited, and committed before the refusal.

    Whichever part is wrong, and even when the account is locked, the password is verified once, so that
    the answer takes the same time and says nothing about which part failed.
    """
    typed = username.strip()
    user = db.session.scalar(select(User).where(func.lower(User.username) == typed.lower()))
    if user is None:
        User.spend_password_check_time(password)
        audit.record("login.failure", actor=None, username=typed, detail="unknown_username")
        db.session.commit()
        raise RuleError(WRONG_CREDENTIALS, "password")
    now = utcnow()
    password_ok = user.check_password(password)
    if user.is_locked(now):
        audit.record("login.failure", user, actor=None, username=typed, detail="account_locked")
    elif password_ok and user.can_sign_in:
        user.failed_logins, user.locked_until = 0, None
        audit.record("login.success", actor=user)
        db.session.commit()
        return user
    elif not password_ok:
        _count_failure(user, typed, now)
    else:
        reason = "inactive_account" if not user.active else "inactive_unit"
        audit.record("login.failure", user, actor=None, username=typed, detail=reason)
    db.session.commit()
    raise RuleError(WRONG_CREDENTIALS, "password")


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


def change_password(user: User, *, current: str, new: str, actor: User) -> User:
    """The user's own new password, under the rules of app/auth/passwords.py; their other sessions end.

    A wrong current password counts as a failed sign-in, so a stolen session cannot guess the password.
    """
    if not user.check_password(current):
        _count_failure(user, user.username, utcnow())
        db.session.commit()
        raise RuleError(WRONG_CURRENT_PASSWORD, "current_password")
    problem = password_problem(new, user.username)
    if problem:
        raise RuleError(problem, "new_password")
    if new == current:
        raise RuleError(SAME_PASSWORD, "new_password")
    user.set_password(new)
    user.must_change_password = False
    user.failed_logins = 0
    user.end_sessions()
    audit.record("user.password_change", user, actor=actor)
    db.session.commit()
    return user


def set_email_digest(user: User, wanted: bool) -> User:
    """Turn the user's daily email on or off (their own setting)."""
    user.email_digest = wanted
    db.session.commit()
    return user
