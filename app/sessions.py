"""Sign-in sessions: the login manager, starting and ending a session, and the idle limit."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from app.extensions import db, login_manager
from app.models import User

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"

# Session key: when the signed-in session was last used (seconds since the epoch), for the idle timeout.
LAST_SEEN = "seen"
# Refresh LAST_SEEN at most this often, so that not every response has to send a new cookie.
LAST_SEEN_RESOLUTION = 60


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session cookie, only while that cookie's session version is current."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Anonymous users go to the sign-in page; htmx requests are told to go there."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


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
    session[LAST_SEEN] = int(time.time())


def sign_out() -> None:
    """End this browser's session (the caller bumps the user's session version to void copies of it)."""
    logout_user()
    _fresh_session()


def _end_idle_session():
    """A signed-in session unused for IDLE_TIMEOUT_MINUTES is treated as signed out."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now, seen = int(time.time()), session.get(LAST_SEEN)
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    if not isinstance(seen, int) or now - seen > minutes * 60:
        sign_out()
        flash(_("You were signed out after %(minutes)d minutes without activity.", minutes=minutes), "info")
    elif now - seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN] = now


def init_app(app: Flask) -> None:
    """Attach the idle limit to every request."""
    app.before_request(_end_idle_session)
