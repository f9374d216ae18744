"""The village registry: who sees and edits which village; bad input saves nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Organization, OrgKind, Role, User, Village
from tests.conftest import login
from tests.factories import PASSWORD, make_counting_team, make_team, make_unit, make_user, make_village


@pytest.fixture
def places(app):
    with app.app_context():
        tam_dan, tam_an = make_unit("UBND xã Tam Đàn"), make_unit("UBND xã Tam An")
        own, other = make_village(tam_dan, "Thạnh Hòa"), make_village(tam_an, "An Mỹ")
        make_village(tam_dan, "Xuân Định")
        make_user("tamdann", unit=tam_dan)
        make_user("vanphong", role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        make_user("lanhdao", role=Role.MONITOR)
        make_user("doanthanhnien", unit=make_unit("Huyện Đoàn", kind=OrgKind.UNION))
        return {"own": own.id, "other": other.id, "tam_dan": tam_dan.id}


def _name(app, village_id):
    with app.app_context():
        return db.session.get(Village, village_id).name


def _edit(client, village_id, name="Thạnh Hòa Mới", kind="village"):
    return client.post(f"/villages/{village_id}/edit", data={"name": name, "kind": kind})


def test_commune_officer_sees_only_its_own_villages(client, places):
    login(client, "tamdann", PASSWORD)
    page = client.get("/villages").text
    assert "Thạnh Hòa" in page and "Xuân Định" in page and "An Mỹ" not in page


def test_coordinator_sees_every_commune_and_can_filter(client, places):
    login(client, "vanphong", PASSWORD)
    assert "An Mỹ" in client.get("/villages").text
    filtered = client.get(f"/villages?commune={places['tam_dan']}", headers={"HX-Request": "true"})
    assert filtered.text.lstrip().startswith('<div id="village-rows"') and "An Mỹ" not in filtered.text


def test_commune_officer_edits_its_own_villages_details(app, client, places):
    login(client, "tamdann", PASSWORD)
    assert _edit(client, places["own"]).status_code == 303
    assert _name(app, places["own"]) == "Thạnh Hòa Mới"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == places["own"])) == \
            "village.update"


def test_commune_officer_cannot_move_a_village_to_another_commune(app, client, places):
    login(client, "tamdann", PASSWORD)
    client.post(f"/villages/{places['own']}/edit", data={"name": "Thạnh Hòa", "kind": "village", "commune_id": 999})
    with app.app_context():
        assert db.session.get(Village, places["own"]).commune_id == places["tam_dan"]


@pytest.mark.parametrize("username", ["tamdann", "doanthanhnien"])
def test_another_units_village_is_404_and_unchanged(app, client, places, username):
    login(client, username, PASSWORD)
    assert client.get(f"/villages/{places['other']}/edit").status_code == 404
    assert _edit(client, places["other"]).status_code == 404
    assert _name(app, places["other"]) == "An Mỹ"


def test_monitor_may_look_but_not_edit(client, places):
    login(client, "lanhdao", PASSWORD)
    assert client.get("/villages").status_code == 200
    assert _edit(client, places["own"]).status_code == 403


def test_coordinator_edits_any_village(app, client, places):
    login(client, "vanphong", PASSWORD)
    assert _edit(client, places["other"], name="An Mỹ 2").status_code == 303
    assert _name(app, places["other"]) == "An Mỹ 2"


@pytest.mark.parametrize("name, message", [("   ", "Nhập tên thôn"), ("Xuân Định", "Tên này đã có.")])
def test_bad_village_name_is_refused_with_a_message(app, client, places, name, message):
    login(client, "tamdann", PASSWORD)
    response = _edit(client, places["own"], name=name)
    assert response.status_code == 422 and message in response.text
    assert _name(app, places["own"]) == "Thạnh Hòa"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "village.update")) == 0


@pytest.mark.parametrize("commune", ["abc", "-1", "99999999999999999999"])
def test_a_commune_filter_that_does_not_parse_shows_every_village(client, places, commune):
    login(client, "vanphong", PASSWORD)
    response = client.get(f"/villages?commune={commune}")
    assert response.status_code == 200 and "An Mỹ" in response.text


@pytest.fixture
def admin_client(app, client, places):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    return client


def _audit_rows(app, village_id=None):
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.object_type == "Village")
        if village_id is not None:
            stmt = stmt.where(AuditEvent.object_id == village_id)
        return list(db.session.scalars(stmt))


def test_each_change_of_a_village_writes_exactly_one_audit_row(app, client, places):
    login(client, "tamdann", PASSWORD)
    assert _edit(client, places["own"], name="Thạnh Hòa Mới").status_code == 303
    assert [row.action for row in _audit_rows(app, places["own"])] == ["village.update"]
    assert _edit(client, places["own"], name="Thạnh Hòa Mới", kind="urban_block").status_code == 303
    rows = _audit_rows(app, places["own"])
    assert [row.action for row in rows] == ["village.update", "village.update"]
    assert all(row.user_id is not None for row in rows)


def test_the_admin_adds_a_village_on_the_village_screen(app, admin_client, places):
    response = admin_client.post("/villages/new", data={"commune_id": places["tam_dan"], "name": "Thôn Mới",
                                                        "kind": "village"})
    assert response.status_code == 303 and f"/villages?commune={places['tam_dan']}" in response.headers["Location"]
    with app.app_context():
        village = db.session.scalar(select(Village).where(Village.name == "Thôn Mới"))
        assert village.commune_id == places["tam_dan"] and village.name_confirmed
    assert [row.action for row in _audit_rows(app, village.id)] == ["village.create"]
    assert "Thêm thôn, khối phố" in admin_client.get("/villages").text


def test_the_admin_moves_a_village_to_another_commune(app, admin_client, places):
    with app.app_context():
        tam_an = db.session.scalar(select(Village.commune_id).where(Village.id == places["other"]))
    assert 'name="commune_id"' in admin_client.get(f"/villages/{places['own']}/edit").text
    response = admin_client.post(f"/villages/{places['own']}/edit",
                                 data={"commune_id": tam_an, "name": "Thạnh Hòa", "kind": "village"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Village, places["own"]).commune_id == tam_an
    [row] = _audit_rows(app, places["own"])
    assert row.action == "village.update" and set(row.changes) == {"commune"}


@pytest.mark.parametrize("username", ["tamdann", "vanphong"])
def test_only_those_who_may_move_villages_see_the_commune_field_or_add_villages(app, client, places, username):
    login(client, username, PASSWORD)
    assert 'name="commune_id"' not in client.get(f"/villages/{places['own']}/edit").text
    assert client.get("/villages/new").status_code == 403
    assert client.post("/villages/new", data={"commune_id": places["tam_dan"], "name": "Thôn Mới",
                                              "kind": "village"}).status_code == 403
    assert "/villages/new" not in client.get("/villages").text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Village)) == 3


def test_village_names_repeat_across_communes_but_not_within_one(app, admin_client, places):
    with app.app_context():
        tam_an = db.session.scalar(select(Village.commune_id).where(Village.id == places["other"]))
    other = admin_client.post("/villages/new", data={"commune_id": places["tam_dan"], "name": "An Mỹ",
                                                     "kind": "village"})
    assert other.status_code == 303
    same = admin_client.post("/villages/new", data={"commune_id": tam_an, "name": "an mỹ", "kind": "village"})
    assert same.status_code == 422 and "Tên này đã có." in same.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Village)) == 4


def test_unknown_commune_id_is_refused(app, admin_client, places):
    response = admin_client.post("/villages/new", data={"commune_id": 9999, "name": "Thôn X", "kind": "village"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Village)) == 3


def test_the_service_refuses_a_unit_that_is_not_a_commune(app, places):
    from app.rules import RuleError
    from app.villages.services import create_village
    with app.app_context():
        union = db.session.scalar(select(Organization.id).where(Organization.kind == OrgKind.UNION))
        with pytest.raises(RuleError) as refused:
            create_village(actor=None, commune_id=union, name="Thôn Đoàn", kind="village")
        assert refused.value.field == "commune_id"


def test_correcting_a_placeholder_name_confirms_it(app, client, places):
    with app.app_context():
        village = db.session.get(Village, places["own"])
        village.name_confirmed = False
        db.session.commit()
    login(client, "tamdann", PASSWORD)
    assert _edit(client, places["own"], name="Thạnh Hòa Thật").status_code == 303
    with app.app_context():
        village = db.session.get(Village, places["own"])
        assert village.name == "Thạnh Hòa Thật" and village.name_confirmed


def test_the_admin_screens_have_no_village_routes_left(app):
    assert not [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin/villages")]


def test_the_village_list_tells_a_team_that_counts_from_one_that_does_not_yet(app, client, places):
    with app.app_context():
        make_counting_team(db.session.get(Village, places["own"]))
        make_team(db.session.scalar(select(Village).where(Village.name == "Xuân Định")))
    login(client, "tamdann", PASSWORD)
    page = client.get("/villages").text
    assert page.count("Đã có tổ") == 1 and page.count("Chưa được tính") == 1


@pytest.mark.parametrize("username", ["tamdann", "vanphong"])
def test_the_service_refuses_to_move_a_village_for_those_who_may_not_move_villages(app, places, username):
    from app.rules import RuleError
    from app.villages.services import update_village
    with app.app_context():
        village = db.session.get(Village, places["own"])
        tam_an = db.session.get(Village, places["other"]).commune_id
        actor = db.session.scalar(select(User).where(User.username == username))
        with pytest.raises(RuleError) as refused:
            update_village(village, actor=actor, name="Thạnh Hòa", kind="village", commune_id=tam_an)
        assert refused.value.field == "commune_id"
        db.session.expire_all()
        assert db.session.get(Village, places["own"]).commune_id == places["tam_dan"]


def test_the_service_refuses_a_commune_outside_the_admins_district(app):
    from app.rules import RuleError
    from app.villages.services import create_village, update_village
    from tests.test_tree import _two_districts
    with app.app_context():
        units = _two_districts()
        admin_b = make_user(role=Role.ADMIN, unit=units["b_office"])
        village = make_village(units["b_commune"], "Thôn B")
        for write in (lambda: update_village(village, actor=admin_b, name="Thôn B", kind="village",
                                             commune_id=units["a_commune"].id),
                      lambda: create_village(actor=admin_b, commune_id=units["a_commune"].id, name="Thôn Mới",
                                             kind="village")):
            with pytest.raises(RuleError) as refused:
                write()
            assert refused.value.field == "commune_id"
        db.session.expire_all()
        assert db.session.get(Village, village.id).commune_id == units["b_commune"].id
        assert db.session.scalar(select(func.count()).select_from(Village)) == 1


def test_the_village_list_is_paged_and_the_pager_keeps_the_commune_filter(app, client, places):
    with app.app_context():
        for n in range(30):
            make_village(db.session.get(Organization, places["tam_dan"]), f"Thôn Thêm {n:02}")
    login(client, "vanphong", PASSWORD)
    first = client.get(f"/villages?commune={places['tam_dan']}").text
    assert first.count("/edit\"") == 25 and f'href="/villages?commune={places["tam_dan"]}&amp;page=2"' in first
    second = client.get(f"/villages?commune={places['tam_dan']}&page=2").text
    assert second.count("/edit\"") == 7 and "An Mỹ" not in second
