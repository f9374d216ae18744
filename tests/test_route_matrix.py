"""One walk of app.url_map per role: every route is requested, and every response is checked for what the
permission table predicts, the security headers, CSRF, and that no GET changes anything.

Routes added anywhere are picked up from app.url_map. A route that takes an object id is called with the objects
OBJECT_ROUTES (tests/url_map.py) makes for it in a unit the user does not belong to, else with id 1.
"""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role
from app.permissions import OBJECT_RULES, PERMISSIONS, PUBLIC
from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import (
    assert_security_headers,
    by_token,
    foreign_unit_id,
    page_token,
    policy_of,
    rules,
    snapshot,
    token_of,
    urls,
)

ROLES = [*Role, None]  # None: not signed in
PAGE, FRAGMENT = {}, {"HX-Request": "true"}
# A POST without a valid token: none at all, none with htmx, a forged one.
WITHOUT_TOKEN = [{}, {"HX-Request": "true"}, {"X-CSRFToken": "forged-token"}]
# The one write a GET may cause: an audit row for refused access.
REFUSAL_EVENTS = {"access.forbidden", "access.hidden_object"}
PROBLEM = "application/problem+json"
# What an API write may answer besides the table's statuses: a stale or missing If-Match, a state that forbids it.
API_WRITE_STATUSES = {200, 404, 409, 412, 422, 428}


@pytest.fixture
def csrf_app(database_url, _schema):
    """CSRF on, as in production: the walk sends POSTs without and with the token."""
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield app
    empty_tables(app)


def expected_statuses(policy: str | None, role: Role | None, headers: dict, method: str) -> set[int]:
    """What the permission table predicts for a request by `role` to a view with `policy`."""
    assert policy is not None, "the route has no policy: decorate its view with @require(...) or @public"
    if policy == PUBLIC:
        return {200, 302, 404, 503} if method == "GET" else {200, 302, 303, 404, 422}
    if role is None:
        return {401} if headers.get("HX-Request") else {302}
    if role not in PERMISSIONS[policy]:
        return {403}
    # 404: another unit's object an officer may not see, or sample id 1 when there is none.
    statuses = {200, 404} if method == "GET" else {200, 303, 404, 409, 422}
    # 403: an object the user sees but its object rule refuses (a monitor on a task another unit leads).
    return statuses | {403} if policy in OBJECT_RULES else statuses


def sign_in(app, role: Role | None):
    """A client of `role` on a fresh session (or an anonymous one) and its CSRF token, which CSRF being on it
    sends with the sign-in too."""
    client = app.test_client()
    token = page_token(client)
    if role is not None:
        response = login(client, f"user-{role}", PASSWORD, headers={"X-CSRFToken": token})
        assert response.status_code == 303
        token = page_token(client)  # signing in starts a new session, with a new token
    return client, token


def assert_no_inline_code(response, where):
    """What the CSP would block must not be in the pages in the first place."""
    if response.status_code == 200 and response.mimetype == "text/html":
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), where
        assert not re.search(r"\sstyle=|\son[a-z]+=|\shx-on", response.text), where


def assert_cookie_refused(response, where):
    """An API route answers a session cookie as it answers nobody: 401, problem+json."""
    assert response.status_code == 401 and response.mimetype == PROBLEM, where


def walk_gets(app, client, role, targets):
    """Every GET route as a page and as an htmx fragment: permission, headers, no inline code."""
    seen = set()
    for endpoint, target in targets:
        for headers in (PAGE, FRAGMENT):
            response = client.get(target, headers=headers)
            where = (role, target, headers, response.status_code)
            assert_security_headers(response, signed_in=role is not None)
            if by_token(app, endpoint):
                assert_cookie_refused(response, where)
            elif endpoint != "static":
                assert response.status_code in expected_statuses(policy_of(app, endpoint), role, headers, "GET"), \
                    where
                assert_no_inline_code(response, where)
            seen.add(response.status_code)
    assert seen >= ({200, 302, 401} if role is None else {200})


def walk_posts_without_token(app, client, role, targets):
    """Every POST route refuses a request without a valid token; the API's, which have no CSRF token, refuse
    the session cookie."""
    for endpoint, target in targets:
        for headers in WITHOUT_TOKEN:
            response = client.post(target, data={"name": "X", "password": "x"}, headers=headers)
            if by_token(app, endpoint):
                assert_cookie_refused(response, (role, endpoint, target, headers))
            else:
                assert response.status_code == 400, (role, endpoint, target, headers)
            assert_security_headers(response, signed_in=role is not None)


def walk_posts_with_token(app, role, targets):
    """Every POST route accepts the token as a form field and as htmx's header, then answers as the table says."""
    client, token = sign_in(app, role)
    for endpoint, target in targets:
        for how in ("form field", "htmx header"):
            if how == "form field":
                headers, response = PAGE, client.post(target, data={"csrf_token": token})
            else:
                headers = {"X-CSRFToken": token, "HX-Request": "true"}
                response = client.post(target, headers=headers)
            if by_token(app, endpoint):
                assert_cookie_refused(response, (role, endpoint, target, how))
                continue
            expected = expected_statuses(policy_of(app, endpoint), role, headers, "POST")
            assert response.status_code in expected, (role, endpoint, target, how, response.status_code)
            if endpoint == "auth.logout":  # the session ended: the next route gets a new one
                client, token = sign_in(app, role)


def walk_api(app, role, targets, secret):
    """Every API route with the role's bearer token (none when signed out): what the table predicts, problem+json
    for every error, never cached."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    for endpoint, method, target in targets:
        response = client.open(target, method=method, headers=headers, json={})
        where = (role, method, target, response.status_code)
        if role is None:
            expected = {401}
        elif role not in PERMISSIONS[policy_of(app, endpoint)]:
            expected = {403}
        elif method == "GET":
            expected = expected_statuses(policy_of(app, endpoint), role, {}, "GET")
        else:
            expected = API_WRITE_STATUSES | ({403} if policy_of(app, endpoint) in OBJECT_RULES else set())
        assert response.status_code in expected, where
        assert response.mimetype == (PROBLEM if response.status_code >= 400 else "application/json"), where
        assert response.headers["Cache-Control"] == "no-store", where
        assert "Set-Cookie" not in response.headers, where


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_route_answers_as_the_permission_table_says_with_security_headers_and_csrf(csrf_app, role):
    app = csrf_app
    with app.app_context():
        secret = None
        if role is not None:
            kind = OrgKind.COMMUNE if role == Role.OFFICER else OrgKind.DISTRICT_OFFICE
            secret = token_of(make_user(f"user-{role}", role=role, unit=make_unit(kind=kind)))
        unit_id = foreign_unit_id()
        gets = [(rule.endpoint, u) for rule in rules(app, "GET", static=True) for u in urls(app, rule, unit_id)]
        posts = [(rule.endpoint, urls(app, rule, unit_id)[0]) for rule in rules(app, "POST")]
        api = [(rule.endpoint, method, u) for rule in app.url_map.iter_rules() if by_token(app, rule.endpoint)
               for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) for u in urls(app, rule, unit_id)]
    client, _ = sign_in(app, role)
    before = snapshot(app, exclude=("audit_event",))
    with app.app_context():
        last_event = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())) or 0

    walk_gets(app, client, role, gets)
    assert snapshot(app, exclude=("audit_event",)) == before, "a GET changed the database"
    with app.app_context():
        added = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last_event)))
    assert added <= REFUSAL_EVENTS

    before = snapshot(app)
    walk_posts_without_token(app, client, role, posts)
    assert snapshot(app) == before, "a POST without a token changed the database"

    before = snapshot(app, exclude=("audit_event", "api_token"))  # a token's last use is noted
    walk_api(app, role, [target for target in api if target[1] == "GET"], secret)
    assert snapshot(app, exclude=("audit_event", "api_token")) == before, "an API GET changed the database"
    walk_api(app, role, [target for target in api if target[1] != "GET"], secret)

    # Last: these POSTs change things.
    walk_posts_with_token(app, role, sorted(posts, key=lambda post: post[0] == "auth.logout"))
