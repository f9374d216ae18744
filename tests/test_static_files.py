"""Static files carry their content's hash in their name and are cached for a year; other names revalidate."""
import hashlib
import re
from pathlib import Path

import pytest
from flask import url_for

import config
from app import static_files

STATIC = Path(config.BASE_DIR) / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def expected_name(filename: str) -> str:
    digest = hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]
    head, _dot, suffix = filename.rpartition(".")
    return f"{head}.{digest}.{suffix}"


def test_pages_link_every_static_file_by_its_hashed_name(client):
    page = client.get("/login").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert sorted(links) == sorted(f"/static/{expected_name(name)}" for name in
                                   ("favicon.svg", "css/app.css", f"vendor/htmx-{config.HTMX_VERSION}.min.js"))


def test_a_hashed_name_is_cached_for_a_year_and_holds_the_file(client):
    response = client.get(f"/static/{expected_name('css/app.css')}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert response.mimetype == "text/css"


def test_a_signed_in_users_static_file_is_cached_and_does_not_vary_on_the_session(signed_in):
    client = signed_in("tamphuoc")
    response = client.get(f"/static/{expected_name('css/app.css')}")
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", ["/static/css/app.css", "/static/css/app.000000000000.css"])
def test_the_plain_name_or_another_releases_hash_is_served_but_revalidated(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    assert "immutable" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/static/css/missing.000000000000.css", "/static/css/missing.css",
                                  "/static/../config.py", "/static/css"])
def test_what_is_not_a_static_file_is_404(client, path):
    assert client.get(path).status_code == 404


def test_a_changed_file_gets_a_new_name(app, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "site.css").write_text("body { color: black }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        (tmp_path / "site.css").write_text("body { color: navy; }")
        second = url_for("static", filename="site.css")
    assert first != second
    assert re.fullmatch(r"/static/site\.[0-9a-f]{12}\.css", second)
    response = app.test_client().get(second)
    assert response.data == b"body { color: navy; }"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert app.test_client().get(first).headers["Cache-Control"] == "no-cache"


def test_names_of_missing_files_and_files_without_suffix_are_left_alone(app):
    with app.test_request_context():
        assert static_files.hashed_name("nope.css") == "nope.css"
        assert url_for("static", filename="css") == "/static/css"
