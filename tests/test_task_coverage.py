"""A commune's task for the team-coverage item shows coverage as its progress: computed, never typed."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.models import Kpi, Task, TaskStatus, TaskUpdate, TeamPosition, Village
from app.tasks.services import coverage_target_of
from tests.factories import PASSWORD, make_item, make_member, make_task, make_team, make_unit, make_user, make_village


def _counting_team(village, **fields):
    """A team that counts toward coverage under any membership rule: a leader and two members, all active."""
    team = make_team(village, **fields)
    for n, position in enumerate((TeamPosition.LEADER, TeamPosition.MEMBER, TeamPosition.MEMBER)):
        make_member(team, full_name=f"Thành viên {village.id}-{n}", phone=f"09051{village.id:03d}{n:02d}",
                    position=position)
    return team


@pytest.fixture
def commune_task(app):
    """Tam Đàn with four villages, one with an active team, one with a deactivated team; its KPI task."""
    with app.app_context():
        commune = make_unit("UBND xã Tam Đàn")
        villages = [make_village(commune, f"Thôn {n}") for n in range(4)]
        _counting_team(villages[0])
        _counting_team(villages[1], active=False)
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
        make_team(db.session.get(Village, commune_task["villages"][2]))
        assert _shown(commune_task["kpi"]) == 50


def test_status_form_says_progress_is_computed_and_ignores_a_typed_value(app, client, commune_task):
    client.post("/login", data={"username": "tamdann", "password": PASSWORD})
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


def test_registering_a_team_raises_the_tasks_progress_in_the_task_list(app, client, commune_task):
    client.post("/login", data={"username": "tamdann", "password": PASSWORD})
    response = client.post("/teams/new", data={"village_id": commune_task["villages"][3],
                                               "decision_number": "45/QĐ-UBND",
                                               "established_on": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 303
    page = client.get(f"/tasks/{commune_task['kpi']}").text
    assert 'value="50"' in page


def test_a_coverage_task_below_its_target_cannot_be_reported_done(app, client, commune_task):
    client.post("/login", data={"username": "tamdann", "password": PASSWORD})
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        version, progress = task.version, task.progress
    response = client.post(f"/tasks/{commune_task['kpi']}/status",
                           data={"status": "done", "note": "Đã xong", "version": version})
    assert response.status_code == 422
    assert "mới đạt 25%" in response.text and "chỉ tiêu là 100%" in response.text
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        assert (task.status, task.version, task.progress) == (TaskStatus.IN_PROGRESS, version, progress)


def test_at_the_target_the_page_says_so_and_reporting_done_keeps_the_computed_progress(app, client, commune_task):
    with app.app_context():
        for village_id in commune_task["villages"][1:]:
            _counting_team(db.session.get(Village, village_id))
        version = db.session.get(Task, commune_task["kpi"]).version
    client.post("/login", data={"username": "tamdann", "password": PASSWORD})
    page = client.get(f"/tasks/{commune_task['kpi']}").text
    assert 'id="coverage-reached"' in page and "đã đạt chỉ tiêu (100%" in page
    assert '<option selected value="done">' in page
    response = client.post(f"/tasks/{commune_task['kpi']}/status",
                           data={"status": "done", "note": "100% thôn có Tổ", "version": version})
    assert response.status_code == 303
    with app.app_context():
        task = db.session.get(Task, commune_task["kpi"])
        assert task.status == TaskStatus.DONE and task.shown_progress == 100
        assert task.progress == 80  # the typed value is left alone: progress is computed, never overwritten
    assert 'id="coverage-reached"' not in client.get(f"/tasks/{commune_task['kpi']}").text


def test_the_coverage_target_is_read_from_the_item_or_is_100():
    class Item:
        pass

    item = Item()
    assert coverage_target_of(item) == 100
    item.kpi_target = 80
    assert coverage_target_of(item) == 80
