"""Sessions: a new one at sign-in; a copied cookie is refused after sign-out, password reset or deactivation;
an idle session ends."""
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role, User
from tests.factories import PASSWORD, make_unit, make_user

START = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def users(app):
    with app.app_context():
        office = make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE)
        make_user("quantri", role=Role.ADMIN, unit=office)
        return {"officer": make_user("canbo").id}


def _signed_in(app, username="canbo"):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 303
    return client


def _copy(app, client):
    """Another browser holding a copy of the client's session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/").status_code == 200  # the copy works while the session is valid
    return thief


def _is_signed_out(client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_sign_in_issues_a_new_session_cookie(app, client, users):
    client.get("/login")
    client.post("/language/en", data={"next": "/login"})
    before = client.get_cookie("session").value
    client.post("/login", data={"username": "canbo", "password": PASSWORD})
    assert client.get_cookie("session").value != before
    attacker = app.test_client()
    attacker.set_cookie("session", before)  # a session fixed before sign-in stays anonymous
    assert _is_signed_out(attacker)
    assert 'lang="en"' in client.get("/").text  # only the language is carried over


def test_a_copied_cookie_is_refused_after_sign_out(app, users):
    client = _signed_in(app)
    thief = _copy(app, client)
    assert client.post("/logout").status_code == 303
    assert _is_signed_out(client) and _is_signed_out(thief)


def test_sign_out_ends_the_users_sessions_on_other_devices_too(app, users):
    """The chosen trade-off: one session version per user, so sign-out voids every device's session."""
    office, phone = _signed_in(app), _signed_in(app)
    office.post("/logout")
    assert _is_signed_out(phone)
    assert not _is_signed_out(_signed_in(app))  # signing in again works at once


def test_a_copied_cookie_is_refused_after_a_password_reset(app, users):
    client = _signed_in(app)
    thief = _copy(app, client)
    admin = _signed_in(app, "quantri")
    assert admin.post(f"/admin/users/{users['officer']}/reset-password").status_code == 200
    assert _is_signed_out(client) and _is_signed_out(thief)
    assert not _is_signed_out(admin)


def test_a_copied_cookie_is_refused_after_deactivation(app, users):
    client = _signed_in(app)
    thief = _copy(app, client)
    admin = _signed_in(app, "quantri")
    assert admin.post(f"/admin/users/{users['officer']}/deactivate").status_code == 303
    assert _is_signed_out(client) and _is_signed_out(thief)
    admin.post(f"/admin/users/{users['officer']}/activate")
    assert _is_signed_out(thief)  # reactivation does not revive old sessions


def test_sign_out_is_audited(app, users):
    _signed_in(app).post("/logout")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logout"))
        assert (event.username, event.user_id, event.object_type) == ("canbo", users["officer"], "")


def test_signing_out_twice_or_anonymously_is_harmless(app, client, users):
    assert client.post("/logout").status_code == 303
    signed_in = _signed_in(app)
    signed_in.post("/logout")
    assert signed_in.post("/logout").status_code == 303
    with app.app_context():
        assert db.session.get(User, users["officer"]).session_version == 2


def test_an_idle_session_ends_after_30_minutes(app, users):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(app)
        clock.move_to(START + timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.move_to(START + timedelta(minutes=58))  # 29 minutes after the last request: still active
        assert client.get("/").status_code == 200
        clock.move_to(START + timedelta(minutes=89))
        response = client.get("/", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Bạn đã được đăng xuất sau 30 phút không thao tác." in response.text


def test_an_idle_session_stays_ended_even_for_a_copy_of_the_cookie(app, users):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(app)
        thief = _copy(app, client)
        clock.move_to(START + timedelta(minutes=31))
        assert _is_signed_out(thief)
        htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_the_idle_timeout_is_configurable(database_url, _schema, users):
    from tests.conftest import make_app
    app = make_app(database_url, IDLE_TIMEOUT_MINUTES=5)
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(app)
        clock.move_to(START + timedelta(minutes=6))
        assert _is_signed_out(client)
