"""The organisation tree: paths kept on write, subtrees as scopes, a district that sees nothing of another's."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Organization, OrgKind, Role, Task, User
from app.permissions import PERMISSIONS, holds_every_unit, scoped
from tests.conftest import login
from tests.factories import PASSWORD, make_task, make_unit, make_user
from tests.url_map import API_BODIES, by_token, object_route_cases, policy_of, snapshot, token_of, url


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
    """The province is the tree's only root: its subtree holds every unit, so its office is given no unit condition
    (no `IN (its units)` for the planner to read first), until a second root exists."""
    with app.app_context():
        units = _two_districts()
        task_a, task_b = make_task(units["a_commune"]), make_task(units["b_commune"])
        coordinator_b = make_user(role=Role.COORDINATOR, unit=units["b_office"])
        province = make_user(role=Role.COORDINATOR, unit=units["province_office"])
        assert set(db.session.scalars(scoped(Task, coordinator_b).with_only_columns(Task.id))) == {task_b.id}
        assert set(db.session.scalars(scoped(Task, province).with_only_columns(Task.id))) == {task_a.id, task_b.id}
        names = set(db.session.scalars(scoped(Organization, coordinator_b).with_only_columns(Organization.name)))
        assert names == {"Huyện B", "Văn phòng huyện b", "UBND xã b"}
        assert holds_every_unit(province) and not holds_every_unit(coordinator_b)
        assert scoped(Task, province).whereclause is None and scoped(Task, coordinator_b).whereclause is not None
        make_task(make_unit("UBND xã ngoài tỉnh"))  # a second root: the province no longer holds every unit
        assert not holds_every_unit(province)
        assert set(db.session.scalars(scoped(Task, province).with_only_columns(Task.id))) == {task_a.id, task_b.id}


# The working-day calendar is the country's (Tết, the Government's moved days), shared by every district.
COUNTRY_WIDE = {"followup.remove_calendar_day"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.MONITOR])
def test_another_districts_objects_are_404_on_every_object_route_and_nothing_changes(app, role):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        bearer = {"Authorization": f"Bearer {token_of(make_user('huyenb', role=role, unit=units['b_office']))}"}
        foreign = db.session.get(Organization, units["a_commune"].id)
        cases = object_route_cases(app, foreign, skip=COUNTRY_WIDE)
    login(client, "huyenb", PASSWORD)
    before = snapshot(app, exclude=("audit_event", "api_token"))
    for rule, method, values in cases:
        expected = 404 if role in PERMISSIONS[policy_of(app, rule.endpoint)] else 403
        api = by_token(app, rule.endpoint)  # the API: its token and a valid body, so only the object decides
        response = client.open(url(app, rule, **values), method=method, headers={**bearer, "If-Match": '"v1"'}
                               if api else {}, json=API_BODIES.get(rule.endpoint) if api and method != "GET" else None)
        assert response.status_code == expected, (rule.endpoint, method, values)
        assert "UBND xã a" not in response.text
    assert snapshot(app, exclude=("audit_event", "api_token")) == before


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


def _unit_form(unit, **changes) -> dict:
    return {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind.value,
            "parent_id": unit.parent_id or 0, "level_name": unit.level_name, **changes}


@pytest.fixture
def province_admin(app):
    """An administrator of the province office signed in, and the tree's units."""
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        make_user("quantri", role=Role.ADMIN, unit=units["province_office"])
        ids = {key: unit.id for key, unit in units.items()}
    login(client, "quantri", PASSWORD)
    return client, ids


def test_an_admin_adds_a_ward_under_a_district_with_its_level_name(app, province_admin):
    client, ids = province_admin
    response = client.post("/admin/units/new", data={"name": "UBND phường Mới", "short_name": "Mới",
                                                     "kind": "commune", "parent_id": ids["a"], "level_name": "phường"})
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.scalar(select(Organization).where(Organization.name == "UBND phường Mới"))
        assert unit.level_name == "phường" and unit.path.startswith(db.session.get(Organization, ids["a"]).path)


def test_an_administrative_level_needs_its_level_name(province_admin):
    client, ids = province_admin
    response = client.post("/admin/units/new", data={"name": "Huyện C", "short_name": "C", "kind": "area",
                                                     "parent_id": ids["province"], "level_name": ""})
    assert response.status_code == 422 and "Hãy nhập tên cấp" in response.text


def test_a_unit_cannot_be_placed_under_its_own_subtree(app, province_admin):
    client, ids = province_admin
    with app.app_context():
        district = db.session.get(Organization, ids["a"])
        data = _unit_form(district, parent_id=ids["a"])
    response = client.post(f"/admin/units/{ids['a']}/edit", data=data)
    assert response.status_code == 422  # not among the choices: the unit's own subtree is left out
    with app.app_context():
        from app.admin.services import save_unit
        from app.rules import RuleError
        actor = db.session.scalar(select(User).where(User.username == "quantri"))
        with pytest.raises(RuleError, match="không thể trực thuộc chính nó"):
            save_unit(db.session.get(Organization, ids["province"]), actor=actor, name="Tỉnh Thử", short_name="T",
                      kind="area", parent_id=ids["a"], level_name="tỉnh")


def test_a_commune_with_tasks_of_its_district_does_not_move_to_another_district(app, province_admin):
    client, ids = province_admin
    with app.app_context():
        from tests.factories import make_directive, make_item
        make_task(db.session.get(Organization, ids["a_commune"]),
                  make_item(make_directive(organization_id=ids["a_office"])))
        data = _unit_form(db.session.get(Organization, ids["a_commune"]), parent_id=ids["b"])
    response = client.post(f"/admin/units/{ids['a_commune']}/edit", data=data)
    assert response.status_code == 422 and "Văn phòng huyện a" in response.text
    with app.app_context():
        assert db.session.get(Organization, ids["a_commune"]).parent_id == ids["a"]


def test_a_commune_without_such_tasks_moves_with_its_villages_and_the_new_district_sees_it(app, province_admin):
    client, ids = province_admin
    with app.app_context():
        from tests.factories import make_directive, make_item
        # a province directive's task stays within the province's reach wherever the commune goes
        make_task(db.session.get(Organization, ids["a_commune"]),
                  make_item(make_directive(organization_id=ids["province_office"])))
        data = _unit_form(db.session.get(Organization, ids["a_commune"]), parent_id=ids["b"])
    assert client.post(f"/admin/units/{ids['a_commune']}/edit", data=data).status_code == 303
    with app.app_context():
        commune = db.session.get(Organization, ids["a_commune"])
        assert commune.path == f"{db.session.get(Organization, ids['b']).path}{commune.id}/"
        coordinator_b = make_user(role=Role.COORDINATOR, unit=db.session.get(Organization, ids["b_office"]))
        assert db.session.scalar(scoped(Task, coordinator_b).with_only_columns(Task.id).where(
            Task.lead_unit_id == commune.id)) is not None


def test_a_district_admin_cannot_place_a_unit_outside_their_district(app):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        make_user("quantrib", role=Role.ADMIN, unit=units["b_office"])
        data = _unit_form(units["b_commune"], parent_id=units["a"].id)
        commune_id = units["b_commune"].id
    login(client, "quantrib", PASSWORD)
    assert client.post(f"/admin/units/{commune_id}/edit", data=data).status_code == 422


def test_a_two_level_province_assigns_straight_to_its_communes(app):
    """Since 1/7/2025 a province holds its communes with no district between: its office assigns to them."""
    client = app.test_client()
    with app.app_context():
        province = _area("Tỉnh Hai Cấp", "tỉnh")
        office = make_unit("Văn phòng UBND tỉnh Hai Cấp", kind=OrgKind.DISTRICT_OFFICE, parent=province)
        wards = [make_unit(f"UBND phường {n}", parent=province, level_name="phường") for n in ("Một", "Hai")]
        special = make_unit("UBND đặc khu Đảo", parent=province, level_name="đặc khu")
        elsewhere = make_unit("UBND xã Ngoài Tỉnh", parent=_area("Tỉnh Khác", "tỉnh"))
        make_user("vptinh2", role=Role.COORDINATOR, unit=office)
        from tests.factories import make_directive, make_item
        item_id = make_item(make_directive(organization_id=office.id)).id
        expected = {unit.id for unit in (*wards, special)}
        elsewhere_id = elsewhere.id
    login(client, "vptinh2", PASSWORD)
    assert client.post(f"/items/{item_id}/assign", data={"group": "communes"}).status_code == 303
    with app.app_context():
        assert set(db.session.scalars(select(Task.lead_unit_id).where(Task.item_id == item_id))) == expected
        from app.directives.services import assign_item
        from app.models import Item
        from app.rules import RuleError
        actor = db.session.scalar(select(User).where(User.username == "vptinh2"))
        with pytest.raises(RuleError, match="Chỉ giao nhiệm vụ"):
            assign_item(db.session.get(Item, item_id), actor, lead_unit_ids=[elsewhere_id], cooperating_unit_ids=[],
                        deadline=None)
    page = client.get("/").text
    assert "UBND đặc khu Đảo" in page and "UBND xã Ngoài Tỉnh" not in page


def test_a_district_admin_renames_their_own_district_which_stays_in_its_province(app):
    client = app.test_client()
    with app.app_context():
        units = _two_districts()
        make_user("quantrib", role=Role.ADMIN, unit=units["b_office"])
        data = _unit_form(units["b"], name="Huyện B Mới")
        district_id, province_id = units["b"].id, units["province"].id
    login(client, "quantrib", PASSWORD)
    assert client.post(f"/admin/units/{district_id}/edit", data=data).status_code == 303
    with app.app_context():
        district = db.session.get(Organization, district_id)
        assert (district.name, district.parent_id) == ("Huyện B Mới", province_id)
