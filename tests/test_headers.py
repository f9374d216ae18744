"""Security headers on error responses, the CSP's settings and secure cookies in production.

Every route's responses, for every role, are checked by the walk in tests/test_route_matrix.py.
"""
import html
import json
import re

import pytest

import config
from app import create_app
from app.extensions import db
from app.models import OrgKind, Role
from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import assert_security_headers


def _client(app, role):
    client = app.test_client()
    if role is not None:
        with app.app_context():
            make_user(f"user-{role}", role=role, unit=make_unit(kind=OrgKind.DISTRICT_OFFICE))
        assert login(client, f"user-{role}", PASSWORD).status_code == 303
    return client


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, None])
def test_error_responses_send_the_headers(app, role):
    client = _client(app, role)
    responses = [client.get("/no-such-page"), client.get("/logout"), client.get("/admin/units/999999/edit"),
                 client.post("/language/xx"), client.get("/admin/users", headers={"HX-Request": "true"}),
                 login(client, "", "")]
    assert {r.status_code for r in responses} >= {404, 405}
    for response in responses:
        assert_security_headers(response, signed_in=role is not None)


def test_a_500_sends_the_headers(database_url, _schema):
    app = make_app(database_url)

    def broken():
        """Fails on purpose."""
        raise RuntimeError("boom")

    broken.policy = "public"
    app.add_url_rule("/test/broken", view_func=broken)
    response = app.test_client().get("/test/broken")
    assert response.status_code == 500
    assert_security_headers(response, signed_in=False)


def test_csrf_refusal_sends_the_headers(database_url, _schema):
    response = make_app(database_url, WTF_CSRF_ENABLED=True).test_client().post("/logout")
    assert response.status_code == 400
    assert_security_headers(response, signed_in=False)


def test_the_cdn_origin_is_allowed_only_when_the_cdn_is_used(database_url, _schema):
    response = make_app(database_url, HTMX_USE_CDN=True).test_client().get("/login")
    assert_security_headers(response, signed_in=False, cdn=True)


def test_htmx_is_configured_without_eval_script_tags_or_injected_styles(client):
    page = client.get("/login").text
    meta = re.search(r'<meta name="htmx-config" content="([^"]+)">', page).group(1)
    settings = json.loads(html.unescape(meta))
    assert settings["allowEval"] is False and settings["allowScriptTags"] is False
    assert settings["includeIndicatorStyles"] is False


# Production

@pytest.fixture
def production_app(database_url, _schema, monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 32)
    app = create_app(config.ProductionConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                                                   "WTF_CSRF_ENABLED": False})
    with app.app_context():
        make_user("canbo")
    yield app
    with app.app_context():
        db.session.remove()
    empty_tables(app)


def test_production_session_cookie_is_a_host_cookie_secure_httponly_and_samesite(production_app):
    client = production_app.test_client()
    response = login(client, "canbo", PASSWORD, base_url="https://localhost")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie and "; Path=/" in cookie
    assert "domain=" not in cookie.lower()  # the __Host- prefix requires: Secure, Path=/, no Domain
    assert client.get("/", base_url="https://localhost").status_code == 200


def test_production_remember_cookie_settings_are_secure(production_app):
    settings = production_app.config
    assert settings["REMEMBER_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_HTTPONLY"]
    assert settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_production_asks_browsers_to_use_https_only(production_app):
    response = production_app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_does_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
