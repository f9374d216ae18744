"""CSRF stays on here. Every POST route refusing a request without the token and accepting it as a form field or
as the X-CSRFToken header, and no GET route changing anything, are checked by tests/test_route_matrix.py."""
import pytest

from app.models import OrgKind, Role
from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import page_token


@pytest.fixture
def csrf_app(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    yield app
    empty_tables(app)


def test_a_page_gives_htmx_the_token_its_forms_carry(csrf_app):
    """page_token() asserts that <body hx-headers> and the forms' hidden field hold the same token."""
    assert page_token(csrf_app.test_client())


def test_signing_in_needs_the_token_and_starts_a_session_with_a_new_one(csrf_app):
    client = csrf_app.test_client()
    assert login(client, "quantri", PASSWORD).status_code == 400
    token = page_token(client)
    assert login(client, "quantri", PASSWORD, headers={"X-CSRFToken": token}).status_code == 303
    assert page_token(client) != token
