"""CSRF stays on here: every POST route refuses a request without the token and accepts it as a form field or
as the X-CSRFToken header htmx sends from <body hx-headers>. And no GET route changes anything."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role
from tests.conftest import empty_tables, make_app
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import foreign_unit_id, rules, snapshot, urls


@pytest.fixture
def csrf_app(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    yield app
    empty_tables(app)


def page_token(client) -> str:
    """The token a page gives to htmx through <body hx-headers>; forms carry the same one."""
    page = client.get("/login", follow_redirects=True).text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert f'name="csrf_token" type="hidden" value="{header_token}"' in page or \
        f'name="csrf_token" value="{header_token}"' in page
    return header_token


def _admin(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "quantri", "password": PASSWORD,
                                           "csrf_token": page_token(client)})
    assert response.status_code == 303
    return client


def _post_targets(app):
    with app.app_context():
        unit_id = foreign_unit_id()
        return [(rule.endpoint, urls(app, rule, unit_id)[0]) for rule in rules(app, "POST")]


def test_every_post_route_refuses_a_request_without_a_token_and_changes_nothing(csrf_app):
    targets = _post_targets(csrf_app)
    admin, anonymous = _admin(csrf_app), csrf_app.test_client()
    before = snapshot(csrf_app)
    for endpoint, target in targets:
        for client in (admin, anonymous):
            for headers in ({}, {"HX-Request": "true"}, {"X-CSRFToken": "forged-token"}):
                response = client.post(target, data={"name": "X", "password": "x"}, headers=headers)
                assert response.status_code == 400, (endpoint, target, headers)
    assert snapshot(csrf_app) == before


@pytest.mark.parametrize("how", ["form field", "htmx header"])
def test_every_post_route_accepts_the_token(csrf_app, how):
    for endpoint, target in _post_targets(csrf_app):
        client = _admin(csrf_app)  # each route on a fresh session: sign-out ends the one before
        token = page_token(client)
        if how == "form field":
            response = client.post(target, data={"csrf_token": token})
        else:
            response = client.post(target, headers={"X-CSRFToken": token, "HX-Request": "true"})
        assert response.status_code in (200, 303, 404, 422), (endpoint, target, response.status_code)


# No GET changes anything

ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES + [None])
def test_no_get_route_changes_the_database(app, role):
    """Every GET route, as a page and as an htmx fragment: every row of every table stays the same.

    The one write a GET may cause is an audit row for refused access.
    """
    client = app.test_client()
    with app.app_context():
        if role is not None:
            make_user("nguoidung", role=role, unit=make_unit())
        unit_id = foreign_unit_id()
        targets = [u for rule in rules(app, "GET") for u in urls(app, rule, unit_id)]
    if role is not None:
        client.post("/login", data={"username": "nguoidung", "password": PASSWORD})
    before = snapshot(app, exclude=("audit_event",))
    with app.app_context():
        last_event = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())) or 0
    for target in targets:
        client.get(target)
        client.get(target, headers={"HX-Request": "true"})
    assert snapshot(app, exclude=("audit_event",)) == before
    with app.app_context():
        added = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last_event)))
    assert added <= {"access.forbidden", "access.hidden_object"}
