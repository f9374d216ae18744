"""The one policy: every route has one, and the role table decides who passes (for every route and role:
tests/test_route_matrix.py)."""
import pytest

from app.permissions import PERMISSIONS, PUBLIC, can, require
from tests.url_map import policy_of


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
