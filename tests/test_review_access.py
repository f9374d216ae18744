"""The review and extension routes answer as the permission table does: a user who sees the task but may not do
this to it gets 403 before any form is read, and nothing changes."""
from datetime import timedelta

import pytest

from app.clock import today
from app.extensions import db
from app.models import ExtensionDecision, ExtensionRequest, OrgKind, Role, TaskStatus
from tests.conftest import login
from tests.factories import PASSWORD, make_item, make_task, make_unit, make_user
from tests.url_map import snapshot


@pytest.fixture
def shared_task(app):
    """An open task with a deadline led by one commune, another commune co-operating; a decided extension request."""
    with app.app_context():
        office, lead, helper = make_unit(kind=OrgKind.DISTRICT_OFFICE), make_unit(), make_unit()
        lead_user = make_user("chutri", unit=lead)
        make_user("phoihop", unit=helper)
        make_user("vp", role=Role.COORDINATOR, unit=office)
        task = make_task(lead, make_item(), cooperating=[helper], deadline=today() + timedelta(days=10),
                         status=TaskStatus.IN_PROGRESS, progress=50)
        request = ExtensionRequest(task_id=task.id, requested_deadline=today() + timedelta(days=20), reason="Mưa",
                                   requested_by_id=lead_user.id, decision=ExtensionDecision.REJECTED,
                                   decision_note="Không")
        db.session.add(request)
        db.session.commit()
        return {"task": task.id, "version": task.version, "request": request.id}


@pytest.mark.parametrize("path, data", [
    ("/tasks/{task}/completion", {"note": "Xong", "version": "{version}"}),
    ("/tasks/{task}/extension", {"deadline": (today() + timedelta(days=30)).isoformat(), "reason": "Mưa bão"}),
])
def test_a_cooperating_unit_may_not_report_completion_or_ask_for_an_extension(app, client, shared_task, path, data):
    login(client, "phoihop", PASSWORD)
    before = snapshot(app, exclude=("audit_event",))
    response = client.post(path.format(**shared_task), data={key: value.format(**shared_task)
                                                              for key, value in data.items()})
    assert response.status_code == 403
    assert snapshot(app, exclude=("audit_event",)) == before


@pytest.mark.parametrize("path, message", [("/tasks/{task}/review/accept", "không ở trạng thái chờ duyệt"),
                                           ("/extensions/{request}/approve", "đã được quyết định")])
def test_a_review_or_decision_sent_after_the_state_moved_on_says_so_and_changes_nothing(app, client, shared_task,
                                                                                        path, message):
    """The office may review and decide (no 403); the task is not awaiting review, the request was decided already
    (a double click, a colleague's decision): the page says so and nothing changes."""
    login(client, "vp", PASSWORD)
    before = snapshot(app, exclude=("audit_event",))
    response = client.post(path.format(**shared_task), data={"note": "Đồng ý", "version": str(shared_task["version"])})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert snapshot(app, exclude=("audit_event",)) == before
