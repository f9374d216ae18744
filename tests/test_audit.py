"""The audit trail: who did what to which object, refused access, the admin page; never a secret."""
import re

import pytest
from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models import AuditEvent, Organization, OrgKind, Role, Village
from app.permissions import get_or_404, require
from tests.conftest import empty_tables, fresh_client, login, make_app
from tests.factories import PASSWORD, make_unit, make_user, make_village
from tests.url_map import page_token


@pytest.fixture
def ids(app):
    with app.app_context():
        office = make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE)
        commune = make_unit("UBND xã Tam Phước")
        return {"office": office.id, "commune": commune.id,
                "admin": make_user("quantri", role=Role.ADMIN, unit=office).id,
                "officer": make_user("canbo", unit=commune).id}


@pytest.fixture
def admin(app, ids):
    return fresh_client(app, "quantri", PASSWORD)


def _events(app, *actions):
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if actions:
            stmt = stmt.where(AuditEvent.action.in_(actions))
        events = db.session.scalars(stmt).all()
        db.session.expunge_all()
        return events


def test_every_administrative_change_leaves_one_row(app, admin, ids):
    admin.post("/admin/units/new", data={"name": "UBND xã Mới", "short_name": "Mới", "kind": "commune"})
    with app.app_context():
        new_unit = db.session.scalar(select(Organization.id).where(Organization.name == "UBND xã Mới"))
    admin.post(f"/admin/units/{new_unit}/edit", data={"name": "UBND xã Mới", "short_name": "Xã Mới", "kind": "commune"})
    admin.post(f"/admin/units/{new_unit}/deactivate")
    admin.post(f"/admin/units/{new_unit}/activate")
    admin.post("/villages/new", data={"commune_id": ids["commune"], "name": "Thôn 1", "kind": "village"})
    with app.app_context():
        village = db.session.scalar(select(Village.id))
    admin.post(f"/villages/{village}/edit",
               data={"commune_id": ids["commune"], "name": "Thôn Một", "kind": "village"})
    admin.post("/admin/users/new", data={"username": "moi", "full_name": "Người Mới", "role": "officer",
                                         "organization_id": ids["commune"], "password": "ruộng-lúa-xanh-7"})
    admin.post(f"/admin/users/{ids['officer']}/edit", data={"full_name": "Cán Bộ", "role": "monitor",
                                                           "organization_id": ids["commune"]})
    admin.post(f"/admin/users/{ids['officer']}/reset-password")
    admin.post(f"/admin/users/{ids['officer']}/deactivate")
    admin.post(f"/admin/users/{ids['officer']}/activate")
    events = [e for e in _events(app) if not e.action.startswith("login")]
    assert [(e.action, e.object_type) for e in events] == [
        ("unit.create", "Organization"), ("unit.update", "Organization"), ("unit.deactivate", "Organization"),
        ("unit.activate", "Organization"), ("village.create", "Village"), ("village.update", "Village"),
        ("user.create", "User"), ("user.update", "User"), ("user.password_reset", "User"),
        ("user.deactivate", "User"), ("user.activate", "User")]
    assert {(e.user_id, e.username, e.organization_id, e.ip) for e in events} == {
        (ids["admin"], "quantri", ids["office"], "127.0.0.1")}
    assert events[0].object_id == new_unit and events[0].changes["name"] == [None, "UBND xã Mới"]
    assert events[1].changes == {"short_name": ["Mới", "Xã Mới"]}
    assert events[5].changes == {"name": ["Thôn 1", "Thôn Một"]}
    assert events[7].changes["role"] == [{"enum": "Role", "value": "officer"}, {"enum": "Role", "value": "monitor"}]


def test_a_refused_change_leaves_no_change_row(app, admin, ids):
    admin.post("/admin/units/new", data={"name": "Văn phòng", "short_name": "X", "kind": "commune"})
    assert _events(app, "unit.create") == []


def test_a_role_refusal_is_audited(app, client, ids):
    login(client, "canbo", PASSWORD)
    assert client.get("/admin/users?x=secret").status_code == 403
    assert client.post("/admin/units/new", data={"name": "X"}).status_code == 403
    events = _events(app, "access.forbidden")
    assert [(e.username, e.detail) for e in events] == [("canbo", "GET /admin/users"),
                                                         ("canbo", "POST /admin/units/new")]


def test_unknown_urls_and_missing_ids_are_not_audited_as_attacks(app, admin, ids):
    assert admin.get("/wp-login.php").status_code == 404
    assert admin.get("/admin/units/424242/edit").status_code == 404
    assert _events(app, "access.forbidden", "access.hidden_object") == []


def _app_with_a_scoped_route(database_url):
    """A test-only route that loads a village through the one policy, as the officers' screens will."""
    app = make_app(database_url)

    @require("village.view")
    def show_village(village_id):
        """A village the user may see."""
        from flask_login import current_user
        return get_or_404(Village, village_id, current_user).name

    app.add_url_rule("/test/villages/<int:village_id>", view_func=show_village)
    return app


def test_another_units_object_is_404_and_audited_but_a_missing_one_is_not_audited(database_url, app, ids):
    scoped_app = _app_with_a_scoped_route(database_url)
    with app.app_context():
        own = make_village(db.session.get(Organization, ids["commune"]), "Thôn của mình").id
        foreign = make_village(make_unit("UBND xã Khác"), "Thôn của xã khác").id
    client = scoped_app.test_client()
    login(client, "canbo", PASSWORD)
    assert client.get(f"/test/villages/{own}").text == "Thôn của mình"
    assert client.get(f"/test/villages/{foreign}").status_code == 404
    assert client.get("/test/villages/424242").status_code == 404
    events = _events(app, "access.hidden_object")
    assert [(e.username, e.object_type, e.object_id, e.detail) for e in events] == [
        ("canbo", "Village", foreign, f"GET /test/villages/{foreign}")]


def test_an_action_without_a_label_is_shown_by_its_name(app, admin):
    with app.app_context():
        record("unit.explode", actor=None, username="ai-do")
        db.session.commit()
    assert "unit.explode" in admin.get("/admin/audit").text


# The page

def test_the_audit_page_lists_events_newest_first_with_labels(app, admin, ids):
    admin.post(f"/admin/users/{ids['officer']}/deactivate")
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    text = page.text[page.text.index("<tbody>"):]
    assert text.index("Ngừng hoạt động người dùng") < text.index("Đăng nhập")
    assert "Người dùng #" in text and "127.0.0.1" in text and "Văn phòng" in text


def test_the_audit_page_filters_by_action_and_by_username(app, admin, ids):
    login(app.test_client(), "Can%Bo_", "wrong-password-1")
    login(app.test_client(), "canbo", "wrong-password-1")
    by_action = admin.get("/admin/audit?action=login.failure")
    assert _usernames(by_action.text) == ["canbo", "Can%Bo_"]
    by_user = admin.get("/admin/audit?user=N%25b")  # "n%b": the percent sign is a character, not a wildcard
    assert _usernames(by_user.text) == ["Can%Bo_"]
    by_user = admin.get("/admin/audit?user=QUANTRI")
    assert _usernames(by_user.text) == ["quantri"]


def _usernames(html: str) -> list[str]:
    """The usernames of the listed events, newest first."""
    return re.findall(r'<td data-label="Tên đăng nhập">([^<]*)</td>', html)


def test_the_audit_page_is_paginated_and_htmx_gets_the_rows(database_url, _schema):
    app = make_app(database_url, PAGE_SIZE=3)
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
        for n in range(7):
            record("login.failure", actor=None, username=f"khach{n}")
        db.session.commit()
    client = fresh_client(app, "quantri", PASSWORD)
    first = client.get("/admin/audit")
    assert "Trang 1" in first.text and "khach6" in first.text and "khach3" not in first.text
    second = client.get("/admin/audit?page=2&action=&user=", headers={"HX-Request": "true"})
    assert second.text.lstrip().startswith('<div id="audit-rows"')
    assert re.findall(r"khach\d", second.text) == ["khach4", "khach3", "khach2"]
    assert client.get("/admin/audit?page=999999999999999999999").status_code == 200
    empty_tables(app)


@pytest.mark.parametrize("query", ["action=no.such.action", "user=" + "x" * 65, "user=a%00b"])
def test_a_bad_filter_comes_back_422_with_a_message(admin, query):
    response = admin.get(f"/admin/audit?{query}")
    assert response.status_code == 422
    assert "Bộ lọc không được áp dụng" in response.text


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MONITOR, Role.OFFICER])
def test_only_admins_read_the_audit_trail(app, client, role):
    with app.app_context():
        make_user("khac", role=role)
    login(client, "khac", PASSWORD)
    assert client.get("/admin/audit").status_code == 403


# Secrets

def test_no_password_or_token_ever_reaches_the_audit_table(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    secrets = ["wrong-password-secret-1", PASSWORD, "ruộng-lúa-xanh-bí-mật"]
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        officer_id = make_user("canbo").id
        unit_id = db.session.scalar(select(Organization.id).where(Organization.name == "Văn phòng"))
    client = app.test_client()

    def token():
        secrets.append(page_token(client))
        return secrets[-1]

    for _ in range(5):
        login(client, "canbo", secrets[0], headers={"X-CSRFToken": token()})
    login(client, "quantri", PASSWORD, headers={"X-CSRFToken": token()})
    client.post("/admin/users/new", data={"username": "moi", "full_name": "Người Mới", "role": "officer",
                                          "organization_id": unit_id, "password": secrets[2],
                                          "csrf_token": token()})
    reset = client.post(f"/admin/users/{officer_id}/reset-password", data={"csrf_token": token()})
    secrets.append(reset.text.split("<code>")[1].split("</code>")[0])
    secrets.append(client.get_cookie("session").value)
    client.post("/logout", data={"csrf_token": token()})
    with app.app_context():
        rows = db.session.execute(select(AuditEvent)).scalars().all()
        stored = " ".join(str(getattr(row, column.key)) for row in rows for column in AuditEvent.__table__.columns)
        assert {"login.lockout", "user.create", "user.password_reset", "logout"} <= {row.action for row in rows}
    assert [secret for secret in secrets if secret in stored] == []
    empty_tables(app)
