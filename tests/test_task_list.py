"""The task list: filter choices from what the reader may see, the one pager, classes computed in SQL."""
import re

import pytest
from sqlalchemy import or_, select

from app.clock import today
from app.extensions import db
from app.models import Directive, Item, Organization, Task, User, task_cooperator
from app.tasks.classes import class_of
from tests.factories import make_directive, make_item, make_task


def _options(html, name) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label for label in re.findall(r"<option[^>]*>([^<]*)</option>", select_html) if label != "Tất cả"]


def _visible_tasks(username):
    unit_id = db.session.scalar(select(User.organization_id).where(User.username == username))
    return db.session.scalars(select(Task).where(or_(Task.lead_unit_id == unit_id, Task.id.in_(
        select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id == unit_id))))).all()


@pytest.fixture
def second_directive(demo):
    """A directive whose only task Tam Dân leads: other officers must not see its number."""
    with demo.app_context():
        tamdan = db.session.scalar(select(Organization).where(Organization.short_name == "Tam Dân"))
        make_task(tamdan, make_item(make_directive("77/KH-UBND")))
    return "77/KH-UBND"


@pytest.mark.parametrize("username", ["tamphuoc", "vnpt", "hoiphunu"])
def test_an_officer_is_offered_only_the_directives_and_units_of_its_tasks(demo, signed_in, second_directive,
                                                                           username):
    page = signed_in(username).get("/tasks").text
    with demo.app_context():
        tasks = _visible_tasks(username)
        directives = {task.item.directive.number for task in tasks}
        units = {task.lead_unit.name for task in tasks}
    assert set(_options(page, "directive")) == directives
    assert second_directive not in page
    assert set(_options(page, "unit")) == units


def test_a_coordinator_gets_every_lead_unit_grouped_in_picker_order(demo, signed_in, second_directive):
    page = signed_in("vanphong").get("/tasks").text
    assert second_directive in _options(page, "directive")
    unit_select = re.search(r'<select[^>]*name="unit"[^>]*>(.*?)</select>', page, re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">', unit_select)
    assert groups == ["Phòng, ban chuyên môn", "Các xã, thị trấn", "Đoàn thể", "Doanh nghiệp phối hợp"]
    communes = re.search(r'<optgroup label="Các xã, thị trấn">(.*?)</optgroup>', unit_select, re.S).group(1)
    names = re.findall(r"<option[^>]*>([^<]*)</option>", communes)
    assert "UBND thị trấn Phú Thịnh" in names
    with demo.app_context():
        expected = db.session.scalars(select(Organization.name).where(Organization.id.in_(select(Task.lead_unit_id)),
                                                                      Organization.kind.in_(("commune", "town")))
                                      .order_by(Organization.sort_key)).all()
    assert names == expected


@pytest.mark.parametrize("query", ["page=922337203685477580", "page=99999999999999999999", "_method=POST",
                                   "endpoint=x", "_external=1", "page=2&_external=1&endpoint=x&_method=POST"])
def test_odd_query_strings_never_break_the_list_and_pager_links_keep_only_the_filters(demo, signed_in, query):
    with demo.app_context():
        directive_id = db.session.scalar(select(Directive.id))
    response = signed_in("vanphong").get(f"/tasks?directive={directive_id}&{query}")
    assert response.status_code == 200
    links = re.findall(r'<nav class="pager".*?</nav>', response.text, re.S)
    assert links, "the coordinator's list has more than one page"
    for href in re.findall(r'href="([^"]+)"', links[0]):
        assert href.startswith("/tasks?") and f"directive={directive_id}" in href
        assert not re.search(r"_method|endpoint|_external|localhost", href)


def test_the_class_shown_in_the_list_is_computed_in_sql_and_agrees_with_the_task_page(demo, signed_in):
    client = signed_in("vanphong")
    rows = re.findall(r'href="/tasks/(\d+)".*?<span class="badge cls cls-(\w+)"', client.get("/tasks").text, re.S)
    assert len(rows) == 25
    with demo.app_context():
        for task_id, shown in rows:
            assert class_of(db.session.get(Task, int(task_id)), today()) == shown


def test_the_list_query_selects_the_class_with_each_task(demo):
    from app.tasks.queries import TaskFilters, task_list_query
    with demo.app_context():
        coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
        row = db.session.execute(task_list_query(coordinator, today(), TaskFilters()).limit(1)).one()
        assert isinstance(row[0], Task) and row.task_class == class_of(row[0], today())
        assert db.session.scalar(select(Directive.id).join(Item).where(Item.id == row[0].item_id))


@pytest.mark.parametrize("query", ["tuyen truyen", "TUYÊN TRUYỀN", "1234/ubnd"])
def test_the_task_search_ignores_case_and_diacritics(signed_in, query):
    page = signed_in("tamphuoc").get("/tasks", query_string={"q": query}).text
    assert "Tuyên truyền" in page


@pytest.mark.parametrize("query", ["_", "tuyen%truyen", "tuyen_truyen"])
def test_percent_and_underscore_in_the_task_search_are_characters(signed_in, query):
    page = signed_in("tamphuoc").get("/tasks", query_string={"q": query}).text
    assert 'href="/tasks/' not in page


def test_a_percent_sign_finds_only_titles_that_have_one(signed_in):
    page = signed_in("tamphuoc").get("/tasks", query_string={"q": "100%"}).text
    titles = re.findall(r'<a href="/tasks/\d+">([^<]*)</a>', page)
    assert titles and all("100%" in title for title in titles)
