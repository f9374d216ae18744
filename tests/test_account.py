"""Đổi mật khẩu: every user changes their own password; after an administrator's reset the change is forced."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role, User
from tests.conftest import fresh_client, login
from tests.factories import PASSWORD, make_unit, make_user

NEW_PASSWORD = "đồng-lúa-chín-vàng-42"


@pytest.fixture
def officer(app):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        return make_user("canbo").id


def _change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "new_password_again": new if again is None else again})


def _hash(app, username="canbo"):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.username == username))


def test_every_page_offers_the_password_change(app, officer):
    page = fresh_client(app, "canbo", PASSWORD).get("/")
    assert 'href="/account/password"' in page.text and "Đổi mật khẩu" in page.text


def test_a_user_changes_their_password_and_other_devices_are_signed_out(app, officer):
    client, other_device = fresh_client(app, "canbo", PASSWORD), fresh_client(app, "canbo", PASSWORD)
    response = _change(client)
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other_device.get("/").status_code == 302
    fresh = app.test_client()
    assert login(fresh, "canbo", PASSWORD).status_code == 422
    assert login(fresh, "canbo", NEW_PASSWORD).status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_change"))
        assert (event.username, event.object_id) == ("canbo", officer)


@pytest.mark.parametrize("current, new, again, message", [
    ("wrong-password-000", NEW_PASSWORD, None, "Mật khẩu hiện tại không đúng."),
    (PASSWORD, "short", None, "Mật khẩu phải có từ 12 đến 128 ký tự."),
    (PASSWORD, "password1234", None, "Mật khẩu này quá phổ biến."),
    (PASSWORD, "canbo-and-more-7", None, "Mật khẩu không được chứa tên đăng nhập."),
    (PASSWORD, PASSWORD, None, "Mật khẩu mới phải khác mật khẩu hiện tại."),
    (PASSWORD, NEW_PASSWORD, "something-else-99", "Hai lần nhập mật khẩu mới không khớp nhau."),
    ("", NEW_PASSWORD, None, "Nhập mật khẩu hiện tại."),
])
def test_a_refused_password_change_says_why_and_changes_nothing(app, officer, current, new, again, message):
    client, before = fresh_client(app, "canbo", PASSWORD), _hash(app)
    response = _change(client, current, new, again)
    assert response.status_code == 422
    assert message in response.text
    assert _hash(app) == before
    assert client.get("/").status_code == 200


def test_wrong_current_passwords_count_toward_the_lockout(app, officer):
    client = fresh_client(app, "canbo", PASSWORD)
    for _ in range(5):
        assert _change(client, current="wrong-password-000").status_code == 422
    assert login(app.test_client(), "canbo", PASSWORD).status_code == 422


def _reset_by_admin(app, user_id) -> str:
    admin = fresh_client(app, "quantri", PASSWORD)
    response = admin.post(f"/admin/users/{user_id}/reset-password")
    return response.text.split("<code>")[1].split("</code>")[0]


def test_after_a_reset_every_page_leads_to_the_password_change_until_it_is_done(app, officer):
    temporary = _reset_by_admin(app, officer)
    client = fresh_client(app, "canbo", temporary)
    for path in ("/", "/tasks", "/villages"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert client.post("/outreach", data={}).headers["Location"] == "/account/password"
    htmx = client.get("/tasks", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/account/password"
    form = client.get("/account/password")
    assert form.status_code == 200 and "Mật khẩu của bạn đã được quản trị viên đặt lại." in form.text
    assert _change(client, current=temporary).status_code == 303
    assert client.get("/").status_code == 200
    with app.app_context():
        assert not db.session.get(User, officer).must_change_password


def test_signing_out_is_possible_before_the_forced_change(app, officer):
    temporary = _reset_by_admin(app, officer)
    client = fresh_client(app, "canbo", temporary)
    assert client.post("/logout").status_code == 303
    assert client.get("/").headers["Location"].startswith("/login")
