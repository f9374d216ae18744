"""The htmx render contract: full pages for plain, boosted and history requests; named blocks for htmx."""
import re

import pytest

from app.models import Role
from tests.conftest import login
from tests.factories import PASSWORD, make_user


@pytest.fixture
def admin(app, client):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    return client


def test_plain_request_gets_the_full_page(admin):
    response = admin.get("/villages")
    assert response.text.startswith("<!doctype html>")
    assert 'id="village-rows"' in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_only_the_named_block(admin):
    response = admin.get("/villages", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="village-rows"')
    assert "<html" not in response.text and "site-header" not in response.text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
def test_boosted_and_history_restore_requests_get_the_full_page(admin, extra):
    response = admin.get("/villages", headers={"HX-Request": "true", **extra})
    assert response.text.startswith("<!doctype html>")


def test_invalid_htmx_login_returns_the_form_block_with_422(client):
    response = login(client, "x", "y", headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<form id="login-form"')


def test_pages_load_the_pinned_vendored_htmx(client):
    page = client.get("/login").text
    assert re.search(r"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js", page)
    assert '"allowEval": false' in page.replace("&#34;", '"')
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


def test_cdn_mode_uses_the_pinned_url_with_sri(database_url, _schema):
    from tests.conftest import make_app
    app = make_app(database_url, HTMX_USE_CDN=True)
    response = app.test_client().get("/login")
    assert "htmx.org@2.0.11/dist/htmx.min.js" in response.text
    assert 'integrity="sha384-' in response.text
    assert "https://cdn.jsdelivr.net" in response.headers["Content-Security-Policy"]


def test_vendored_file_matches_the_sri_hash():
    import base64
    import hashlib
    from pathlib import Path

    import config
    data = (Path(config.BASE_DIR) / "static/vendor/htmx-2.0.11.min.js").read_bytes()
    assert config.HTMX_SRI == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_successful_htmx_login_redirects_the_whole_page(app, client):
    with app.app_context():
        make_user("htmxuser")
    response = login(client, "htmxuser", PASSWORD, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/"
