"""Who may change a task's status and to what: cancelling, done at 100 %, the lead unit whatever its role,
a stale tab that keeps what was typed, a version that is a bounded integer, words that fit the reader."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, Task, TaskStatus, TaskUpdate, User
from app.rules import RuleError
from app.tasks import services


def _user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _led_by(username, status=TaskStatus.IN_PROGRESS, overdue=None) -> Task:
    stmt = select(Task).where(Task.lead_unit_id == _user(username).organization_id, Task.status == status)
    if overdue is not None:
        stmt = stmt.where(Task.deadline < date.today() if overdue else Task.deadline >= date.today())
    return db.session.scalars(stmt.order_by(Task.id)).first()


def _without_review(task: Task) -> Task:
    """The task's item says review is not needed: the lead unit's "done" is final at once."""
    task.item.review_required = False
    db.session.commit()
    return task


def _state(task_id):
    db.session.expire_all()
    task = db.session.get(Task, task_id)
    updates = db.session.scalar(select(func.count()).select_from(TaskUpdate).where(TaskUpdate.task_id == task_id))
    return task.status, task.progress, task.version, updates


def test_the_lead_commune_cannot_cancel_its_overdue_task(demo, signed_in):
    client = signed_in("tamthanh")
    with demo.app_context():
        task = _led_by("tamthanh", overdue=True)
        task_id, version, before = task.id, task.version, _state(task.id)
    page = client.get(f"/tasks/{task_id}").text
    assert 'value="cancelled"' not in page
    response = client.post(f"/tasks/{task_id}/status", data={
        "status": "cancelled", "progress": 10, "note": "Không thực hiện nữa", "version": version})
    assert response.status_code == 422
    with demo.app_context():
        assert _state(task_id) == before


def test_the_service_refuses_a_cancel_by_the_lead_unit_with_a_message(demo):
    with demo.app_context():
        task = _led_by("tamthanh", overdue=True)
        with pytest.raises(RuleError) as refused:
            services.change_status(task, _user("tamthanh"), status="cancelled", progress=10, note="x",
                                   version=task.version)
        assert refused.value.field == "status"


def test_a_coordinator_cancels_with_a_reason_and_the_lead_cannot_take_it_back(demo, signed_in):
    with demo.app_context():
        task = _led_by("tamthanh", overdue=True)
        task_id, version = task.id, task.version
    client = signed_in("vanphong")
    assert 'value="cancelled"' in client.get(f"/tasks/{task_id}").text
    assert client.post(f"/tasks/{task_id}/status", data={
        "status": "cancelled", "progress": 10, "note": "", "version": version}).status_code == 422
    cancelled = client.post(f"/tasks/{task_id}/status", data={
        "status": "cancelled", "progress": 10, "note": "Trùng với nhiệm vụ khác", "version": version})
    assert cancelled.status_code == 303
    client.post("/logout")
    client = signed_in("tamthanh")
    with demo.app_context():
        before = _state(task_id)
        assert before[0] == TaskStatus.CANCELLED
    page = client.get(f"/tasks/{task_id}").text
    assert "Văn phòng HĐND-UBND huyện đã hủy nhiệm vụ này" in page and 'id="status-form"' not in page
    response = client.post(f"/tasks/{task_id}/status", data={
        "status": "in_progress", "progress": 10, "note": "", "version": version + 1})
    assert response.status_code == 403
    with demo.app_context():
        assert _state(task_id) == before


def test_done_at_80_percent_is_refused_with_a_message(demo, signed_in):
    client = signed_in("tamphuoc")
    with demo.app_context():
        task = _without_review(_led_by("tamphuoc"))
        task_id, version, before = task.id, task.version, _state(task.id)
    response = client.post(f"/tasks/{task_id}/status", data={
        "status": "done", "progress": 80, "note": "Xong", "version": version})
    assert response.status_code == 422
    assert "tiến độ 100" in response.text
    with demo.app_context():
        assert _state(task_id) == before


def test_a_stale_tab_keeps_what_was_typed_and_one_click_sends_it_again(demo, signed_in):
    client = signed_in("tamphuoc")
    with demo.app_context():
        task = _without_review(_led_by("tamphuoc"))
        task_id, version = task.id, task.version
    assert client.post(f"/tasks/{task_id}/status", data={
        "status": "in_progress", "progress": 70, "note": "Tab mới", "version": version}).status_code == 303
    typed = {"status": "done", "progress": "100", "note": "Đã họp đủ 7 thôn, biên bản kèm theo", "version": version}
    stale = client.post(f"/tasks/{task_id}/status", headers={"HX-Request": "true"}, data=typed)
    assert stale.status_code == 409
    html = stale.text
    assert "Đã họp đủ 7 thôn, biên bản kèm theo</textarea>" in html
    assert re.search(r'<option selected value="done">|<option value="done" selected>', html)
    assert 'name="progress"' in html and 'value="100"' in html
    assert f'name="version" type="hidden" value="{version + 1}"' in html
    assert "70%" in html  # the current state is shown beside the typed values
    resent = {**typed, "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)}
    assert client.post(f"/tasks/{task_id}/status", data=resent).status_code == 303
    with demo.app_context():
        task = db.session.get(Task, task_id)
        assert (task.status, task.progress) == (TaskStatus.DONE, 100)
        assert "Đã họp đủ 7 thôn, biên bản kèm theo" in db.session.scalars(
            select(TaskUpdate.note).where(TaskUpdate.task_id == task_id)).all()


def test_phong_vhtt_a_monitor_updates_the_task_its_unit_leads(demo, signed_in):
    with demo.app_context():
        own = db.session.scalars(select(Task).where(Task.lead_unit_id == _user("vhtt").organization_id)).first()
        other = _led_by("tamphuoc")
        own_id, own_version, other_id, other_version = own.id, own.version, other.id, other.version
    client = signed_in("vhtt")
    assert 'id="status-form"' in client.get(f"/tasks/{own_id}").text
    updated = client.post(f"/tasks/{own_id}/status", data={
        "status": "in_progress", "progress": 40, "note": "Đã đăng 5 tin bài", "version": own_version})
    assert updated.status_code == 303
    assert 'id="status-form"' not in client.get(f"/tasks/{other_id}").text
    assert client.post(f"/tasks/{other_id}/status", data={
        "status": "in_progress", "progress": 40, "note": "", "version": other_version}).status_code == 403
    with demo.app_context():
        assert db.session.get(Task, own_id).progress == 40
        assert db.session.get(Task, other_id).version == other_version


@pytest.mark.parametrize("version", ["²", "9" * 5000, "1" * 23, "-1", "", "abc"])
def test_a_version_that_is_not_a_bounded_integer_is_refused_with_a_message(demo, signed_in, version):
    client = signed_in("tamphuoc")
    with demo.app_context():
        task = _led_by("tamphuoc")
        task_id, before = task.id, _state(task.id)
    response = client.post(f"/tasks/{task_id}/status", data={
        "status": "in_progress", "progress": 50, "note": "", "version": version})
    assert response.status_code == 422
    assert "tải lại trang" in response.text
    with demo.app_context():
        assert _state(task_id) == before


COOPERATING_WORDS = "Đơn vị bạn là đơn vị phối hợp"


def test_every_reader_of_a_task_page_is_told_what_fits_them(demo, signed_in):
    with demo.app_context():
        task = db.session.scalars(select(Task).where(Task.cooperating_units.any(
            Organization.short_name == "Hội LHPN"))).first()
        task_id = task.id
        lead = db.session.scalar(select(User.username).where(User.organization_id == task.lead_unit_id))
    expected = {lead: "Đơn vị bạn là đơn vị chủ trì", "hoiphunu": COOPERATING_WORDS,
                "vanphong": "thay mặt Văn phòng HĐND-UBND huyện", "lanhdao": "Bạn theo dõi nhiệm vụ này:"}
    for username, words in expected.items():
        client = signed_in(username)
        page = client.get(f"/tasks/{task_id}").text
        assert words in page, username
        if username != "hoiphunu":
            assert COOPERATING_WORDS not in page, username
        client.post("/logout")
