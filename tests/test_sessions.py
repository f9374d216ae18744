"""Sessions: a new one at sign-in; a copied cookie is refused after sign-out, password reset or deactivation;
an idle session ends."""
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role, User
from tests.conftest import fresh_client, login
from tests.factories import PASSWORD, make_unit, make_user

START = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def users(app):
    with app.app_context():
        office = make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE)
        make_user("quantri", role=Role.ADMIN, unit=office)
        return {"officer": make_user("canbo").id}


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
    login(client, "canbo", PASSWORD)
    assert client.get_cookie("session").value != before
    attacker = app.test_client()
    attacker.set_cookie("session", before)  # a session fixed before sign-in stays anonymous
    assert _is_signed_out(attacker)
    assert 'lang="en"' in client.get("/").text  # only the language is carried over


def test_a_copied_cookie_is_refused_after_sign_out(app, users):
    client = fresh_client(app, "canbo", PASSWORD)
    thief = _copy(app, client)
    assert client.post("/logout").status_code == 303
    assert _is_signed_out(client) and _is_signed_out(thief)


def test_sign_out_ends_the_users_sessions_on_other_devices_too(app, users):
    """The chosen trade-off: one session version per user, so sign-out voids every device's session."""
    office, phone = fresh_client(app, "canbo", PASSWORD), fresh_client(app, "canbo", PASSWORD)
    office.post("/logout")
    assert _is_signed_out(phone)
    assert not _is_signed_out(fresh_client(app, "canbo", PASSWORD))  # signing in again works at once


def test_a_copied_cookie_is_refused_after_a_password_reset(app, users):
    client = fresh_client(app, "canbo", PASSWORD)
    thief = _copy(app, client)
    admin = fresh_client(app, "quantri", PASSWORD)
    assert admin.post(f"/admin/users/{users['officer']}/reset-password").status_code == 200
    assert _is_signed_out(client) and _is_signed_out(thief)
    assert not _is_signed_out(admin)


def test_a_copied_cookie_is_refused_after_deactivation(app, users):
    client = fresh_client(app, "canbo", PASSWORD)
    thief = _copy(app, client)
    admin = fresh_client(app, "quantri", PASSWORD)
    assert admin.post(f"/admin/users/{users['officer']}/deactivate").status_code == 303
    assert _is_signed_out(client) and _is_signed_out(thief)
    admin.post(f"/admin/users/{users['officer']}/activate")
    assert _is_signed_out(thief)  # reactivation does not revive old sessions


def test_sign_out_is_audited(app, users):
    fresh_client(app, "canbo", PASSWORD).post("/logout")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logout"))
        assert (event.username, event.user_id, event.object_type) == ("canbo", users["officer"], "")


def test_signing_out_twice_or_anonymously_is_harmless(app, client, users):
    assert client.post("/logout").status_code == 303
    signed_in = fresh_client(app, "canbo", PASSWORD)
    signed_in.post("/logout")
    assert signed_in.post("/logout").status_code == 303
    with app.app_context():
        assert db.session.get(User, users["officer"]).session_version == 2


def test_an_idle_session_ends_after_30_minutes(app, users):
    with time_machine.travel(START, tick=False) as clock:
        client = fresh_client(app, "canbo", PASSWORD)
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
        client = fresh_client(app, "canbo", PASSWORD)
        thief = _copy(app, client)
        clock.move_to(START + timedelta(minutes=31))
        assert _is_signed_out(thief)
        htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_the_idle_timeout_is_configurable(database_url, _schema, users):
    from tests.conftest import make_app
    app = make_app(database_url, IDLE_TIMEOUT_MINUTES=5)
    with time_machine.travel(START, tick=False) as clock:
        client = fresh_client(app, "canbo", PASSWORD)
        clock.move_to(START + timedelta(minutes=6))
        assert _is_signed_out(client)


def test_a_session_ends_after_12_hours_however_active(app, users):
    with time_machine.travel(START, tick=False) as clock:
        client = fresh_client(app, "canbo", PASSWORD)
        for minutes in range(20, 12 * 60, 20):  # never idle for long
            clock.move_to(START + timedelta(minutes=minutes))
            assert client.get("/").status_code == 200
        clock.move_to(START + timedelta(hours=12, minutes=1))
        response = client.get("/", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Phiên làm việc đã kết thúc sau 12 giờ." in response.text


def test_the_absolute_session_lifetime_is_configurable(database_url, _schema, users):
    from tests.conftest import make_app
    app = make_app(database_url, SESSION_LIFETIME_HOURS=1)
    with time_machine.travel(START, tick=False) as clock:
        client = fresh_client(app, "canbo", PASSWORD)
        clock.move_to(START + timedelta(minutes=25))
        assert not _is_signed_out(client)
        clock.move_to(START + timedelta(minutes=50))
        assert not _is_signed_out(client)
        clock.move_to(START + timedelta(minutes=61))
        assert _is_signed_out(client)


def test_users_of_a_deactivated_unit_cannot_sign_in_and_their_sessions_stop(app, users):
    client = fresh_client(app, "canbo", PASSWORD)
    admin = fresh_client(app, "quantri", PASSWORD)
    with app.app_context():
        unit_id = db.session.get(User, users["officer"]).organization_id
    assert admin.post(f"/admin/units/{unit_id}/deactivate").status_code == 303
    assert _is_signed_out(client)
    refused = login(app.test_client(), "canbo", PASSWORD)
    assert refused.status_code == 422 and "Tên đăng nhập hoặc mật khẩu không đúng." in refused.text
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failure")).one()
        assert event.detail == "inactive_unit"
    admin.post(f"/admin/units/{unit_id}/activate")
    assert not _is_signed_out(fresh_client(app, "canbo", PASSWORD))


@pytest.mark.parametrize("header", ["HX-Current-URL", "Referer"])
def test_after_an_htmx_post_meets_the_sign_in_page_signing_in_returns_to_the_page(app, client, users, header):
    """The session ended while the task page was open: the POST-only status URL would answer 405 to a GET."""
    task_page = "/tasks/7?tab=history"
    expired = client.post("/tasks/7/status", data={"status": "done"},
                          headers={"HX-Request": "true", header: f"http://localhost{task_page}"})
    assert expired.status_code == 401
    target = urlsplit(expired.headers["HX-Redirect"])
    assert target.path == "/login"
    [next_page] = parse_qs(target.query)["next"]
    signed_in = client.post("/login", data={"username": "canbo", "password": PASSWORD, "next": next_page})
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == task_page


@pytest.mark.parametrize("page", ["https://evil.example/tasks/7", "//evil.example/tasks", "http://localhost/login"])
def test_the_return_page_after_sign_in_is_a_local_page_other_than_sign_in(client, users, page):
    expired = client.post("/tasks/7/status", headers={"HX-Request": "true", "HX-Current-URL": page})
    assert expired.headers["HX-Redirect"] == "/login?next=/"
