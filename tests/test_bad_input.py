"""Bad input never causes a 500: forms come back 422 with messages."""
import pytest

from app.models import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def admin_client(app, client, auth):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    auth.login("quantri", PASSWORD)
    return client


def test_a_too_long_value_gets_the_translated_length_message(client):
    """Regression: WTForms' plural length message made Flask-Babel raise KeyError('max'), a 500."""
    response = client.post("/login", data={"username": "x" * 65, "password": "y"})
    assert response.status_code == 422
    assert "Không được dài quá 64 ký tự." in response.text


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[31m", "x\x7f"])
def test_control_characters_are_refused_with_a_message(admin_client, value):
    """PostgreSQL refuses NUL in text: without the check this was a 500 there."""
    response = admin_client.post("/admin/units/new", data={"name": value, "short_name": "X", "kind": "commune"})
    assert response.status_code == 422
    assert "ký tự điều khiển" in response.text


def test_line_breaks_and_tabs_are_not_control_characters(app, admin_client):
    response = admin_client.post("/admin/units/new", data={"name": "UBND\txã", "short_name": "X", "kind": "commune"})
    assert response.status_code == 303
