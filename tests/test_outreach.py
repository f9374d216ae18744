"""Outreach: who logs and edits which activity, villages of the right commune, filters and totals."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.extensions import db
from app.models import (
    Organization,
    OrgKind,
    OutreachActivity,
    OutreachKind,
    Role,
    Task,
    TaskStatus,
    User,
    outreach_village,
)
from app.models.directive import Directive, DocType, Item
from app.outreach.services import OutreachFilter, totals_by_kind, totals_by_unit
from tests.conftest import login
from tests.factories import PASSWORD, make_activity, make_unit, make_user, make_village


@pytest.fixture
def units(app):
    with app.app_context():
        tam_dan, tam_an = make_unit("UBND xã Tam Đàn"), make_unit("UBND xã Tam An")
        youth = make_unit("Huyện Đoàn Phú Ninh", kind=OrgKind.UNION, short_name="Huyện Đoàn")
        vnpt = make_unit("VNPT Quảng Nam", kind=OrgKind.PARTNER)
        own, foreign = make_village(tam_dan, "Thạnh Hòa"), make_village(tam_an, "An Mỹ")
        make_user("tamdann", unit=tam_dan)
        make_user("doanthanhnien", unit=youth)
        make_user("vnpt", unit=vnpt)
        make_user("vanphong", role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        make_user("lanhdao", role=Role.MONITOR)
        other = make_activity(tam_an, title="Họp dân thôn An Mỹ", participants=40, held_on=date(2022, 7, 2))
        return {"tam_dan": tam_dan.id, "tam_an": tam_an.id, "youth": youth.id, "own": own.id,
                "foreign": foreign.id, "other_activity": other.id}


def _form(*village_ids, **overrides):
    data = {"held_on": (today() - timedelta(days=1)).isoformat(), "kind": "household_visits",
            "title": "Đến từng hộ hướng dẫn dịch vụ công", "village_ids": list(village_ids), "participants": "6",
            "households_reached": "48", "helped_public_services": "20", "helped_online_shopping": "",
            "helped_online_payment": "7", "helped_online_safety": "0", "helped_local_platforms": "0", "note": ""}
    data.update(overrides)
    return data


def _count(app, model=OutreachActivity):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_union_logs_an_activity_naming_villages_of_any_commune(app, client, units):
    login(client, "doanthanhnien", PASSWORD)
    response = client.post("/outreach", data=_form(units["own"], units["foreign"]))
    assert response.status_code == 303
    with app.app_context():
        activity = db.session.scalar(select(OutreachActivity).where(OutreachActivity.organization_id == units["youth"]))
        assert {v.name for v in activity.villages} == {"Thạnh Hòa", "An Mỹ"}
        assert (activity.households_reached, activity.helped_online_shopping, activity.helped_online_payment) == \
            (48, 0, 7)


def test_htmx_log_returns_a_fresh_form_and_the_list_with_its_totals_out_of_band(app, client, units):
    login(client, "tamdann", PASSWORD)
    response = client.post("/outreach", data=_form(units["own"]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<form id="outreach-form"')
    assert 'value="Đến từng hộ hướng dẫn dịch vụ công"' not in body  # the form is fresh
    results = body[body.index('<div id="outreach-results" hx-swap-oob="true">'):]
    assert "Đến từng hộ hướng dẫn dịch vụ công" in results[results.index('id="outreach-rows"'):]
    totals = results[results.index('id="outreach-totals"'):results.index('id="outreach-rows"')]
    assert "<dd>1</dd>" in totals and "<dd>48</dd>" in totals  # the commune's one activity, its 48 households
    assert "HX-Trigger" not in response.headers and "hx-trigger" not in body  # nothing fetched a second time
    assert "<html" not in body and _count(app) == 2


def test_the_out_of_band_totals_keep_the_filters_of_the_page(app, client, units):
    login(client, "vanphong", PASSWORD)
    data = _form(organization_id=units["youth"])
    page = f"http://localhost/outreach?unit={units['tam_an']}&month=2022-07"
    response = client.post("/outreach", data=data, headers={"HX-Request": "true", "HX-Current-URL": page})
    assert response.status_code == 200
    results = response.text[response.text.index('<div id="outreach-results" hx-swap-oob="true">'):]
    assert "Tổng hợp tháng 07/2022" in results and "Họp dân thôn An Mỹ" in results
    assert "Đến từng hộ hướng dẫn dịch vụ công" not in results  # logged, but outside the page's filters
    assert _count(app) == 2


def test_the_full_page_neither_refetches_its_totals_nor_carries_out_of_band_blocks(client, units):
    login(client, "tamdann", PASSWORD)
    page = client.get("/outreach").text
    assert "hx-trigger=\"outreach-logged" not in page and "hx-swap-oob" not in page
    assert page.count('id="outreach-results"') == 1


def test_a_commune_cannot_name_another_communes_village(app, client, units):
    login(client, "tamdann", PASSWORD)
    response = client.post("/outreach", data=_form(units["foreign"]))
    # The form offers only the commune's villages; the service refuses any other posted.
    assert response.status_code == 422 and "Hoạt động của xã chỉ được chọn thôn, khối phố của xã đó." in response.text
    assert _count(app) == 1 and _count(app, outreach_village) == 0


@pytest.mark.parametrize("overrides, message", [
    ({"participants": "-3"}, "Nhập số nguyên từ 0 đến 100000."),
    ({"helped_online_safety": "-1"}, "Nhập số nguyên từ 0 đến 100000."),
    ({"households_reached": "nhiều"}, "Phải là một số nguyên."),
    ({"held_on": (today() + timedelta(days=1)).isoformat()}, "Ngày không được sau hôm nay."),
    ({"held_on": ""}, "Nhập ngày tổ chức hoạt động."),
    ({"title": "   "}, "Nhập tên hoạt động."),
    ({"kind": "concert"}, "Lựa chọn không hợp lệ."),
    ({"village_ids": ["999999"]}, "Chỉ chọn thôn, khối phố trong danh sách."),
    ({"village_ids": ["abc"]}, "Chỉ chọn thôn, khối phố trong danh sách."),
])
def test_bad_activity_is_refused_with_a_message_and_not_saved(app, client, units, overrides, message):
    login(client, "doanthanhnien", PASSWORD)
    response = client.post("/outreach", data=_form(units["own"], **overrides), headers={"HX-Request": "true"})
    assert response.status_code == 422 and message in response.text
    assert response.text.lstrip().startswith('<form id="outreach-form"')
    assert _count(app) == 1


def test_without_javascript_a_bad_activity_shows_the_whole_page_again(app, client, units):
    login(client, "doanthanhnien", PASSWORD)
    response = client.post("/outreach", data=_form(participants="-1"))
    assert response.status_code == 422 and response.text.startswith("<!doctype html>")
    assert "Nhập số nguyên từ 0 đến 100000." in response.text


def test_a_partner_neither_sees_the_form_nor_logs(app, client, units):
    login(client, "vnpt", PASSWORD)
    assert 'id="outreach-form"' not in client.get("/outreach").text
    assert client.post("/outreach", data=_form()).status_code == 403
    assert _count(app) == 1


def test_a_monitor_sees_every_units_activities_but_logs_nothing(app, client, units):
    login(client, "lanhdao", PASSWORD)
    page = client.get("/outreach").text
    assert "Họp dân thôn An Mỹ" in page and 'id="outreach-form"' not in page
    assert client.post("/outreach", data=_form()).status_code == 403


def test_an_officer_sees_and_edits_only_its_own_units_activities(app, client, units):
    login(client, "tamdann", PASSWORD)
    assert "Họp dân thôn An Mỹ" not in client.get("/outreach").text
    other = units["other_activity"]
    assert client.get(f"/outreach/{other}/edit").status_code == 404
    assert client.post(f"/outreach/{other}/edit", data=_form(title="Đổi tên")).status_code == 404
    with app.app_context():
        assert db.session.get(OutreachActivity, other).title == "Họp dân thôn An Mỹ"


def test_the_owner_corrects_its_activity(app, client, units):
    login(client, "tamdann", PASSWORD)
    client.post("/outreach", data=_form(units["own"]))
    with app.app_context():
        activity_id = db.session.scalar(select(OutreachActivity.id).where(
            OutreachActivity.organization_id == units["tam_dan"]))
    assert client.get(f"/outreach/{activity_id}/edit").status_code == 200
    response = client.post(f"/outreach/{activity_id}/edit", data=_form(title="Họp dân thôn Thạnh Hòa"))
    assert response.status_code == 303
    with app.app_context():
        activity = db.session.get(OutreachActivity, activity_id)
        assert activity.title == "Họp dân thôn Thạnh Hòa" and activity.villages == []


def test_a_coordinator_logs_for_a_chosen_unit_within_that_communes_villages(app, client, units):
    login(client, "vanphong", PASSWORD)
    refused = client.post("/outreach", data=_form(units["foreign"], organization_id=units["tam_dan"]))
    assert refused.status_code == 422 and "Hoạt động của xã chỉ được chọn thôn, khối phố của xã đó." in refused.text
    assert client.post("/outreach", data=_form(units["own"], organization_id=units["tam_dan"])).status_code == 303
    assert _count(app) == 2


def test_an_activity_counts_only_towards_a_task_of_its_unit(app, client, units):
    with app.app_context():
        directive = Directive(number="1/UBND-VP", doc_type=DocType.PLAN, issuer="UBND huyện",
                              issued_on=date(2022, 7, 1), signer="Chủ tịch", summary="Chuyển đổi số")
        item = Item(directive=directive, position=1, title="Tuyên truyền")
        own = Task(item=item, lead_unit_id=units["tam_dan"], status=TaskStatus.ASSIGNED, progress=0)
        foreign = Task(item=item, lead_unit_id=units["tam_an"], status=TaskStatus.ASSIGNED, progress=0)
        db.session.add_all([directive, own, foreign])
        db.session.commit()
        own_id, foreign_id = own.id, foreign.id
    login(client, "tamdann", PASSWORD)
    assert client.post("/outreach", data=_form(task_id=str(foreign_id))).status_code == 422
    assert client.post("/outreach", data=_form(task_id=str(own_id))).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(OutreachActivity.task_id).where(
            OutreachActivity.organization_id == units["tam_dan"])) == own_id


@pytest.fixture
def history(app, units):
    """Two months of activities by a commune and the Youth Union."""
    with app.app_context():
        tam_dan, youth = (db.session.get(Organization, units[k]) for k in ("tam_dan", "youth"))
        make_activity(tam_dan, held_on=date(2022, 7, 10), kind=OutreachKind.MEETING, participants=50,
                      households_reached=40, helped_public_services=5)
        make_activity(tam_dan, held_on=date(2022, 8, 3), kind=OutreachKind.TRAINING_CLASS, participants=30,
                      helped_public_services=12)
        make_activity(youth, held_on=date(2022, 7, 20), kind=OutreachKind.MEETING, participants=25,
                      households_reached=10)
        make_activity(youth, held_on=date(2022, 7, 31), kind=OutreachKind.HOUSEHOLD_VISITS, households_reached=60,
                      helped_online_payment=9)
    return units


def test_totals_per_unit_and_kind_for_a_month_are_summed_in_sql(app, history):
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
        july = OutreachFilter(month=date(2022, 7, 1))
        by_unit = {row.name: (row.activities, row.participants, row.households) for row in
                   totals_by_unit(coordinator, july)}
        assert by_unit == {"UBND xã Tam Đàn": (1, 50, 40), "Huyện Đoàn Phú Ninh": (2, 25, 70),
                           "UBND xã Tam An": (1, 40, 0)}
        by_kind = {row.kind: (row.activities, row.participants) for row in totals_by_kind(coordinator, july)}
        assert by_kind == {OutreachKind.MEETING: (3, 115), OutreachKind.HOUSEHOLD_VISITS: (1, 0)}
        august_meetings = OutreachFilter(kind=OutreachKind.MEETING, month=date(2022, 8, 1))
        assert totals_by_unit(coordinator, august_meetings) == []


def test_an_officers_totals_count_only_its_own_unit(app, history):
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "tamdann"))
        rows = totals_by_unit(officer, OutreachFilter())
        assert [(row.name, row.activities, row.helped_public_services) for row in rows] == \
            [("UBND xã Tam Đàn", 2, 17)]


def test_the_url_carries_the_filters_and_htmx_gets_only_the_results(client, history):
    login(client, "vanphong", PASSWORD)
    url = f"/outreach?unit={history['youth']}&kind=household_visits&month=2022-07"
    page = client.get(url)
    assert page.text.startswith("<!doctype html>") and "Tổng hợp tháng 07/2022" in page.text
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="outreach-results"')
    assert "<h2" in fragment.text and "Đến từng hộ gia đình" in fragment.text
    assert "Họp dân thôn An Mỹ" not in fragment.text


@pytest.mark.parametrize("query", ["month=2022-13", "month=abc", "month=0000-01", "month=99999-01", "kind=party",
                                   "unit=x", "unit=99999999999999999999", "page=-4", "page=999",
                                   "page=99999999999999999999"])
def test_filters_that_do_not_parse_are_ignored(client, history, query):
    login(client, "vanphong", PASSWORD)
    assert client.get(f"/outreach?{query}").status_code == 200
