"""Checking credentials and where to go after signing in."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select

from app.extensions import db
from app.models import User


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same cost whichever part is wrong."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        User.spend_password_check_time(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


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
