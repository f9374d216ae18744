"""Object level: on every route that takes an object id, an officer of another unit learns nothing and changes
nothing. The routes come from app.url_map; the objects from the OBJECT_ROUTES table in tests/url_map.py."""
import pytest
from werkzeug.routing import IntegerConverter

from app.models import OrgKind, Role
from app.permissions import PERMISSIONS
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user
from tests.url_map import (
    API_BODIES,
    OBJECT_ROUTES,
    by_token,
    object_route_cases,
    policy_of,
    snapshot,
    takes_object_id,
    token_of,
    url,
)

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
        secret = token_of(make_user("canbo", role=Role.OFFICER, unit=make_unit(kind=kind)))
        foreign = make_unit("UBND xã Láng Giềng")
        cases = object_route_cases(app, foreign)
    login(client, "canbo", PASSWORD)
    assert cases
    # The token's first use is noted now, so that the walk below leaves even its last-used time unchanged.
    assert client.get("/api/v1/directives", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    before = snapshot(app, exclude=("audit_event",))
    for rule, method, values in cases:
        allowed = Role.OFFICER in PERMISSIONS[policy_of(app, rule.endpoint)]
        expected = 404 if allowed else 403
        # The API's routes: the same answers to the same officer's token (with a body and If-Match that would pass).
        api = {"Authorization": f"Bearer {secret}", "If-Match": "*"} if by_token(app, rule.endpoint) else {}
        for headers in ({**api}, {"HX-Request": "true", **api}):
            body = {"json": API_BODIES.get(rule.endpoint, {})} if api else {}
            existing = client.open(url(app, rule, **values), method=method, headers=headers, **body)
            missing = client.open(url(app, rule, **_with_missing_ids(rule, values)), method=method, headers=headers,
                                  **body)
            where = (rule.endpoint, method, values, headers)
            assert existing.status_code == missing.status_code == expected, where
            assert "UBND xã Láng Giềng" not in existing.text, where
    assert snapshot(app, exclude=("audit_event",)) == before
