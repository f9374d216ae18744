"""Administration: units, villages, users; bad input saves nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, OrgKind, Role, User
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    login(client, "quantri", PASSWORD)
    return client


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MONITOR, Role.OFFICER])
def test_only_admins_reach_administration(app, client, role):
    with app.app_context():
        make_user("khac", role=role)
    login(client, "khac", PASSWORD)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/units/new", data={"name": "X", "short_name": "X", "kind": "commune"}).status_code == 403
    assert _count(app, Organization) == 1


def test_admin_creates_a_unit(app, admin_client):
    response = admin_client.post("/admin/units/new",
                                 data={"name": "UBND xã Mới", "short_name": "Mới", "kind": "commune"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Organization).where(Organization.name == "UBND xã Mới")).kind == OrgKind.COMMUNE


@pytest.mark.parametrize("data, message", [
    ({"name": "", "short_name": "X", "kind": "commune"}, "Nhập tên đơn vị."),
    ({"name": "Văn phòng", "short_name": "X", "kind": "commune"}, "Tên này đã có."),
    ({"name": "Y", "short_name": "Y", "kind": "galaxy"}, "Lựa chọn không hợp lệ."),
])
def test_bad_unit_is_shown_again_with_messages_and_not_saved(app, admin_client, data, message):
    before = _count(app, Organization)
    response = admin_client.post("/admin/units/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _count(app, Organization) == before


def _user_form(app, **overrides):
    with app.app_context():
        unit_id = db.session.scalar(select(Organization.id))
    return {"username": "moi", "full_name": "Nguyễn Văn Mới", "email": "", "phone": "0912 345 678",
            "role": "officer", "organization_id": unit_id, "password": "a-long-password-1", **overrides}


def test_admin_creates_a_user_who_can_sign_in(app, admin_client):
    form = admin_client.get("/admin/users/new").text
    assert '<option selected value="officer">' in form  # the least rights until an administrator chooses
    response = admin_client.post("/admin/users/new", data=_user_form(app))
    assert response.status_code == 303
    fresh = app.test_client()
    assert login(fresh, "moi", "a-long-password-1").status_code == 303


@pytest.mark.parametrize("overrides, message", [
    ({"password": "short"}, "Mật khẩu phải có từ 12 đến 128 ký tự."),
    ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
    ({"email": "not-an-email"}, "Địa chỉ thư điện tử không hợp lệ."),
    ({"username": "quantri"}, "Tên đăng nhập này đã được dùng."),
    ({"username": "Bad Name!"}, "Từ 3 đến 64 ký tự"),
    ({"full_name": "   "}, "Nhập họ và tên."),
    ({"organization_id": 424242}, ""),
    ({"role": "emperor"}, ""),
])
def test_bad_user_is_shown_again_with_messages_and_not_saved(app, admin_client, overrides, message):
    before = _count(app, User)
    response = admin_client.post("/admin/users/new", data=_user_form(app, **overrides))
    assert response.status_code == 422
    assert message in response.text
    assert _count(app, User) == before


def test_deactivation_asks_first_then_signs_the_user_out(app, admin_client):
    with app.app_context():
        user_id = make_user("sebingung").id
    other = app.test_client()
    login(other, "sebingung", PASSWORD)
    confirm = admin_client.get(f"/admin/users/{user_id}/deactivate")
    assert confirm.status_code == 200 and "Xác nhận" in confirm.text
    with app.app_context():
        assert db.session.get(User, user_id).active  # the GET changed nothing
    assert admin_client.post(f"/admin/users/{user_id}/deactivate").status_code == 303
    assert other.get("/").status_code == 302
    assert login(other, "sebingung", PASSWORD).status_code == 422


def test_password_reset_shows_a_new_password_once_and_old_one_stops_working(app, admin_client):
    with app.app_context():
        user_id = make_user("quenmatkhau").id
    response = admin_client.post(f"/admin/users/{user_id}/reset-password")
    assert response.status_code == 200
    new_password = response.text.split("<code>")[1].split("</code>")[0]
    fresh = app.test_client()
    assert login(fresh, "quenmatkhau", PASSWORD).status_code == 422
    assert login(fresh, "quenmatkhau", new_password).status_code == 303


def test_changing_a_users_unit_ends_their_sessions(app, admin_client):
    with app.app_context():
        user = make_user("chuyencongtac")
        user_id, new_unit = user.id, make_unit().id
    other = app.test_client()
    login(other, "chuyencongtac", PASSWORD)
    form = _user_form(app, organization_id=new_unit, full_name="Chuyển Công Tác")
    form.pop("username"), form.pop("password")
    assert admin_client.post(f"/admin/users/{user_id}/edit", data=form).status_code == 303
    assert other.get("/").status_code == 302


def test_admin_pages_render(admin_client):
    for url in ("/admin/units", "/admin/users", "/admin/units/new", "/admin/users/new"):
        assert admin_client.get(url).status_code == 200, url


def _admin_id(app, username="quantri"):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _edit_form(app, user_id, **overrides):
    with app.app_context():
        user = db.session.get(User, user_id)
        return {"full_name": user.full_name, "email": "", "phone": "", "role": user.role.value,
                "organization_id": user.organization_id, **overrides}


def _state(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.role, user.active, user.session_version


def test_an_admin_cannot_demote_themselves(app, admin_client):
    me, before = _admin_id(app), None
    with app.app_context():
        make_user("quantri2", role=Role.ADMIN)  # even when another administrator remains
    before = _state(app, me)
    response = admin_client.post(f"/admin/users/{me}/edit", data=_edit_form(app, me, role="coordinator"))
    assert response.status_code == 422
    assert "Bạn không thể tự bỏ quyền quản trị" in response.text
    assert _state(app, me) == before


def test_an_admin_cannot_deactivate_themselves(app, admin_client):
    me = _admin_id(app)
    before = _state(app, me)
    response = admin_client.post(f"/admin/users/{me}/deactivate")
    assert response.status_code == 422
    assert "Bạn không thể tự bỏ quyền quản trị hoặc tự ngừng hoạt động" in response.text
    assert _state(app, me) == before
    assert admin_client.get("/admin/users").status_code == 200  # still signed in


def test_another_admin_can_be_demoted_while_an_admin_remains(app, admin_client):
    with app.app_context():
        other_id = make_user("quantri2", role=Role.ADMIN).id
    assert admin_client.post(f"/admin/users/{other_id}/edit",
                             data=_edit_form(app, other_id, role="monitor")).status_code == 303
    assert _state(app, other_id)[0] == Role.MONITOR


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_the_last_active_admin_is_kept_whoever_asks(app, change):
    """Whoever acts (here the console, actor None), the portal keeps one active administrator."""
    from app.admin import services
    from app.rules import RuleError
    with app.app_context():
        admin = make_user("quantri", role=Role.ADMIN)
        make_user("cuu", role=Role.ADMIN, active=False)  # a deactivated one does not count
        make_user("donvidong", role=Role.ADMIN, unit=make_unit(active=False))  # nor one of a closed unit
        admin_id = admin.id
        with pytest.raises(RuleError) as refused:
            if change == "demote":
                services.update_user(admin, actor=None, **_edit_form(app, admin_id, role="coordinator"))
            else:
                services.set_active(admin, False, actor=None)
        assert "Đây là quản trị viên cuối cùng đang hoạt động" in str(refused.value.message)
        db.session.rollback()
    assert _state(app, admin_id) == (Role.ADMIN, True, 1)


def test_a_unit_holding_the_last_active_admin_cannot_be_deactivated(app, admin_client):
    with app.app_context():
        unit = db.session.scalar(select(Organization).where(Organization.name == "Văn phòng"))
        unit_id = unit.id
    response = admin_client.post(f"/admin/units/{unit_id}/deactivate")
    assert response.status_code == 422 and "Bạn không thể ngừng hoạt động đơn vị của chính mình" in response.text
    with app.app_context():
        assert db.session.get(Organization, unit_id).active
