"""The one policy: every route has one, and the role table decides who passes."""
import pytest
from flask import url_for
from werkzeug.routing import AnyConverter

from app.models import Role
from app.permissions import PERMISSIONS, PUBLIC, can, require
from tests.factories import PASSWORD, make_user

ROLES = list(Role)


def _policy(app, endpoint):
    return getattr(app.view_functions[endpoint], "policy", None)


def test_every_route_has_a_policy(app):
    missing = [rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint != "static" and _policy(app, rule.endpoint) is None]
    assert missing == []


def test_every_policy_names_a_known_permission(app):
    for rule in app.url_map.iter_rules():
        policy = _policy(app, rule.endpoint)
        if policy is not None:
            assert policy == PUBLIC or policy in PERMISSIONS


def test_unknown_permission_fails_at_import():
    with pytest.raises(KeyError):
        require("no.such.permission")


def test_anonymous_user_can_do_nothing_but_public():
    class Anonymous:
        is_authenticated = False
    assert not can(Anonymous(), "dashboard.view")
    assert can(Anonymous(), PUBLIC)


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and "GET" in rule.methods:
            yield rule


@pytest.mark.parametrize("role", ROLES + [None])
def test_role_matrix_matches_the_permission_table(app, role):
    """Every GET route: anonymous users are sent to sign in; a role passes exactly where the table says."""
    client = app.test_client()
    with app.app_context():
        if role is not None:
            make_user("matrix", role=role)
    if role is not None:
        client.post("/login", data={"username": "matrix", "password": PASSWORD})
    for rule in _get_routes(app):
        policy = _policy(app, rule.endpoint)
        url = _build(app, rule)
        status = client.get(url).status_code
        if policy == PUBLIC:
            assert status in (200, 302, 404, 503), url
        elif role is None:
            assert status == 302, url
        elif role in PERMISSIONS[policy]:
            assert status in (200, 404), (url, role)  # 404: sample id 1 may not exist
        else:
            assert status == 403, (url, role)


def _build(app, rule):
    """The rule's URL with a sample value for each argument: 1 for ids, the first choice of any(...)."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        if isinstance(converter, AnyConverter):
            values[arg] = converter.items[0] if isinstance(converter.items, list) else sorted(converter.items)[0]
        else:
            values[arg] = 1
    with app.test_request_context():
        return url_for(rule.endpoint, **values)
