"""XSS: hostile text saved through every text field comes back escaped on every page and fragment showing it.

To cover a new field, add a row to TEXT_FIELDS: how to save a value through its form, and where it is shown.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<div hx-get="/admin" hx-trigger="load">x</div>',
    "javascript:alert(1)",
    "{{7*7}}",
    "</textarea><a href=javascript:alert(1)>x</a>",
    "&lt;b&gt;already escaped",
]


class _Markup(HTMLParser):
    """Collects what a payload could smuggle in as markup."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "svg", "iframe", "object", "embed") or (tag == "script" and not dict(attrs).get("src")):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "hx-trigger" and value == "load":
                self.problems.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "hx-get", "hx-post") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.problems.append(f"{tag} {name}={value}")


def assert_only_escaped(html: str, payload: str, where: str, shown: bool = True) -> None:
    """No markup from the payload; and, where the value is shown, it is there escaped."""
    # Present, escaped: also proves "{{7*7}}" was not evaluated as a template.
    if shown:
        assert str(escape(payload)) in html, f"{where}: the value is not shown, the test would prove nothing"
    if any(ch in payload for ch in "<>\"'&"):
        assert payload not in html, f"{where}: shown unescaped"
    parser = _Markup()
    parser.feed(html)
    assert parser.problems == [], where


class PageOnly(str):
    """A URL whose full page shows the value but whose htmx region does not (a filter's list of choices)."""


@dataclass
class TextField:
    name: str
    save: Callable  # (client, ids, payload) -> response of the form's POST
    shown_on: Callable  # (ids, payload) -> URLs that show the saved value, page and htmx region (in an app context)


def _unit_id(name=None, short_name=None):
    column, value = (Organization.name, name) if name is not None else (Organization.short_name, short_name)
    return db.session.scalar(select(Organization.id).where(column == value))


def _user_id(**where):
    return db.session.scalar(select(User.id).filter_by(**where))


TEXT_FIELDS = [
    TextField("unit.name",
              lambda client, ids, p: client.post("/admin/units/new", data={"name": p, "short_name": "X",
                                                                           "kind": "commune"}),
              lambda ids, p: ["/admin/units", f"/admin/units/{_unit_id(name=p)}/edit",
                              f"/admin/units/{_unit_id(name=p)}/deactivate", PageOnly("/admin/villages"),
                              "/admin/villages/new", "/admin/users/new", "/admin/audit"]),
    TextField("unit.short_name",
              lambda client, ids, p: client.post("/admin/units/new", data={"name": "UBND xã Kiểm Tra",
                                                                           "short_name": p, "kind": "commune"}),
              lambda ids, p: ["/admin/units", f"/admin/units/{_unit_id(short_name=p)}/edit", "/admin/audit"]),
    TextField("village.name",
              lambda client, ids, p: client.post("/admin/villages/new", data={"commune_id": ids["commune"],
                                                                              "name": p, "kind": "village"}),
              lambda ids, p: ["/admin/villages", f"/admin/villages?commune={ids['commune']}",
                              f"/admin/villages/{db.session.scalar(select(Village.id))}/edit", "/admin/audit"]),
    TextField("user.full_name",
              lambda client, ids, p: client.post("/admin/users/new", data={
                  "username": "nguoimoi", "full_name": p, "role": "officer", "organization_id": ids["commune"],
                  "password": "ruộng-lúa-xanh-7"}),
              lambda ids, p: ["/admin/users", f"/admin/users/{_user_id(username='nguoimoi')}/edit",
                              f"/admin/users/{_user_id(username='nguoimoi')}/deactivate",
                              f"/admin/users/{_user_id(username='nguoimoi')}/reset-password", "/admin/audit"]),
    TextField("user.email",
              lambda client, ids, p: client.post(f"/admin/users/{ids['officer']}/edit", data={
                  "full_name": "Cán Bộ", "email": p.replace(" ", "") + "@x.vn", "role": "officer",
                  "organization_id": ids["commune"]}),
              lambda ids, p: [f"/admin/users/{ids['officer']}/edit", "/admin/audit"]),
]


@pytest.fixture
def world(app, client):
    with app.app_context():
        office = make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE)
        commune = make_unit("UBND xã Tam Phước")
        make_user("quantri", role=Role.ADMIN, unit=office)
        ids = {"commune": commune.id, "officer": make_user("canbo", unit=commune).id}
    login(client, "quantri", PASSWORD)
    return ids


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=lambda field: field.name)
def test_a_saved_payload_is_only_ever_shown_escaped(app, client, world, field):
    for payload in PAYLOADS:
        saved = field.save(client, world, payload)
        if saved.status_code == 422:  # refused by validation: the form shows it back
            assert_only_escaped(saved.text, _expected_value(field, payload), f"{field.name} form")
            continue
        assert saved.status_code == 303, (field.name, payload, saved.status_code)
        with app.app_context():
            pages = field.shown_on(world, payload)
        for page in pages:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(page, headers=headers)
                assert response.status_code == 200, (page, response.status_code)
                shown = not (headers and isinstance(page, PageOnly))
                assert_only_escaped(response.text, _expected_value(field, payload), f"{field.name} on {page}",
                                    shown=shown)
        _forget(app)


def _expected_value(field, payload):
    return payload.replace(" ", "") + "@x.vn" if field.name == "user.email" else payload


def _forget(app):
    """Remove what a payload created, so the next payload's pages show only its own value."""
    from app.models import AuditEvent
    with app.app_context():
        db.session.execute(AuditEvent.__table__.delete())
        db.session.execute(Village.__table__.delete())
        db.session.execute(User.__table__.delete().where(User.username == "nguoimoi"))
        db.session.execute(Organization.__table__.delete().where(
            Organization.name.not_in(["Văn phòng", "UBND xã Tam Phước"])))
        db.session.commit()


def test_a_typed_username_is_shown_escaped_on_the_login_form_and_in_the_audit_log(app, client, world):
    stranger = app.test_client()
    for payload in PAYLOADS:
        response = login(stranger, payload, "x")
        assert response.status_code == 422
        assert_only_escaped(response.text, payload, "login form")
        fragment = login(stranger, payload, "x", headers={"HX-Request": "true"})
        assert_only_escaped(fragment.text, payload, "login form fragment")
        for headers in ({}, {"HX-Request": "true"}):
            assert_only_escaped(client.get("/admin/audit", headers=headers).text, payload, "audit log")
        _forget(app)


def test_the_header_shows_the_users_name_and_unit_escaped_on_every_page(app, world):
    payload = PAYLOADS[1]
    with app.app_context():
        make_user("ten-doc", full_name=payload, unit=make_unit(PAYLOADS[0]))
    client = app.test_client()
    login(client, "ten-doc", PASSWORD)
    for page in ("/", "/no-such-page", "/admin/users"):
        html = client.get(page).text
        assert_only_escaped(html, payload, page)
        assert_only_escaped(html, PAYLOADS[0], page)
