"""Brute force: 5 failed sign-ins lock the account for 15 minutes, counted in the database, and audited."""
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import login, make_app
from tests.factories import PASSWORD, make_user

GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."
START = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def officer(app):
    with app.app_context():
        return make_user("canbo").id


def _fail(client, times, username="canbo"):
    for _ in range(times):
        response = login(client, username, "wrong-password-42")
        assert response.status_code == 422 and GENERIC in response.text


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _actions(app):
    with app.app_context():
        return db.session.execute(select(AuditEvent.action, AuditEvent.username, AuditEvent.detail)
                                  .order_by(AuditEvent.id)).all()


def test_five_failures_lock_the_account_even_against_the_right_password(app, client, officer):
    with time_machine.travel(START, tick=False):
        _fail(client, 5)
        response = login(client, "canbo", PASSWORD)
    assert response.status_code == 422
    assert GENERIC in response.text  # the same message: a locked account is not revealed
    user = _user(app, officer)
    assert user.is_locked(START + timedelta(minutes=14, seconds=59))
    assert not user.is_locked(START + timedelta(minutes=15))


def test_the_lock_ends_after_15_minutes(app, client, officer):
    with time_machine.travel(START, tick=False):
        _fail(client, 5)
    with time_machine.travel(START + timedelta(minutes=14), tick=False):
        assert login(client, "canbo", PASSWORD).status_code == 422
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        assert login(client, "canbo", PASSWORD).status_code == 303
    user = _user(app, officer)
    assert user.failed_logins == 0 and user.locked_until is None


def test_four_failures_do_not_lock_and_a_success_resets_the_count(app, client, officer):
    _fail(client, 4)
    assert _user(app, officer).failed_logins == 4
    assert login(client, "canbo", PASSWORD).status_code == 303
    assert _user(app, officer).failed_logins == 0
    client.post("/logout")
    _fail(client, 4)
    assert login(client, "canbo", PASSWORD).status_code == 303


def test_failures_are_counted_in_the_database_across_workers(app, database_url, officer):
    """Two app instances stand for two gunicorn workers: they share nothing but the database."""
    other_worker = make_app(database_url).test_client()
    _fail(app.test_client(), 3)
    _fail(other_worker, 2)
    assert _user(app, officer).locked_until is not None
    assert login(other_worker, "canbo", PASSWORD).status_code == 422


def test_unknown_usernames_lock_nothing_and_get_the_same_message(app, client, officer):
    _fail(client, 6, username="khongcoai")
    assert login(client, "canbo", PASSWORD).status_code == 303


def test_sign_ins_and_the_lockout_are_audited_with_the_typed_username(app, client, officer):
    login(client, "  CanBo ", PASSWORD)
    client.post("/logout")
    _fail(client, 5, username="CANBO")
    _fail(client, 1, username="ai-do")
    actions = _actions(app)
    assert actions[0] == ("login.success", "canbo", "")
    failures = [row for row in actions if row.action == "login.failure"]
    assert [row.detail for row in failures] == ["wrong_password"] * 5 + ["unknown_username"]
    assert {row.username for row in failures} == {"CANBO", "ai-do"}
    assert [row.action for row in actions].count("login.lockout") == 1
    with app.app_context():
        lockout = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.lockout"))
        assert (lockout.object_type, lockout.object_id, lockout.ip) == ("User", officer, "127.0.0.1")


def test_a_sign_in_attempt_while_locked_is_audited_as_such(app, client, officer):
    _fail(client, 5)
    login(client, "canbo", PASSWORD)
    assert _actions(app)[-1] == ("login.failure", "canbo", "account_locked")
