"""The password rule: 12 to 128 characters, not a common, repetitive or username-based one."""
import pytest
from sqlalchemy import func, select

from app.admin.services import generate_password
from app.auth.passwords import common_passwords, password_problem
from app.extensions import db
from app.models import Organization, OrgKind, Role, User
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user


@pytest.mark.parametrize("password", ["123456789012", "matkhau123456", "password1234", "qwertyuiop12",
                                      "MatKhau123456", "Mật khẩu 123456", "anhyeuem123456", "vietnam123456",
                                      "phuninh12345", "quantrivien123"])
def test_common_passwords_are_refused(app, password):
    with app.test_request_context():
        assert password_problem(password) == "Mật khẩu này quá phổ biến. Hãy chọn mật khẩu khó đoán hơn."


@pytest.mark.parametrize("password", ["short-pass1", "x" * 129, ""])
def test_passwords_outside_12_to_128_characters_are_refused(app, password):
    with app.test_request_context():
        assert password_problem(password) == "Mật khẩu phải có từ 12 đến 128 ký tự."


@pytest.mark.parametrize("password", ["bbbbbbbbbbbbbb", "zxzxzxzxzxzxzx", "xyz1 xyz1 xyz1"])
def test_repetitive_passwords_are_refused(app, password):
    with app.test_request_context():
        assert "quá ít ký tự khác nhau" in password_problem(password)


def test_a_password_containing_the_username_is_refused(app):
    with app.test_request_context():
        assert password_problem("nguyenvana-2024!", username="nguyenvana") is not None
        assert password_problem("nguyenvana-2024!", username="tranthib") is None


@pytest.mark.parametrize("password", [PASSWORD, "Cây đa giếng nước sân đình", ("ruộng-lúa-xanh-7" * 8)[:128],
                                      "ruộng-lúa-xanh-7"])
def test_ordinary_long_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password) is None


def test_the_word_list_is_small_lower_case_and_long_enough_to_matter():
    words = common_passwords()
    assert 100 < len(words) < 5000
    assert all(len(word) >= 12 for word in words)


def test_generated_passwords_pass_the_rule(app):
    with app.test_request_context():
        assert all(password_problem(generate_password()) is None for _ in range(200))


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    login(client, "quantri", PASSWORD)
    return client


@pytest.mark.parametrize("password, message", [
    ("matkhau123456", "Mật khẩu này quá phổ biến."),
    ("canbomoi-2024", "Mật khẩu không được chứa tên đăng nhập."),
    ("short", "Mật khẩu phải có từ 12 đến 128 ký tự."),
])
def test_admin_cannot_give_a_new_user_a_weak_password(app, admin_client, password, message):
    with app.app_context():
        unit_id = db.session.scalar(select(Organization.id))
    response = admin_client.post("/admin/users/new", data={
        "username": "canbomoi", "full_name": "Cán Bộ Mới", "role": "officer", "organization_id": unit_id,
        "password": password})
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_seed_demo_refuses_a_common_password(runner):
    result = runner.invoke(args=["seed-demo", "--password", "password1234"])
    assert result.exit_code != 0
    assert "quá phổ biến" in result.output
