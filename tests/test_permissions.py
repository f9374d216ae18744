"""The one policy: every route has one, and the role table decides who passes."""
import pytest

from app.models import Role
from app.permissions import PERMISSIONS, PUBLIC, can, require
from tests.factories import PASSWORD, make_user
from tests.url_map import policy_of, rules, url

ROLES = list(Role)


def test_every_route_has_a_policy(app):
    missing = [rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint != "static" and policy_of(app, rule.endpoint) is None]
    assert missing == []


def test_every_policy_names_a_known_permission(app):
    for rule in app.url_map.iter_rules():
        policy = policy_of(app, rule.endpoint)
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


@pytest.mark.parametrize("role", ROLES + [None])
def test_role_matrix_matches_the_permission_table(app, role):
    """Every GET route: anonymous users are sent to sign in; a role passes exactly where the table says."""
    client = app.test_client()
    with app.app_context():
        if role is not None:
            make_user("matrix", role=role)
    if role is not None:
        client.post("/login", data={"username": "matrix", "password": PASSWORD})
    for rule in rules(app, "GET"):
        policy = policy_of(app, rule.endpoint)
        sample = url(app, rule)
        status = client.get(sample).status_code
        if policy == PUBLIC:
            assert status in (200, 302, 404, 503), sample
        elif role is None:
            assert status == 302, sample
        elif role in PERMISSIONS[policy]:
            assert status in (200, 404), (sample, role)  # 404: sample id 1 may not exist
        else:
            assert status == 403, (sample, role)

