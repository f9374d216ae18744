"""Sign-in sessions: the login manager, starting and ending a session, and the limits a session lives within
(idle time, absolute lifetime, an active user of an active unit, a password that need not be changed first)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from app.extensions import db, login_manager
from app.htmx import redirect_to
from app.models import User

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"

# Session keys: when the session was last used, and when it began (seconds since the epoch).
LAST_SEEN = "seen"
STARTED = "started"
# Refresh LAST_SEEN at most this often, so that not every response has to send a new cookie.
LAST_SEEN_RESOLUTION = 60
# What a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language", "static", "main.healthz"}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session cookie, only while that cookie's session version is current and both the user
    and their unit are active."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # The unit comes in the same statement: every page needs it (can_sign_in, the header, scopes).
    user = db.session.get(User, int(user_id), options=[joinedload(User.organization)])
    if user is None or not user.can_sign_in or user.session_version != int(version):
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


def return_target() -> str:
    """Where to go after signing in: this URL for a page, the page the user was on for an htmx request or a POST
    (the POST-only URL itself would answer 405)."""
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        return request.full_path.rstrip("?")
    for header in ("HX-Current-URL", "Referer"):
        target = _local_path(request.headers.get(header))
        if target:
            return target
    return url_for("main.dashboard")


def _local_path(url: str | None) -> str | None:
    """The path and query of `url` when it points at this site (other than the sign-in page), else None."""
    if not url:
        return None
    parts = urlsplit(url.replace("\\", "/"))
    if parts.netloc and parts.netloc != request.host:
        return None
    target = safe_next(urlunsplit(("", "", parts.path, parts.query, "")))
    if target is None or target.startswith(url_for("auth.login")):
        return None
    return target


@login_manager.unauthorized_handler
def unauthorized():
    """Anonymous users go to the sign-in page; htmx requests are told to go there."""
    return redirect_to(url_for("auth.login", next=return_target()), code=302, hx_status=401)


def _fresh_session() -> None:
    """Forget everything the session holds but the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def sign_in(user: User) -> None:
    """Start a new session for the user: nothing from before sign-in is carried over."""
    _fresh_session()
    login_user(user)
    session[LAST_SEEN] = session[STARTED] = int(time.time())


def sign_out() -> None:
    """End this browser's session (the caller bumps the user's session version to void copies of it)."""
    logout_user()
    _fresh_session()


# Requests a page makes by itself (the bell's polling): they do not count as activity, or an open tab would never
# be signed out for idleness.
PASSIVE_ENDPOINTS = frozenset({"followup.badge"})


def _end_expired_session():
    """A session unused for IDLE_TIMEOUT_MINUTES, or older than SESSION_LIFETIME_HOURS, is signed out."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now, seen, started = int(time.time()), session.get(LAST_SEEN), session.get(STARTED)
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    hours = current_app.config["SESSION_LIFETIME_HOURS"]
    if not isinstance(started, int) or now - started > hours * 3600:
        sign_out()
        flash(_("Your session ended after %(hours)d hours. Please sign in again.", hours=hours), "info")
    elif not isinstance(seen, int) or now - seen > minutes * 60:
        sign_out()
        flash(_("You were signed out after %(minutes)d minutes without activity.", minutes=minutes), "info")
    elif now - seen >= LAST_SEEN_RESOLUTION and request.endpoint not in PASSIVE_ENDPOINTS:
        session[LAST_SEEN] = now


def _require_password_change():
    """After an administrator's reset, every page leads to the password change form until it is done."""
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    return redirect_to(url_for("auth.change_password"), code=303 if request.method != "GET" else 302)


def init_app(app: Flask) -> None:
    """Attach the session limits to every request."""
    app.before_request(_end_expired_session)
    app.before_request(_require_password_change)
