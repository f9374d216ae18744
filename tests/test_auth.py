"""Sign-in, sign-out, sessions and CSRF."""
import re

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import login, make_app
from tests.factories import PASSWORD, make_user


@pytest.fixture
def officer(app):
    with app.app_context():
        return make_user("canbo").username


def test_login_page_is_vietnamese(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert 'lang="vi"' in response.text


def test_right_credentials_sign_in_and_redirect_to_dashboard(client, officer):
    response = login(client, officer, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_username_is_not_case_sensitive(client, officer):
    assert login(client, "CanBo", PASSWORD).status_code == 303


@pytest.mark.parametrize("username, password", [("canbo", "wrong-password-123"), ("nobody", PASSWORD)])
def test_wrong_username_or_password_gets_one_generic_message(client, officer, username, password):
    response = login(client, username, password)
    assert response.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text


def test_empty_form_is_refused_with_messages(client):
    response = login(client, "", "")
    assert response.status_code == 422
    assert "Nhập tên đăng nhập." in response.text


def test_inactive_user_is_refused(app, client):
    with app.app_context():
        make_user("nghiviec", active=False)
    response = login(client, "nghiviec", PASSWORD)
    assert response.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example", "\\\\evil.example"])
def test_unsafe_next_is_ignored(client, officer, target):
    response = client.post("/login", data={"username": officer, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_local_next_is_followed(client, officer):
    response = client.post("/login", data={"username": officer, "password": PASSWORD, "next": "/healthz?x=1"})
    assert response.headers["Location"] == "/healthz?x=1"


def test_anonymous_user_is_sent_to_sign_in_with_next(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/")


def test_anonymous_htmx_request_gets_hx_redirect(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_session_is_cleared_at_sign_in(client, officer):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, officer, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_is_post_only_and_ends_the_session(client, officer):
    login(client, officer, PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 302


def test_deactivated_user_loses_existing_session(app, client, officer):
    login(client, officer, PASSWORD)
    with app.app_context():
        user = db.session.query(User).filter_by(username=officer).one()
        user.active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_old_cookie_refused_after_sessions_are_ended(app, client, officer):
    login(client, officer, PASSWORD)
    with app.app_context():
        user = db.session.query(User).filter_by(username=officer).one()
        user.end_sessions()
        db.session.commit()
    assert client.get("/").status_code == 302


def test_password_is_stored_as_argon2id(app, officer):
    with app.app_context():
        user = db.session.query(User).filter_by(username=officer).one()
        assert user.password_hash.startswith("$argon2id$")
        assert user.check_password(PASSWORD) and not user.check_password("nope")


@pytest.fixture
def csrf_client(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("csrfuser")
    yield app.test_client()
    from tests.conftest import empty_tables
    empty_tables(app)


def test_login_without_csrf_token_is_refused(csrf_client):
    response = login(csrf_client, "csrfuser", PASSWORD)
    assert response.status_code == 400


def test_login_with_csrf_token_succeeds(csrf_client):
    page = csrf_client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/login", data={"username": "csrfuser", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def test_htmx_post_sends_csrf_token_as_header(csrf_client):
    page = csrf_client.get("/login").text
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = csrf_client.post("/login", data={"username": "csrfuser", "password": PASSWORD},
                                headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/"
