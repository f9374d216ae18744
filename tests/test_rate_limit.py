"""The rate limit on POST /login (the rest of the suite runs with it off)."""
import pytest

from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_user


@pytest.fixture
def limited_app(database_url, _schema):
    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        make_user("canbo")
    yield app
    empty_tables(app)


def _post(client, password="wrong-password-42", address="192.0.2.10"):
    return login(client, "canbo", password, environ_base={"REMOTE_ADDR": address})


def test_posts_beyond_the_limit_get_429_with_the_error_page(limited_app):
    client = limited_app.test_client()
    assert [_post(client).status_code for _ in range(3)] == [422, 422, 422]
    response = _post(client, password=PASSWORD)
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.text
    assert "Retry-After" in response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_limit_counts_posts_only(limited_app):
    client = limited_app.test_client()
    for _ in range(5):
        assert client.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.11"}).status_code == 200
    assert _post(client, password=PASSWORD, address="192.0.2.11").status_code == 303


def test_the_limit_is_per_client_address(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        _post(client, address="192.0.2.12")
    assert _post(client, address="192.0.2.12").status_code == 429
    assert _post(client, password=PASSWORD, address="192.0.2.13").status_code == 303
