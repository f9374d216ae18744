"""Sign-in plumbing, sessions, security headers and error pages."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from app import audit
from app.extensions import db, login_manager
from app.forms import MAX_ID
from app.htmx import is_fragment_request, render
from app.models import User

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session cookie, only while that cookie's session version is current."""
    user_id, _, version = session_id.partition(":")
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


# Session key: when the signed-in session was last used (seconds since the epoch), for the idle timeout.
LAST_SEEN = "seen"
# Refresh LAST_SEEN at most this often, so that not every response has to send a new cookie.
LAST_SEEN_RESOLUTION = 60


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


class IdConverter(IntegerConverter):
    """<int:...> in URLs matches only numbers an id column can hold: larger ones are an unknown URL (404)
    instead of a database error (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _content_security_policy() -> str:
    scripts = "'self'"
    if current_app.config["HTMX_USE_CDN"]:
        scripts += " https://cdn.jsdelivr.net"
    return ("default-src 'self'; "
            f"script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'")


def _set_security_headers(response):
    response.headers["Content-Security-Policy"] = _content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if current_app.config["STRICT_TRANSPORT_SECURITY"]:
        response.headers["Strict-Transport-Security"] = current_app.config["STRICT_TRANSPORT_SECURITY"]
    if request.endpoint != "static":
        response.vary.add("HX-Request")
        response.vary.add("Cookie")
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
    return response


def _error_response(status: int):
    """The Vietnamese error page (its content block for htmx), without any detail of the failure."""
    response = render("errors/error.html", "content", status=status, code=status)
    if is_fragment_request():
        # Let htmx show the message in the main region instead of silently ignoring the error.
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _signed_in_user():
    """The user behind the request, or None; error pages run for anonymous visitors too."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def _error_page(error: HTTPException):
    """Sign-in for 401, the error page for the rest; a 403 is audited."""
    if error.code == 401:
        return unauthorized()
    if error.code == 403:
        audit.record_refusal("access.forbidden", actor=_signed_in_user(), detail=f"{request.method} {request.path}")
    return _error_response(error.code or 500)


def _internal_error(error: Exception):
    current_app.logger.exception("unhandled error")  # the detail goes to the log, never to the page
    db.session.rollback()
    return _error_response(500)


def init_app(app: Flask) -> None:
    """Attach the idle timeout, headers and error handlers."""
    app.before_request(_end_idle_session)
    app.after_request(_set_security_headers)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _internal_error)
