"""Error pages: the Vietnamese page (or its region for htmx) without any detail of the failure; 403s audited."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app import audit
from app.api import problems as api_problems
from app.api.auth import is_api_request
from app.auth.sessions import unauthorized
from app.extensions import db
from app.htmx import is_fragment_request, render


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
    """Sign-in for 401, the error page for the rest; a 403 is audited. The API answers problem+json."""
    if is_api_request():
        return api_problems.from_http_exception(error)
    if error.code == 401:
        return unauthorized()
    if error.code == 403:
        audit.record_refusal("access.forbidden", actor=_signed_in_user(), detail=f"{request.method} {request.path}")
    return _error_response(error.code or 500)


def _internal_error(error: Exception):
    if is_api_request():
        return api_problems.from_internal_error(error)
    current_app.logger.exception("unhandled error")  # the detail goes to the log, never to the page
    db.session.rollback()
    return _error_response(500)


def init_app(app: Flask) -> None:
    """Attach the error handlers."""
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _internal_error)
