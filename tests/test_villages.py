"""The village registry: who sees and edits which village; bad input saves nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role, Village
from tests.factories import PASSWORD, make_unit, make_user, make_village


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


def test_commune_officer_sees_only_its_own_villages(client, auth, places):
    auth.login("tamdann", PASSWORD)
    page = client.get("/villages").text
    assert "Thạnh Hòa" in page and "Xuân Định" in page and "An Mỹ" not in page


def test_coordinator_sees_every_commune_and_can_filter(client, auth, places):
    auth.login("vanphong", PASSWORD)
    assert "An Mỹ" in client.get("/villages").text
    filtered = client.get(f"/villages?commune={places['tam_dan']}", headers={"HX-Request": "true"})
    assert filtered.text.lstrip().startswith('<div id="village-rows"') and "An Mỹ" not in filtered.text


def test_commune_officer_edits_its_own_villages_details(app, client, auth, places):
    auth.login("tamdann", PASSWORD)
    assert _edit(client, places["own"]).status_code == 303
    assert _name(app, places["own"]) == "Thạnh Hòa Mới"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == places["own"])) == \
            "village.update"


def test_commune_officer_cannot_move_a_village_to_another_commune(app, client, auth, places):
    auth.login("tamdann", PASSWORD)
    client.post(f"/villages/{places['own']}/edit", data={"name": "Thạnh Hòa", "kind": "village", "commune_id": 999})
    with app.app_context():
        assert db.session.get(Village, places["own"]).commune_id == places["tam_dan"]


@pytest.mark.parametrize("username", ["tamdann", "doanthanhnien"])
def test_another_units_village_is_404_and_unchanged(app, client, auth, places, username):
    auth.login(username, PASSWORD)
    assert client.get(f"/villages/{places['other']}/edit").status_code == 404
    assert _edit(client, places["other"]).status_code == 404
    assert _name(app, places["other"]) == "An Mỹ"


def test_monitor_may_look_but_not_edit(client, auth, places):
    auth.login("lanhdao", PASSWORD)
    assert client.get("/villages").status_code == 200
    assert _edit(client, places["own"]).status_code == 403


def test_coordinator_edits_any_village(app, client, auth, places):
    auth.login("vanphong", PASSWORD)
    assert _edit(client, places["other"], name="An Mỹ 2").status_code == 303
    assert _name(app, places["other"]) == "An Mỹ 2"


@pytest.mark.parametrize("name, message", [("   ", "Nhập tên thôn"), ("Xuân Định", "Tên này đã có.")])
def test_bad_village_name_is_refused_with_a_message(app, client, auth, places, name, message):
    auth.login("tamdann", PASSWORD)
    response = _edit(client, places["own"], name=name)
    assert response.status_code == 422 and message in response.text
    assert _name(app, places["own"]) == "Thạnh Hòa"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "village.update")) == 0


@pytest.mark.parametrize("commune", ["abc", "-1", "99999999999999999999"])
def test_a_commune_filter_that_does_not_parse_shows_every_village(client, auth, places, commune):
    auth.login("vanphong", PASSWORD)
    response = client.get(f"/villages?commune={commune}")
    assert response.status_code == 200 and "An Mỹ" in response.text
