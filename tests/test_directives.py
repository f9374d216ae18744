"""Directive register, items and fan-out assignment."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.directives import services
from app.extensions import db
from app.models import COMMUNE_LEVEL, Directive, Item, Organization, Task, TaskUpdate, User
from app.rules import RuleError
from tests.conftest import login


@pytest.fixture
def office(demo, client):
    login(client, "vanphong")
    return client


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _directive_form(**overrides):
    return {"number": "1525/UBND-VP", "doc_type": "official_letter", "issuer": "UBND huyện Phú Ninh",
            "issued_on": (today() - timedelta(days=3)).isoformat(), "signer": "Trần Văn Minh",
            "summary": "V/v đẩy mạnh chuyển đổi số", "body": "", "final_deadline": "", **overrides}


def test_coordinator_records_a_directive(demo, office):
    response = office.post("/directives/new", data=_directive_form(number="1525/ubnd-vp"))
    assert response.status_code == 303
    with demo.app_context():
        directive = db.session.scalar(select(Directive).where(Directive.number == "1525/UBND-VP"))
        assert directive is not None and directive.signer == "Trần Văn Minh"


def test_dates_typed_day_first_are_accepted(demo, office):
    assert office.post("/directives/new", data=_directive_form(issued_on="01/07/2022")).status_code == 303
    with demo.app_context():
        issued_on = db.session.scalar(select(Directive.issued_on).where(Directive.number == "1525/UBND-VP"))
        assert issued_on == date(2022, 7, 1)


@pytest.mark.parametrize("overrides, message", [
    ({"number": "hello"}, "Số ký hiệu có dạng 1234/UBND-VP"),
    ({"number": ""}, "Nhập số ký hiệu."),
    ({"issued_on": (date.today() + timedelta(days=30)).isoformat()}, "Ngày ban hành không được sau ngày hôm nay."),
    ({"issued_on": "31/02/2022"}, "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)"),
    ({"doc_type": "memo"}, "Lựa chọn không hợp lệ."),
    ({"summary": "  "}, "Nhập trích yếu."),
    ({"issued_on": "2022-07-01", "final_deadline": "2022-06-01"}, "Thời hạn không được trước ngày ban hành."),
    ({"number": "1234/UBND-VP"}, "đã có văn bản mang số ký hiệu này"),
])
def test_bad_directive_is_shown_again_and_not_saved(demo, office, overrides, message):
    with demo.app_context():
        before = _count(Directive)
    response = office.post("/directives/new", data=_directive_form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    with demo.app_context():
        assert _count(Directive) == before


def test_directives_are_searchable_by_number_or_summary(office):
    assert "1234/UBND-VP" in office.get("/directives?q=1234").text
    assert "1234/UBND-VP" in office.get("/directives?q=xã thông minh").text
    assert "1234/UBND-VP" not in office.get("/directives?q=không-có").text


def test_search_over_htmx_returns_only_the_results(office):
    response = office.get("/directives?q=1234", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results"')


@pytest.mark.parametrize("username", ["tamphuoc", "vnpt", "doanthanhnien"])
def test_officers_cannot_record_a_directive(client, demo, username):
    login(client, username)
    assert client.get("/directives/new").status_code == 403
    assert client.post("/directives/new", data=_directive_form()).status_code == 403


def test_monitor_reads_but_does_not_record(client, demo):
    login(client, "lanhdao")
    assert client.get("/directives/1").status_code == 200
    assert "Thêm nội dung nhiệm vụ" not in client.get("/directives/1").text
    assert client.post("/directives/1/items", data={"title": "X"}).status_code == 403


def _new_item(demo, office) -> int:
    office.post("/directives/1/items", data={"title": "Báo cáo kết quả", "default_deadline": "", "kpi": ""})
    with demo.app_context():
        return db.session.scalar(select(func.max(Item.id)))


def test_item_is_added_then_fanned_out_to_all_communes(demo, office):
    item_id = _new_item(demo, office)
    response = office.post(f"/items/{item_id}/assign", data={"group": "communes", "deadline": "2030-01-31"})
    assert response.status_code == 303
    with demo.app_context():
        tasks = db.session.scalars(select(Task).where(Task.item_id == item_id)).all()
        assert len(tasks) == 11
        assert {t.lead_unit.kind for t in tasks} <= set(COMMUNE_LEVEL)
        assert all(t.deadline == date(2030, 1, 31) for t in tasks)
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)
                                 .where(TaskUpdate.task_id.in_([t.id for t in tasks]))) == 11
    grid = office.get("/directives/1").text
    assert grid.count('href="/tasks/') >= 11 + 39


def test_assignment_with_co_operating_units_never_lists_the_lead(demo, office):
    item_id = _new_item(demo, office)
    with demo.app_context():
        union_ids = [u.id for u in db.session.scalars(select(Organization).where(Organization.kind == "union"))]
    office.post(f"/items/{item_id}/assign", data={"lead_units": union_ids, "cooperating_units": union_ids})
    with demo.app_context():
        for task in db.session.scalars(select(Task).where(Task.item_id == item_id)):
            assert task.lead_unit not in task.cooperating_units
            assert len(task.cooperating_units) == 1


def test_assignment_needs_a_group_or_a_unit(demo, office):
    item_id = _new_item(demo, office)
    response = office.post(f"/items/{item_id}/assign", data={"group": ""})
    assert response.status_code == 422
    assert "Chọn một nhóm hoặc ít nhất một đơn vị chủ trì." in response.text


def test_assigning_again_to_a_unit_that_has_the_task_creates_nothing(demo, office):
    response = office.post("/items/1/assign", data={"group": "communes"})
    assert response.status_code == 422
    assert "Chưa tạo nhiệm vụ nào" in response.text


def test_fan_out_is_atomic_a_failure_part_way_leaves_nothing(demo):
    """The sixth commune already leads a task for the item: the database refuses it and the first five roll back."""
    with demo.app_context():
        item = db.session.get(Item, _item_without_tasks())
        communes = services.units_of_group("communes", None)
        db.session.add(Task(item=item, lead_unit_id=communes[5], status="assigned", progress=0))
        db.session.commit()
        author = db.session.scalar(select(User).where(User.username == "vanphong"))
        with pytest.raises(RuleError, match="Chưa tạo nhiệm vụ nào"):
            services.assign_item(item, author, lead_unit_ids=communes, cooperating_unit_ids=[], deadline=None)
        assert db.session.scalar(select(func.count()).select_from(Task).where(Task.item_id == item.id)) == 1


def _item_without_tasks() -> int:
    directive = db.session.get(Directive, 1)
    item = Item(directive=directive, position=99, title="Không có nhiệm vụ", description="")
    db.session.add(item)
    db.session.commit()
    return item.id


def test_unknown_item_or_directive_is_404(office):
    assert office.get("/directives/999").status_code == 404
    assert office.get("/items/999/assign").status_code == 404
