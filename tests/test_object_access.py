"""Object level: on every route that takes an object id, an officer of another unit learns nothing and changes
nothing. The routes come from app.url_map; the objects from the OBJECT_ROUTES table in tests/url_map.py."""
import pytest
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.models import Organization, OrgKind, Role
from app.permissions import PERMISSIONS
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import OBJECT_ROUTES, policy_of, snapshot, takes_object_id, url

MISSING_ID = 987654321
# Officers of each kind of unit that has officers: a commune, a union, a partner enterprise.
OFFICER_UNIT_KINDS = [OrgKind.COMMUNE, OrgKind.UNION, OrgKind.PARTNER]


def test_every_route_with_an_object_id_has_a_row_in_the_table(app):
    missing = [rule.rule for rule in app.url_map.iter_rules()
               if takes_object_id(rule) and rule.endpoint not in OBJECT_ROUTES]
    assert missing == []


def _with_missing_ids(rule, values: dict) -> dict:
    return {name: MISSING_ID if isinstance(rule._converters.get(name), IntegerConverter) else value
            for name, value in values.items()}


@pytest.mark.parametrize("kind", OFFICER_UNIT_KINDS)
def test_an_officer_gets_the_same_answer_for_another_units_object_as_for_none_and_changes_nothing(app, kind):
    client = app.test_client()
    with app.app_context():
        make_user("canbo", role=Role.OFFICER, unit=make_unit(kind=kind))
        foreign = make_unit("UBND xã Láng Giềng")
        cases = [(rule, method, values)
                 for rule in app.url_map.iter_rules() if takes_object_id(rule) and rule.endpoint in OBJECT_ROUTES
                 for values in OBJECT_ROUTES[rule.endpoint](db.session.get(Organization, foreign.id))
                 for method in ("GET", "POST") if method in rule.methods]
    login(client, "canbo", PASSWORD)
    assert cases
    before = snapshot(app, exclude=("audit_event",))
    for rule, method, values in cases:
        allowed = Role.OFFICER in PERMISSIONS[policy_of(app, rule.endpoint)]
        expected = 404 if allowed else 403
        for headers in ({}, {"HX-Request": "true"}):
            existing = client.open(url(app, rule, **values), method=method, headers=headers)
            missing = client.open(url(app, rule, **_with_missing_ids(rule, values)), method=method, headers=headers)
            where = (rule.endpoint, method, values, headers)
            assert existing.status_code == missing.status_code == expected, where
            assert "UBND xã Láng Giềng" not in existing.text, where
    assert snapshot(app, exclude=("audit_event",)) == before
