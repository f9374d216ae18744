"""A commune's task for the team-coverage item shows coverage as its progress: computed, never typed."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.models import Kpi, Role, Task, TaskStatus, TaskUpdate, Village
from app.tasks import review
from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_counting_team,
    make_item,
    make_member,
    make_task,
    make_team,
    make_unit,
    make_user,
    make_village,
)


@pytest.fixture
def commune_task(app):
    """Tam Đàn with four villages, one with an active team, one with a deactivated team; its KPI task."""
    with app.app_context():
        commune = make_unit("UBND xã Tam Đàn")
        villages = [make_village(commune, f"Thôn {n}") for n in range(4)]
        make_counting_team(villages[0])
        make_counting_team(villages[1], active=False)
        make_user("tamdann", unit=commune)
        kpi_task = make_task(commune, make_item(kpi=Kpi.TEAM_COVERAGE), status=TaskStatus.IN_PROGRESS, progress=80)
        plain_task = make_task(commune, make_item(), status=TaskStatus.IN_PROGRESS, progress=80)
        return {"kpi": kpi_task.id, "plain": plain_task.id, "villages": [v.id for v in villages]}


def _shown(task_id):
    db.session.expire_all()
    return db.session.get(Task, task_id).shown_progress


def test_coverage_item_task_shows_coverage_not_the_typed_progress(app, commune_task):
    with app.app_context():
        assert _shown(commune_task["kpi"]) == 25  # 1 active team of 4 villages; the deactivated one does not count
        assert _shown(commune_task["plain"]) == 80
        make_counting_team(db.session.get(Village, commune_task["villages"][2]))
        assert _shown(commune_task["kpi"]) == 50


def test_a_team_without_enough_members_or_leader_does_not_raise_the_tasks_progress(app, commune_task):
    with app.app_context():
        team = make_team(db.session.get(Village, commune_task["villages"][2]))
        make_member(team, full_name="Tổ viên Một", phone="0905111111")
        make_member(team, full_name="Tổ viên Hai", phone="0905222222")
        make_member(team, full_name="Tổ viên Ba", phone="0905333333")
        assert _shown(commune_task["kpi"]) == 25  # three members but no leader
        app.config["TEAM_MIN_MEMBERS"] = 1
        assert _shown(commune_task["kpi"]) == 25  # the setting alone does not make up for the leader


def test_status_form_says_progress_is_computed_and_ignores_a_typed_value(app, client, commune_task):
    login(client, "tamdann", PASSWORD)
    page = client.get(f"/tasks/{commune_task['kpi']}").text
    assert 'name="progress"' not in page
    assert "tính từ" in page and "25%" in page
    with app.app_context():
        version = db.session.get(Task, commune_task["kpi"]).version
    response = client.post(f"/tasks/{commune_task['kpi']}/status",
                           data={"status": "in_progress", "progress": 99, "note": "", "version": version})
    assert response.status_code == 303
    with app.app_context():
        last = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == commune_task["kpi"])
                                  .order_by(TaskUpdate.id.desc())).first()
        assert last.new_progress == 25
        assert _shown(commune_task["kpi"]) == 25


def test_a_registered_team_raises_the_tasks_progress_once_it_has_a_leader_and_two_members(app, client, commune_task):
    login(client, "tamdann", PASSWORD)
    response = client.post("/teams/new", data={"village_id": commune_task["villages"][3],
                                               "decision_number": "45/QĐ-UBND",
                                               "established_on": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 303
    team_url = response.headers["Location"]
    members = [("Lê Văn Trưởng", "leader", "0905000001"), ("Trần Thị Phó", "deputy", "0905000002"),
               ("Phạm Văn Viên", "member", "0905000003")]
    for name, position, phone in members:
        assert 'value="25"' in client.get(f"/tasks/{commune_task['kpi']}").text
        client.post(f"{team_url}/members",
                    data={"full_name": name, "position": position, "affiliation": "youth_union", "phone": phone})
    assert 'value="50"' in client.get(f"/tasks/{commune_task['kpi']}").text


def test_a_coverage_task_below_its_target_cannot_be_reported_done(app, client, commune_task):
    login(client, "tamdann", PASSWORD)
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        version, progress = task.version, task.progress
    # The item asks for review (the default): the commune reports completion with the completion form.
    response = client.post(f"/tasks/{commune_task['kpi']}/completion", data={"note": "Đã xong", "version": version})
    assert response.status_code == 422
    assert "mới đạt 25%" in response.text and "chỉ tiêu là 100%" in response.text
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        assert (task.status, task.version, task.progress) == (TaskStatus.IN_PROGRESS, version, progress)


def test_at_the_target_the_page_says_so_and_reporting_done_keeps_the_computed_progress(app, client, commune_task):
    with app.app_context():
        for village_id in commune_task["villages"][1:]:
            make_counting_team(db.session.get(Village, village_id))
        version = db.session.get(Task, commune_task["kpi"]).version
    login(client, "tamdann", PASSWORD)
    page = client.get(f"/tasks/{commune_task['kpi']}").text
    assert 'id="coverage-reached"' in page and "đã đạt chỉ tiêu (100%" in page
    # Review is on (the default): "done" is not offered in the status form, the completion report is the way.
    assert 'value="done"' not in page and 'id="completion-form"' in page
    response = client.post(f"/tasks/{commune_task['kpi']}/completion",
                           data={"note": "100% thôn có Tổ", "version": version})
    assert response.status_code == 303
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        assert task.status == TaskStatus.SUBMITTED and task.shown_progress == 100 and task.progress == 80
        review.accept_completion(task, make_user("dieuphoi", role=Role.COORDINATOR), note="", version=task.version)
        task = db.session.get(Task, commune_task["kpi"])
        assert task.status == TaskStatus.DONE and task.shown_progress == 100
        assert task.progress == 80  # the typed value is left alone: progress is computed, never overwritten
    assert 'id="coverage-reached"' not in client.get(f"/tasks/{commune_task['kpi']}").text



def test_without_review_at_the_target_the_status_form_chooses_done(app, client, commune_task):
    with app.app_context():
        for village_id in commune_task["villages"][1:]:
            make_counting_team(db.session.get(Village, village_id))
        db.session.get(Task, commune_task["kpi"]).item.review_required = False
        db.session.commit()
    login(client, "tamdann", PASSWORD)
    page = client.get(f"/tasks/{commune_task['kpi']}").text
    assert '<option selected value="done">' in page and 'id="completion-form"' not in page
