"""Error pages and fragments say what happened in Vietnamese and nothing of how: no traceback, SQL or path."""
import pytest
from sqlalchemy import text

import config
from app.extensions import db
from app.models import Role
from app.permissions import public
from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_user

LEAKS = ["Traceback", "File \"", str(config.BASE_DIR), "/usr/", "site-packages", "SELECT", "secret_table_name",
         "sqlalchemy", "sqlite3", "psycopg", "OperationalError", "ProgrammingError", "KeyError", "boom-detail"]


@pytest.fixture
def broken_app(database_url, _schema):
    """An app with routes, registered only here, that fail the ways real code fails."""
    app = make_app(database_url)

    @public
    def broken_sql():
        """A query on a table that does not exist."""
        db.session.execute(text("SELECT secret_column FROM secret_table_name"))

    @public
    def broken_code():
        """A plain bug."""
        return {}["boom-detail"]

    app.add_url_rule("/test/broken-sql", view_func=broken_sql)
    app.add_url_rule("/test/broken-code", view_func=broken_code, methods=["GET", "POST"])
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    yield app
    empty_tables(app)


@pytest.mark.parametrize("path", ["/test/broken-sql", "/test/broken-code"])
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_500_shows_a_vietnamese_message_and_no_detail(broken_app, path, htmx, signed_in):
    client = broken_app.test_client()
    if signed_in:
        login(client, "quantri", PASSWORD)
    response = client.get(path, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.text
    assert [leak for leak in LEAKS if leak in response.text] == []
    assert [leak for leak in LEAKS if leak in str(response.headers)] == []
    if htmx:
        assert "<html" not in response.text and response.headers["HX-Retarget"] == "#main"


def test_the_database_session_is_usable_after_a_failed_query(broken_app):
    client = broken_app.test_client()
    client.get("/test/broken-sql")
    assert login(client, "quantri", PASSWORD).status_code == 303


@pytest.mark.parametrize("request_args", [
    ("GET", "/no-such-page/../../etc/passwd", {}),
    ("GET", "/logout", {}),
    ("POST", "/admin/units/new", {"headers": {"Content-Type": "multipart/form-data; boundary=x"}, "data": "--x\r\n"}),
    ("POST", "/login", {"data": b"\xff\xfe\x00garbage",
                        "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
])
def test_client_errors_show_no_detail(client, request_args):
    method, path, kwargs = request_args
    response = client.open(path, method=method, **kwargs)
    assert response.status_code < 500
    assert [leak for leak in LEAKS if leak in response.text] == []
