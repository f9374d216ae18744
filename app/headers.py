"""Security headers on every response: CSP, no sniffing or framing, HSTS where configured, no caching of
signed-in pages."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user


def _content_security_policy() -> str:
    scripts = "'self'"
    if current_app.config["HTMX_USE_CDN"]:
        scripts += " https://cdn.jsdelivr.net"
    return ("default-src 'self'; "
            f"script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'")


def _set_security_headers(response):
    # A served file sets its own, stricter policy (a sandbox: app/evidence/routes.py).
    response.headers.setdefault("Content-Security-Policy", _content_security_policy())
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


def init_app(app: Flask) -> None:
    """Attach the headers to every response."""
    app.after_request(_set_security_headers)
