"""Who calls the API: a bearer token in the Authorization header, never a cookie; the same permission table
as the web."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_limiter.util import get_remote_address

from app.auth import tokens
from app.models import ApiToken, User
from app.permissions import PERMISSIONS, can

API_PREFIX = "/api/"
TOKEN_AUTH = "token"  # the `authentication` of API views, for the route matrix


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


class CookielessApiSessions(SecureCookieSessionInterface):
    """Under /api the session cookie is neither read nor written: cookies never authenticate the API, and its
    answers never set one."""

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return SecureCookieSession()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(API_PREFIX):
            return None
        return super().save_session(app, session, response)


def current_token() -> ApiToken | None:
    """The valid token of this request's `Authorization: Bearer` header, looked up once per request."""
    if "api_token" not in g:
        scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
        g.api_token = tokens.valid_token(secret.strip()) if scheme.lower() == "bearer" else None
    return g.api_token


def api_user() -> User:
    """The token's user; 401 without a valid token."""
    token = current_token()
    if token is None:
        abort(401)
    tokens.note_use(token, writing=request.method not in ("GET", "HEAD", "OPTIONS"))
    return token.user


def rate_limit_key() -> str:
    """Per token for authenticated calls, per address for the others."""
    token = current_token()
    return f"api-token:{token.id}" if token is not None else f"api-address:{get_remote_address()}"


def token_required(action: str):
    """View decorator for the API: a valid token (401), then the role table (403); the view gets `user`."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = api_user()
            if not can(user, action):
                abort(403)
            return view(*args, user=user, **kwargs)

        wrapped.policy = action
        wrapped.authentication = TOKEN_AUTH
        return wrapped

    return decorator
