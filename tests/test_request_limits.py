"""Request bodies are bounded: 413 with the Vietnamese page before the body is parsed; a route may declare a
larger limit of its own."""
import pytest

from app.permissions import public
from app.request_limits import body_limit
from tests.conftest import make_app

MEGABYTE = 1024 * 1024


def test_an_anonymous_oversized_post_gets_413_in_vietnamese(client):
    response = client.post("/logout", data={"junk": "x" * (2 * MEGABYTE)})
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.text
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_an_oversized_multipart_field_gets_413(client):
    response = client.post("/login", data={"username": "x" * (600 * 1024), "password": "p"},
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_an_htmx_request_gets_the_message_in_the_main_region(client):
    response = client.post("/logout", data={"junk": "x" * (2 * MEGABYTE)}, headers={"HX-Request": "true"})
    assert response.status_code == 413 and response.headers["HX-Retarget"] == "#main"


def test_the_limits_are_settings(database_url, _schema):
    small = make_app(database_url, MAX_CONTENT_LENGTH=1000).test_client()
    assert small.post("/logout", data={"junk": "x" * 2000}).status_code == 413
    assert small.post("/logout", data={"junk": "x" * 100}).status_code == 303


@pytest.fixture
def upload_app(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)

    @body_limit(max_content_length=5 * MEGABYTE, max_form_memory_size=5 * MEGABYTE)
    @public
    def upload():
        """A stand-in for a later upload route."""
        return "ok"

    @public
    def ordinary():
        """Any other route."""
        return "ok"

    app.add_url_rule("/test/upload", view_func=upload, methods=["POST"])
    app.add_url_rule("/test/ordinary", view_func=ordinary, methods=["POST"])
    return app


def test_a_route_declares_a_larger_limit_for_itself_only(upload_app):
    client = upload_app.test_client()
    body = {"file": "x" * (2 * MEGABYTE)}
    # The CSRF check reads the form first: the route's limit applies already then (400: no token, not 413).
    assert client.post("/test/upload", data=body).status_code == 400
    assert client.post("/test/ordinary", data=body).status_code == 413
    assert client.post("/test/upload", data={"file": "x" * (6 * MEGABYTE)}).status_code == 413
