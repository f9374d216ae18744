"""A coordinator corrects directives: edit or delete an item, cancel an item or a directive, unassign a task.
Each behind a confirmation page (a plain form), audited with what changed."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Directive, Item, Organization, OutreachActivity, Task, TaskStatus, TaskUpdate
from app.models.org import COMMUNE_LEVEL


def _scalar(demo, stmt):
    with demo.app_context():
        return db.session.scalar(stmt)


def _last_audit(demo, action: str) -> AuditEvent:
    with demo.app_context():
        return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc()))


def _assigned_item(demo, office) -> int:
    """A new item assigned to the unions, nobody has reported on it."""
    office.post("/directives/1/items", data={"title": "Rà soát danh sách hộ", "kpi": ""})
    item_id = _scalar(demo, select(func.max(Item.id)))
    office.post(f"/items/{item_id}/assign", data={"group": "unions", "deadline": "2030-01-31"})
    assert _scalar(demo, select(func.count(Task.id)).where(Task.item_id == item_id)) == 2
    return item_id


def _unreported_task(demo, office) -> int:
    return _scalar(demo, select(Task.id).where(Task.item_id == _assigned_item(demo, office)).order_by(Task.id))


def test_a_coordinator_edits_an_item_and_the_audit_says_what_changed(demo, signed_in):
    office = signed_in("vanphong")
    assert office.get("/items/3/edit").status_code == 200
    response = office.post("/items/3/edit", data={"title": "Làm nòng cốt tuyên truyền", "description": "Mới",
                                                  "default_deadline": "2030-02-01", "kpi": ""})
    assert response.status_code == 303
    assert _scalar(demo, select(Item.title).where(Item.id == 3)) == "Làm nòng cốt tuyên truyền"
    changes = _last_audit(demo, "item.update").changes
    assert changes["title"][1] == "Làm nòng cốt tuyên truyền"
    assert changes["default_deadline"][1] == {"date": "2030-02-01"}
    assert "kpi" not in changes


def test_an_item_nobody_reported_on_is_deleted_with_its_tasks_after_confirmation(demo, signed_in):
    office = signed_in("vanphong")
    item_id = _assigned_item(demo, office)
    page = office.get(f"/items/{item_id}/delete")
    assert page.status_code == 200 and f'action="/items/{item_id}/delete"' in page.text
    assert office.post(f"/items/{item_id}/delete").status_code == 303
    assert _scalar(demo, select(func.count(Item.id)).where(Item.id == item_id)) == 0
    assert _scalar(demo, select(func.count(Task.id)).where(Task.item_id == item_id)) == 0
    assert _last_audit(demo, "item.delete").changes["title"] == ["Rà soát danh sách hộ", None]


def test_an_item_units_reported_on_cannot_be_deleted_and_the_page_offers_cancelling_instead(demo, signed_in):
    office = signed_in("vanphong")
    page = office.get("/items/2/delete").text
    assert 'action="/items/2/cancel"' in page and 'action="/items/2/delete"' not in page
    response = office.post("/items/2/delete")
    assert response.status_code == 422
    assert "không thể xóa" in response.text
    assert _scalar(demo, select(func.count(Task.id)).where(Task.item_id == 2)) == 11


def test_cancelling_an_item_needs_a_reason_and_cancels_only_its_open_tasks(demo, signed_in):
    office = signed_in("vanphong")
    refused = office.post("/items/2/cancel", data={"reason": "  "})
    assert refused.status_code == 422 and "Nhập lý do hủy." in refused.text
    done_before = _scalar(demo, select(func.count(Task.id)).where(Task.item_id == 2, Task.status == TaskStatus.DONE))
    assert office.post("/items/2/cancel", data={"reason": "Trùng với kế hoạch tỉnh"}).status_code == 303
    with demo.app_context():
        statuses = db.session.scalars(select(Task.status).where(Task.item_id == 2)).all()
        assert statuses.count(TaskStatus.DONE) == done_before
        assert statuses.count(TaskStatus.CANCELLED) == 11 - done_before
        history = db.session.scalars(select(TaskUpdate).join(Task).where(
            Task.item_id == 2, TaskUpdate.new_status == TaskStatus.CANCELLED)).all()
        assert len(history) == 11 - done_before
        assert all(entry.note == "Trùng với kế hoạch tỉnh" and entry.old_status for entry in history)
    changes = _last_audit(demo, "item.cancel").changes
    assert changes["cancel_reason"] == [None, "Trùng với kế hoạch tỉnh"]
    assert len(changes["cancelled_tasks"][1]) == 11 - done_before


def test_cancelling_a_directive_cancels_its_open_tasks_and_closes_it_to_new_items(demo, signed_in):
    office = signed_in("vanphong")
    page = office.get("/directives/1/cancel")
    assert page.status_code == 200 and 'action="/directives/1/cancel"' in page.text
    assert office.post("/directives/1/cancel", data={"reason": ""}).status_code == 422
    assert office.post("/directives/1/cancel", data={"reason": "Đã có văn bản thay thế"}).status_code == 303
    with demo.app_context():
        directive = db.session.get(Directive, 1)
        assert directive.cancelled_on is not None and directive.cancel_reason == "Đã có văn bản thay thế"
        open_left = db.session.scalar(select(func.count(Task.id)).join(Task.item).where(
            Item.directive_id == 1, Task.status.not_in((TaskStatus.DONE, TaskStatus.CANCELLED))))
        assert open_left == 0
    shown = office.get("/directives/1").text
    assert "Đã có văn bản thay thế" in shown and 'action="/directives/1/items"' not in shown
    refused = office.post("/directives/1/items", data={"title": "Thêm sau khi hủy", "kpi": ""})
    assert refused.status_code == 422 and "đã bị hủy" in refused.text
    assert _last_audit(demo, "directive.cancel").changes["cancel_reason"] == [None, "Đã có văn bản thay thế"]


def test_a_task_nobody_reported_on_is_unassigned_after_confirmation(demo, signed_in):
    office = signed_in("vanphong")
    task_id = _unreported_task(demo, office)
    item_id = _scalar(demo, select(Task.item_id).where(Task.id == task_id))
    assert f"/tasks/{task_id}/unassign" in office.get(f"/items/{item_id}/edit").text
    page = office.get(f"/tasks/{task_id}/unassign")
    assert page.status_code == 200 and f'action="/tasks/{task_id}/unassign"' in page.text
    assert office.post(f"/tasks/{task_id}/unassign").status_code == 303
    assert _scalar(demo, select(func.count(Task.id)).where(Task.id == task_id)) == 0
    assert _scalar(demo, select(func.count(TaskUpdate.id)).where(TaskUpdate.task_id == task_id)) == 0
    assert len(_last_audit(demo, "item.unassign").changes["lead_units"][0]) == 1


def test_a_task_its_unit_reported_on_cannot_be_unassigned(demo, signed_in):
    office = signed_in("vanphong")
    task_id = _scalar(demo, select(Task.id).where(Task.item_id == 2, Task.status == TaskStatus.DONE))
    assert f"/tasks/{task_id}/unassign" not in office.get("/items/2/edit").text
    response = office.post(f"/tasks/{task_id}/unassign")
    assert response.status_code == 422 and "không thể thu hồi" in response.text
    assert _scalar(demo, select(func.count(Task.id)).where(Task.id == task_id)) == 1


def test_a_task_with_an_outreach_activity_logged_for_it_counts_as_reported(demo, signed_in):
    with demo.app_context():
        task_id = db.session.scalar(select(OutreachActivity.task_id).join(Task, Task.id == OutreachActivity.task_id)
                                    .where(Task.status == TaskStatus.ASSIGNED))
        assert db.session.scalar(select(func.count(TaskUpdate.id)).where(
            TaskUpdate.task_id == task_id, TaskUpdate.old_status.is_not(None))) == 0
    assert signed_in("vanphong").post(f"/tasks/{task_id}/unassign").status_code == 422
    assert _scalar(demo, select(func.count(Task.id)).where(Task.id == task_id)) == 1


def test_monitors_and_officers_cannot_correct_anything(demo, signed_in):
    task_id = _unreported_task(demo, signed_in("vanphong"))
    for username in ("lanhdao", "tamphuoc"):
        client = signed_in(username)
        for url in ("/items/2/edit", "/items/2/delete", "/directives/1/cancel", f"/tasks/{task_id}/unassign"):
            assert client.get(url).status_code == 403, (username, url)
        assert client.post("/directives/1/cancel", data={"reason": "x"}).status_code == 403
        client.post("/logout")
    assert _scalar(demo, select(Directive.cancelled_on).where(Directive.id == 1)) is None


def test_the_assign_picker_groups_units_and_lists_communes_in_vietnamese_order(demo, signed_in):
    page = signed_in("vanphong").get("/items/1/assign").text
    assert "<legend>Các xã, thị trấn</legend>" in page and "<legend>Đoàn thể</legend>" in page
    with demo.app_context():
        communes = db.session.scalars(select(Organization.name).where(Organization.kind.in_(COMMUNE_LEVEL))
                                      .order_by(Organization.sort_key)).all()
    lead = page[page.index('name="lead_units"') - 200:page.index('name="cooperating_units"')]
    positions = [lead.index(name) for name in communes]
    assert positions == sorted(positions)
    assert lead.index("Tam An") < lead.index("Tam Dân") < lead.index("Tam Đại") < lead.index("Tam Thành")
