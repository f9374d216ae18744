"""The dashboard: counts per class in scope, overdue then due soon; a constant number of SQL statements."""
import re
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import event, func, insert, select

from app.extensions import db
from app.models import Organization, OrgKind, Role, Task, TaskStatus, User, task_cooperator
from app.tasks import review
from tests.conftest import login
from tests.factories import PASSWORD, make_directive, make_item, make_unit, make_user

TODAY = date(2022, 8, 20)


def test_coordinator_sees_district_counts_and_the_unit_table(demo, client):
    login(client, "vanphong")
    page = client.get("/").text
    assert "Quá hạn chưa hoàn thành" in page and "Đơn vị theo số nhiệm vụ quá hạn" in page
    assert page.index("Quá hạn chưa hoàn thành</h2>") < page.index("Sắp đến hạn (3 ngày làm việc tới)")


def test_officer_sees_only_its_unit(demo, client):
    login(client, "tamphuoc")
    page = client.get("/").text
    assert "Nhiệm vụ được giao cho UBND xã Tam Phước" in page
    assert "Đơn vị theo số nhiệm vụ quá hạn" not in page
    assert "UBND xã Tam Dân" not in page


def test_counts_follow_a_status_change(demo, client):
    login(client, "tamthanh")
    with demo.app_context():
        unit_id = db.session.scalar(select(Organization.id).where(Organization.short_name == "Tam Thành"))
        overdue = db.session.scalars(select(Task).where(Task.lead_unit_id == unit_id,
                                                        Task.status == TaskStatus.IN_PROGRESS)).all()
        overdue = [t for t in overdue if t.deadline and t.deadline < date.today()][0]
        task_id, version = overdue.id, overdue.version

    def overdue_count():
        page = client.get("/").text
        return int(page.split('cls-open_overdue"><a')[1].split('class="count">')[1].split("<")[0])

    before = overdue_count()
    assert client.post(f"/tasks/{task_id}/completion", data={"note": "Xong", "version": version}).status_code == 303
    assert overdue_count() == before  # reported, not accepted: still open and overdue
    with demo.app_context():
        task = db.session.get(Task, task_id)
        coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
        review.accept_completion(task, coordinator, note="", version=task.version)
    assert overdue_count() == before - 1


def _bulk_tasks(count: int) -> None:
    """`count` tasks across 10 items, a quarter overdue, a quarter due soon, the rest later or done."""
    units = [make_unit(f"Đơn vị {n}", kind=OrgKind.COMMUNE).id for n in range(count // 10)]
    directive = make_directive()
    items = [make_item(directive, f"Việc {n}").id for n in range(10)]
    rows = []
    for n in range(count):
        kind = n % 4
        deadline = TODAY + timedelta(days=(-5, 2, 20, -1)[kind])
        rows.append({"item_id": items[n % 10], "lead_unit_id": units[n // 10], "deadline": deadline,
                     "status": (TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS,
                                TaskStatus.DONE)[kind],
                     "completed_on": TODAY - timedelta(days=3) if kind == 3 else None,
                     "progress": 50, "version": 1})
    db.session.execute(insert(Task), rows)
    db.session.commit()


def _statements_for_dashboard(app, count: int) -> int:
    with app.app_context():
        _bulk_tasks(count)
        make_user("dieuphoi", role=Role.COORDINATOR)
    client = app.test_client()
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with time_machine.travel(TODAY, tick=False):  # sign in inside: a session cookie from the future is refused
            login(client, "dieuphoi", PASSWORD)
            statements.clear()
            assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


@pytest.fixture
def second_app(database_url, _schema):
    from tests.conftest import empty_tables, make_app
    app = make_app(database_url)
    yield app
    empty_tables(app)


def test_dashboard_issues_as_many_statements_for_1000_tasks_as_for_10(app, second_app):
    small = _statements_for_dashboard(app, 10)
    from tests.conftest import empty_tables
    empty_tables(app)
    large = _statements_for_dashboard(second_app, 1000)
    assert small == large
    assert small < 18  # 15, the bell's unread count, the calendar's moved days (due soon), the roll-up by area


def test_an_overdue_support_request_shows_on_both_sides_dashboards(demo, client):
    from app.support.services import overdue_tickets_for
    with demo.app_context():
        coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
        ticket = overdue_tickets_for(coordinator)[0]
        sides = [db.session.scalar(select(User.username).where(User.organization_id == unit_id))
                 for unit_id in (ticket.commune_id, ticket.partner_id)]
        link = f'href="/support/{ticket.id}"'
    for username in sides + ["vanphong"]:
        login(client, username)
        assert link in client.get("/").text, username
        client.post("/logout")
    login(client, "doanthanhnien")
    assert link not in client.get("/").text


def test_a_unit_with_nothing_overdue_is_told_so_in_a_sentence(app, client):
    with app.app_context():
        make_user("tamlanh", unit=make_unit("UBND xã Tam Lãnh", kind=OrgKind.COMMUNE))
    login(client, "tamlanh", PASSWORD)
    page = client.get("/").text
    assert "Không có nhiệm vụ nào quá hạn: mọi nhiệm vụ được giao cho UBND xã Tam Lãnh đều đang trong hạn" in page


def test_the_district_dashboard_opens_with_counts_and_overdue_tasks_and_folds_the_rest(demo, client):
    login(client, "vanphong")
    page = client.get("/").text
    assert '<section id="overdue" class="card"' in page
    for section in ("due-soon", "overdue-tickets", "units"):
        assert f'<details id="{section}" class="card section">' in page  # closed until the user opens it


OFFICERS = ["phuthinh", "tamthanh", "taman", "tamdann", "tamloc", "tamphuoc", "tamvinh", "tamthai", "tamdai",
            "tamdan", "tamlanh", "doanthanhnien", "hoiphunu", "vnpt", "viettel", "buudien"]


def _cards(page: str, list_id: str) -> dict[str, int]:
    """class -> count of the dashboard's class cards in the list `list_id`."""
    block = page.split(f'id="{list_id}"')[1].split("</ul>")[0]
    return {cls: int(count) for cls, count in re.findall(r'cls-(\w+)">.*?class="count">(\d+)<', block, re.S)}


def _district_row(page: str, unit_id: int) -> list[int]:
    """The numbers of the unit's row in the district table (classes, total, cancelled, co-operating)."""
    match = re.search(rf'<tr>\s*<th[^>]*><a href="/tasks\?unit={unit_id}">.*?</tr>', page, re.S)
    return [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', match.group(0))] if match else []


def test_each_units_own_numbers_and_the_district_table_agree(demo, client):
    from app.tasks.classes import REPORTED_CLASSES
    login(client, "vanphong")
    district = client.get("/").text
    client.post("/logout")
    for username in OFFICERS:
        login(client, username)
        page = client.get("/").text
        client.post("/logout")
        with demo.app_context():
            unit_id = db.session.scalar(select(User.organization_id).where(User.username == username))
        lead, cooperating = _cards(page, "lead-counts"), _cards(page, "cooperating-counts")
        own = [lead[cls] for cls in REPORTED_CLASSES] + [sum(lead[cls] for cls in REPORTED_CLASSES),
                                                         lead["cancelled"], sum(cooperating.values())]
        assert own == (_district_row(district, unit_id) or [0] * len(own)), username
    assert "Nhiệm vụ đơn vị phối hợp" in page


def test_vnpt_counts_its_co_operating_tasks_apart_from_the_one_it_leads(demo, client):
    login(client, "vnpt")
    page = client.get("/").text
    with demo.app_context():
        unit_id = db.session.scalar(select(User.organization_id).where(User.username == "vnpt"))
        led = db.session.scalar(select(func.count(Task.id)).where(Task.lead_unit_id == unit_id))
        helped = db.session.scalar(select(func.count()).select_from(task_cooperator)
                                   .where(task_cooperator.c.organization_id == unit_id))
    assert led == 1 and helped > 1
    assert sum(_cards(page, "lead-counts").values()) == led
    assert sum(_cards(page, "cooperating-counts").values()) == helped


def test_a_cancelled_task_leaves_the_classes_and_is_counted_beside_them(demo, client):
    login(client, "vanphong")
    with demo.app_context():
        task = db.session.scalars(select(Task).where(Task.status == TaskStatus.IN_PROGRESS,
                                                     Task.deadline < date.today()).order_by(Task.id)).first()
        task_id, version, unit_id = task.id, task.version, task.lead_unit_id
    before = client.get("/").text
    assert client.post(f"/tasks/{task_id}/status", data={
        "status": "cancelled", "progress": 0, "note": "Trùng nhiệm vụ", "version": version}).status_code == 303
    after = client.get("/").text
    assert _cards(after, "lead-counts")["cancelled"] == _cards(before, "lead-counts")["cancelled"] + 1
    assert _cards(after, "lead-counts")["open_overdue"] == _cards(before, "lead-counts")["open_overdue"] - 1
    assert _district_row(after, unit_id)[-2] == _district_row(before, unit_id)[-2] + 1
