"""Every district-wide list is bounded and its filters indexable (issue 14): keyset pages, class filters without
CASE, paged grid, teams, tickets and outreach choices, coverage read once per page."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, text

from app.clock import today
from app.extensions import db
from app.models import Kpi, OrgKind, Role, Task, TaskClass, TaskStatus, TaskUpdate, User
from app.pager import paginate_keyset, parse_after
from app.tasks import queries
from app.tasks.classes import class_condition, due_soon_condition, due_soon_until, task_class_expr
from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_counting_team,
    make_directive,
    make_item,
    make_task,
    make_ticket,
    make_unit,
    make_user,
    make_village,
)


def _coordinator():
    return make_user("vanphong", role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))


@pytest.fixture
def mixed_tasks(app):
    """Tasks of every class, with ties on the deadline, extensions, a done task without a completion date."""
    day = today()
    with app.app_context():
        unit, item = make_unit(), make_item()
        specs = [dict(deadline=day - timedelta(days=5)), dict(deadline=day - timedelta(days=5)),
                 dict(deadline=day - timedelta(days=5), extended_deadline=day + timedelta(days=1)),
                 dict(deadline=day + timedelta(days=2), extended_deadline=day - timedelta(days=1)),
                 dict(deadline=day), dict(deadline=day + timedelta(days=3)), dict(deadline=day + timedelta(days=4)),
                 dict(deadline=None), dict(deadline=None, status=TaskStatus.CANCELLED),
                 dict(deadline=day - timedelta(days=9), status=TaskStatus.CANCELLED),
                 dict(deadline=day - timedelta(days=2), status=TaskStatus.DONE, completed_on=day - timedelta(days=3)),
                 dict(deadline=day - timedelta(days=2), status=TaskStatus.DONE, completed_on=day - timedelta(days=2)),
                 dict(deadline=day - timedelta(days=2), status=TaskStatus.DONE, completed_on=day),
                 dict(deadline=day - timedelta(days=2), status=TaskStatus.DONE, completed_on=None),
                 dict(deadline=day - timedelta(days=1), status=TaskStatus.IN_PROGRESS)]
        for spec in specs:
            make_task(make_unit(), item, **spec)
        return unit


def test_each_class_filter_selects_what_the_class_case_says(app, mixed_tasks):
    day = today()
    with app.app_context():
        by_case = dict(db.session.execute(select(Task.id, task_class_expr(day))).all())
        for cls in TaskClass:
            filtered = set(db.session.scalars(select(Task.id).where(class_condition(cls, day))))
            assert filtered == {task_id for task_id, value in by_case.items() if value == cls}, cls
        due_soon = set(db.session.scalars(select(Task.id).where(due_soon_condition(day))))
        tasks = db.session.scalars(select(Task)).all()
        assert due_soon == {t.id for t in tasks if t.status not in (TaskStatus.DONE, TaskStatus.CANCELLED)
                            and t.effective_deadline and day <= t.effective_deadline <= due_soon_until(day)}


def test_the_stored_deadlines_follow_an_extension_and_a_status_change(app, mixed_tasks):
    with app.app_context():
        task = make_task(make_unit(), deadline=date(2030, 1, 1))
        assert (task.effective_deadline_column, task.open_deadline) == (date(2030, 1, 1), date(2030, 1, 1))
        task.extended_deadline = date(2030, 2, 1)
        db.session.commit()
        assert (task.effective_deadline_column, task.open_deadline) == (date(2030, 2, 1), date(2030, 2, 1))
        task.status, task.completed_on = TaskStatus.DONE, date(2030, 1, 15)
        db.session.commit()
        assert (task.effective_deadline_column, task.open_deadline) == (date(2030, 2, 1), None)


def _where_sql(stmt) -> str:
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    return sql[sql.index("\nWHERE "):]


def test_the_overdue_filter_has_no_case_and_an_index_serves_it(app, mixed_tasks):
    with app.app_context():
        coordinator = _coordinator()
        filters = queries.TaskFilters(task_class=TaskClass.OPEN_OVERDUE.value)
        keyset = queries.task_list_keyset(filters)
        stmt = (queries.task_list_query(coordinator, today(), filters).order_by(None)
                .order_by(*keyset.order_by()).limit(26))
        assert "CASE" not in _where_sql(stmt).upper()
        for overdue in (stmt, queries.with_details(select(Task).where(class_condition("open_overdue", today())))
                        .order_by(Task.open_deadline, Task.id).limit(12)):
            plan = _plan(overdue)
            assert "ix_task_open_deadline_id" in plan, plan


def _plan(stmt) -> str:
    """The database's plan for the statement, on one line."""
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return " ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table is read whole; can an index serve it?
    plan = " ".join(row[0] for row in db.session.execute(text("EXPLAIN " + sql)))
    db.session.rollback()
    return plan


def test_a_tasks_history_page_is_read_through_one_index_in_order(app, mixed_tasks):
    """Newest first, a page at a time: (task_id, id) serves the filter and the order, with no sort and no walk
    through every task's updates."""
    with app.app_context():
        plan = _plan(queries.history_query(1).order_by(TaskUpdate.id.desc()).limit(31))
        assert "ix_task_update_task_id_id" in plan and "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_keyset_pages_walk_every_row_once_in_order_even_with_tied_deadlines(app):
    day = today()
    with app.app_context():
        _coordinator()
        item = make_item()
        for n in range(11):  # seven tasks share one deadline: the id breaks the tie
            make_task(make_unit(), item, deadline=day - timedelta(days=1 if n < 7 else n))
        expected = db.session.scalars(select(Task.id).where(class_condition("open_overdue", day))
                                      .order_by(Task.open_deadline, Task.id)).all()
    filters = queries.TaskFilters(task_class="open_overdue")
    seen, after = [], None
    for _ in range(10):
        path = "/tasks?task_class=open_overdue" + (f"&after={after}" if after else "")
        with app.test_request_context(path):
            app.preprocess_request()
            coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
            stmt = queries.task_list_query(coordinator, day, filters)
            page = paginate_keyset(stmt, queries.task_list_keyset(filters), args={"task_class": "open_overdue"},
                                   page_size=3, rows=True)
            seen += [task.id for task, _cls in page.items]
            if not page.has_next:
                break
            assert page.next_url().startswith("/tasks?task_class=open_overdue&after=")
            after = page.next_after
    assert seen == expected and len(seen) == 11


@pytest.mark.parametrize("value", ["", "x", "2026-13-01~1", "2026-01-01~", "2026-01-01~-1", "2026-01-01", "~5",
                                   "2026-01-01~" + "9" * 40, "２０２６-01-01~1"])
def test_a_malformed_cursor_is_the_first_page(value):
    assert parse_after(value) is None


def test_a_bad_cursor_on_the_task_list_is_the_first_page_not_an_error(app, client, mixed_tasks):
    with app.app_context():
        _coordinator()
    login(client, "vanphong", PASSWORD)
    assert client.get("/tasks?task_class=open_overdue&after=%00%27").status_code == 200


@pytest.fixture
def wide_directive(app):
    """One directive's two items assigned to 30 communes (more than a page of the grid)."""
    with app.app_context():
        _coordinator()
        directive = make_directive()
        items = [make_item(directive, title=f"Nhiệm vụ {n}") for n in range(2)]
        for n in range(30):
            unit = make_unit(f"UBND xã Rộng {n:02d}", short_name=f"Rộng {n:02d}")
            for item in items:
                make_task(unit, item, deadline=today() - timedelta(days=1))
        return directive.id


def test_the_directive_grid_pages_its_units_and_its_item_totals_count_all(app, client, wide_directive):
    login(client, "vanphong", PASSWORD)
    first = client.get(f"/directives/{wide_directive}").text
    assert len(re.findall(r'<th scope="row">Rộng \d\d</th>', first)) == 25 and 'rel="next"' in first
    assert len(re.findall(r'<td class="totals"><span class="total cls-open_overdue"[^>]*>30<', first)) == 2
    second = client.get(f"/directives/{wide_directive}?page=2").text
    assert len(re.findall(r'<th scope="row">Rộng \d\d</th>', second)) == 5 and 'rel="prev"' in second


def test_teams_support_and_dashboard_lists_are_bounded(app, client):
    with app.app_context():
        _coordinator()
        partner = make_unit("VNPT", kind=OrgKind.PARTNER)
        communes = [make_unit(f"UBND xã Tổ {n:02d}", short_name=f"Tổ {n:02d}") for n in range(12)]
        for commune in communes:
            make_counting_team(make_village(commune))
        for n in range(30):
            make_ticket(communes[n % 12], partner, wanted_by=today() - timedelta(days=2))
    login(client, "vanphong", PASSWORD)
    teams = client.get("/teams").text
    assert len(re.findall(r'<th scope="row">Tổ \d\d</th>', teams)) == 10
    assert 'rel="next"' in teams and len(re.findall(r"teams/\d+\"", teams)) == 10
    support = client.get("/support").text
    assert support.count('<tr id="ticket-') == 25 and 'rel="next"' in support
    dashboard = client.get("/").text
    tickets = dashboard[dashboard.index('id="overdue-tickets"'):]
    assert tickets.count("<li><a href=\"/support/") == 20 and '<span class="count">(30)</span>' in tickets


def test_outreach_offers_one_chosen_units_villages_and_a_bounded_task_choice(app, client):
    with app.app_context():
        _coordinator()
        commune, other = make_unit("UBND xã Chọn"), make_unit("UBND xã Khác")
        for n in range(3):
            make_village(commune, f"Thôn Chọn {n}")
            make_village(other, f"Thôn Khác {n}")
        item = make_item()
        for n in range(40):
            make_task(commune, make_item(item.directive), deadline=today() + timedelta(days=n))
        commune_id = commune.id
    login(client, "vanphong", PASSWORD)
    page = client.get("/outreach").text
    assert 'name="village_ids"' not in page and "Thôn Khác" not in page
    chosen = client.get(f"/outreach?unit={commune_id}").text
    assert chosen.count('name="village_ids"') == 3 and "Thôn Khác" not in chosen
    task_select = chosen[chosen.index('name="task_id"'):]
    task_select = task_select[:task_select.index("</select>")]
    assert task_select.count("<option") == 1 + 30  # "none" and the 30 nearest deadlines


def test_the_task_filter_offers_a_bounded_directive_choice_and_keeps_an_older_chosen_one(app, client):
    with app.app_context():
        _coordinator()
        unit = make_unit()
        directives = [make_directive(issued_on=date(2020, 1, 1) + timedelta(days=n)) for n in range(35)]
        for directive in directives:
            make_task(unit, make_item(directive))
        oldest = directives[0].id
    login(client, "vanphong", PASSWORD)
    page = client.get("/tasks").text
    select_html = page[page.index('id="directive"'):]
    assert select_html[:select_html.index("</select>")].count("<option") == 1 + queries.DIRECTIVE_CHOICES
    chosen = client.get(f"/tasks?directive={oldest}").text
    assert f'<option selected value="{oldest}">' in chosen or f'value="{oldest}" selected' in chosen
    assert "không hợp lệ" not in chosen


def _statements(app, client, path) -> int:
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_coverage_progress_is_read_once_per_page_whatever_the_number_of_communes(app, client):
    with app.app_context():
        _coordinator()
        item = make_item(kpi=Kpi.TEAM_COVERAGE)
        for n in range(12):
            commune = make_unit(f"UBND xã Phủ {n:02d}")
            make_counting_team(make_village(commune))
            make_village(commune)
            make_task(commune, item, deadline=today() + timedelta(days=5))
        one_commune = commune.id
    login(client, "vanphong", PASSWORD)
    client.get("/tasks")
    one = _statements(app, client, f"/tasks?unit={one_commune}")  # one task listed
    twelve = _statements(app, client, "/tasks")
    assert one == twelve  # one grouped coverage query for the whole page, whatever its communes
    with app.app_context():
        tasks = db.session.scalars(select(Task)).all()
        assert {task.shown_progress for task in tasks} == {50} and all(t.progress_from_coverage for t in tasks)


def test_the_administrators_unit_and_user_lists_come_a_page_at_a_time(app, client):
    with app.app_context():
        office = make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE)
        make_user("quantri", role=Role.ADMIN, unit=office)
        for n in range(app.config["PAGE_SIZE"] + 5):
            make_user(f"canbo{n:02d}", unit=make_unit(f"UBND xã Thử {n:02d}"))
    login(client, "quantri", PASSWORD)
    for path in ("/admin/units", "/admin/users"):  # 31 of each: the office or its admin, and 30 more
        first = client.get(path).get_data(as_text=True)
        assert first.count('<td class="actions">') == app.config["PAGE_SIZE"] and 'rel="next"' in first
        second = client.get(f"{path}?page=2").get_data(as_text=True)
        assert second.count('<td class="actions">') == 6 and 'rel="prev"' in second and 'rel="next"' not in second
