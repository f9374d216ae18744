"""The organisation tree: paths kept on write, subtrees as scopes, a district that sees nothing of another's."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Organization, OrgKind, Role, Task
from app.permissions import PERMISSIONS, scoped
from tests.conftest import login
from tests.factories import PASSWORD, make_task, make_unit, make_user
from tests.url_map import OBJECT_ROUTES, policy_of, snapshot, takes_object_id, url


def _area(name: str, level: str, parent=None) -> Organization:
    return make_unit(name, kind=OrgKind.AREA, level_name=level, parent=parent)


def _two_districts():
    """A province with two districts, each with its office and a commune; returns the units by name."""
    province = _area("Tỉnh Thử", "tỉnh")
    units = {"province": province, "a": _area("Huyện A", "huyện", province), "b": _area("Huyện B", "huyện", province)}
    for key in ("a", "b"):
        units[f"{key}_office"] = make_unit(f"Văn phòng huyện {key}", kind=OrgKind.DISTRICT_OFFICE, parent=units[key])
        units[f"{key}_commune"] = make_unit(f"UBND xã {key}", parent=units[key], level_name="xã")
    units["province_office"] = make_unit("Văn phòng tỉnh", kind=OrgKind.DISTRICT_OFFICE, parent=province)
    return units


def test_a_unit_path_runs_from_the_root_to_itself_and_follows_a_move(app):
    with app.app_context():
        units = _two_districts()
        commune, a, b = units["a_commune"], units["a"], units["b"]
        assert commune.path == f"/{units['province'].id}/{a.id}/{commune.id}/"
        a.parent = b  # a district moved under another takes its subtree along
        db.session.commit()
        db.session.expire_all()
        assert commune.path == f"{b.path}{a.id}/{commune.id}/"
        assert b.contains(commune) and not commune.contains(b)


def test_a_district_coordinator_sees_only_their_district_and_the_province_office_sees_both(app):
    with app.app_context():
        units = _two_districts()
        task_a, task_b = make_task(units["a_commune"]), make_task(units["b_commune"])
        coordinator_b = make_user(role=Role.COORDINATOR, unit=units["b_office"])
        province = make_user(role=Role.COORDINATOR, unit=units["province_office"])
        assert set(db.session.scalars(scoped(Task, coordinator_b).with_only_columns(Task.id))) == {task_b.id}
        assert set(db.session.scalars(scoped(Task, province).with_only_columns(Task.id))) == {task_a.id, task_b.id}
        names = set(db.session.scalars(scoped(Organization, coordinator_b).with_only_columns(Organization.name)))
        assert names == {"Huyện B", "Văn phòng huyện b", "UBND xã b"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.MONITOR])
def test_another_districts_objects_are_404_on_every_object_route_and_nothing_changes(app, role):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        make_user("huyenb", role=role, unit=units["b_office"])
        foreign = db.session.get(Organization, units["a_commune"].id)
        cases = [(rule, method, values)
                 for rule in app.url_map.iter_rules() if takes_object_id(rule) and rule.endpoint in OBJECT_ROUTES
                 for values in OBJECT_ROUTES[rule.endpoint](foreign)
                 for method in ("GET", "POST") if method in rule.methods]
    login(client, "huyenb", PASSWORD)
    before = snapshot(app, exclude=("audit_event",))
    for rule, method, values in cases:
        expected = 404 if role in PERMISSIONS[policy_of(app, rule.endpoint)] else 403
        response = client.open(url(app, rule, **values), method=method)
        assert response.status_code == expected, (rule.endpoint, method, values)
        assert "UBND xã a" not in response.text
    assert snapshot(app, exclude=("audit_event",)) == before


def test_a_district_sees_a_province_directive_through_its_tasks_but_cannot_manage_it(app):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        from tests.factories import make_directive, make_item
        directive = make_directive(organization_id=units["province_office"].id)
        make_task(units["b_commune"], make_item(directive))
        make_user("huyenb", role=Role.COORDINATOR, unit=units["b_office"])
        directive_id = directive.id
    login(client, "huyenb", PASSWORD)
    assert client.get(f"/directives/{directive_id}").status_code == 200
    assert client.get(f"/directives/{directive_id}/edit").status_code == 403


def test_unit_lists_and_pickers_hold_only_the_subtree(app):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        make_user("huyenb", role=Role.ADMIN, unit=units["b_office"])
        make_user("canbo_a", unit=units["a_commune"])
    login(client, "huyenb", PASSWORD)
    for page in ("/admin/units", "/admin/users", "/directives/new", "/villages", "/support/new"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "UBND xã a" not in response.text and "canbo_a" not in response.text, page
    assert select  # keep the import used when pages change
