"""The directive and task flows in Chromium, numbered as in issue 6; every state a flow creates passes checks.audit.

The flows share one seeded demo and do not depend on each other: a flow that updates a task is first given a task
of its own (served_db.assign_new_task), so no flow finds another's leftovers. Screens a flow merely passes through
(dashboards, lists) are audited by URL in test_screens.py. The flows of the other areas: test_flows_registry.py
(teams and outreach), test_flows_support.py (support tickets); their no-JavaScript variants (flow 7) use
open_tab(javascript=False).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.clock import today
from tests.browser.checks import Tab, audit
from tests.browser.conftest import sign_in, vi
from tests.browser.served_db import assign_new_task

pytestmark = pytest.mark.browser

# A task's class once it is marked done, given its class while open.
DONE_CLASS = {"open_on_time": "done_on_time", "open_overdue": "done_late"}


def unit_counts(page: Page) -> dict[str, int]:
    """The lead unit's counts per class in the task page's side panel."""
    counts = {}
    for item in page.locator("#unit-counts li").all():
        cls = re.search(r"cls-(\w+)", item.get_attribute("class")).group(1)
        counts[cls] = int(item.locator(".count").inner_text())
    return counts


def task_class(page: Page) -> str:
    """The class shown on the task page, e.g. open_on_time."""
    return re.search(r"cls-(\w+)", page.locator("#facts .badge.cls").get_attribute("class")).group(1)


def expect_counts(page: Page, counts: dict[str, int]) -> None:
    """Wait until the side panel shows these counts."""
    for cls, count in counts.items():
        expect(page.locator(f"#unit-counts li.cls-{cls} .count")).to_have_text(str(count))


def counts_after_done(counts: dict[str, int], open_class: str) -> dict[str, int]:
    """The counts once one task of `open_class` is done today."""
    done_class = DONE_CLASS[open_class]
    return {**counts, open_class: counts[open_class] - 1, done_class: counts[done_class] + 1}


def assert_sees_only_own_tasks(page: Page) -> None:
    """Every task listed is led by the signed-in user's unit (the unit named in the header)."""
    unit = page.locator(".site-header .unit-name").inner_text()
    lead_units = page.locator(f"#results td[data-label='{vi('Lead unit')}']").all_inner_texts()
    assert lead_units and set(lead_units) == {unit}


def open_assigned_task(tab: Tab, title: str) -> None:
    """Filter the task list to tasks not started (htmx on change; the Filter button without JavaScript) and
    open the one with this title."""
    page = tab.page
    page.select_option("#status", "assigned")
    if not tab.javascript:
        page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"status=assigned"))
    expect(page.locator(f"#results td[data-label='{vi('Class')}']").first).to_be_visible()
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)


@pytest.fixture
def task_assigned_to(live_server):
    """task_assigned_to(username, title): the district office has just assigned the unit a new task."""
    return lambda username, title: assign_new_task(live_server.env["DATABASE_URL"], username, title)


def submit_status(page: Page, status: str, progress: int | None = None, note: str = "") -> None:
    """Fill in the task page's status form and press Save."""
    page.select_option("#status", status)
    if progress is not None:
        page.fill("#progress", str(progress))
    page.fill("#note", note)
    page.click("#status-submit")


def test_flow_1_district_office_assigns_an_item_to_all_communes(open_tab):
    tab = open_tab()
    page = tab.page
    sign_in(page, "vanphong")
    page.click(".site-nav a[href='/directives']")
    page.click("a[href='/directives/new']")

    page.fill("#number", "88/KH-UBND")
    page.select_option("#doc_type", "plan")
    page.fill("#issuer", "UBND huyện Phú Ninh")
    page.fill("#issued_on", (today() - timedelta(days=1)).strftime("%d/%m/%Y"))
    page.fill("#signer", "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH Trần Văn Minh")
    page.fill("#summary", "Kế hoạch tổ chức Ngày Chuyển đổi số tại các xã, thị trấn")
    page.fill("#final_deadline", (today() + timedelta(days=60)).strftime("%d/%m/%Y"))
    page.click("#directive-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/directives/\d+$"))
    expect(page.locator("h1")).to_contain_text("88/KH-UBND")
    audit(tab, "flow-1-directive-recorded")

    page.fill("#title", "Tổ chức Ngày Chuyển đổi số tại xã, thị trấn")
    page.fill("#default_deadline", (today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    page.click("#item-submit")
    expect(page).to_have_url(re.compile(r"/items/\d+/assign$"))
    audit(tab, "flow-1-assign")

    page.select_option("#group", "communes")
    page.click("#assign-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/directives/\d+$"))
    expect(page.locator("#flashes")).to_contain_text(vi("%(count)d tasks created.", count=11))
    expect(page.locator("table.task-grid tbody tr")).to_have_count(11)
    expect(page.locator("table.task-grid td.cell a")).to_have_count(11)
    units = page.locator("table.task-grid tbody th[scope=row]").all_inner_texts()
    assert len(set(units)) == 11
    item = page.locator("ol.items > li").last
    assign_again = item.get_by_role("link", name=vi("Assign to units"))
    assert assign_again.bounding_box()["x"] == item.locator("strong").bounding_box()["x"], \
        "the link starts a line of its own instead of running on from the deadline"
    audit(tab, "flow-1-grid")


def test_flow_2_commune_moves_its_task_to_done_without_a_page_reload(open_tab, demo_data, task_assigned_to):
    title = "Cập nhật danh sách hộ kinh doanh lên sàn thương mại điện tử"
    task_assigned_to("tamphuoc", title)
    tab = open_tab()
    page = tab.page
    sign_in(page, "tamphuoc")
    page.click(".site-nav a[href='/tasks']")
    expect(page).to_have_url(re.compile(r"/tasks$"))
    assert_sees_only_own_tasks(page)
    assert page.request.get(f"/tasks/{demo_data['task_hidden_from_tamphuoc']}").status == 404

    open_assigned_task(tab, title)
    before, open_class = unit_counts(page), task_class(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    submit_status(page, "in_progress", 60)
    expect(page.locator("#status-region [role=status]")).to_have_text(vi("Task updated."))
    expect(page.locator("#status-submit")).to_be_focused()  # the swap must not drop keyboard focus
    latest = page.locator("#history li").first
    expect(latest).to_contain_text(f"{vi('In progress')} 60%")
    expect(page.locator("#facts")).to_contain_text(vi("In progress"))
    expect(page.locator("#facts progress")).to_have_attribute("value", "60")
    expect_counts(page, before)
    audit(tab, "flow-2-task-in-progress")

    submit_status(page, "done", 100, note="Đã tổ chức quán triệt tại cơ quan và 12 thôn.")
    expect(latest).to_contain_text("Đã tổ chức quán triệt tại cơ quan và 12 thôn.")
    expect(latest).to_contain_text(f"{vi('Done')} 100%")
    expect(page.locator("#facts")).to_contain_text(vi("completed on %(date)s", date=today().strftime("%d/%m/%Y")))
    expect_counts(page, counts_after_done(before, open_class))
    assert page.evaluate("() => window.__sameDocument") is True, "the page was reloaded"
    assert navigations == [], "the main frame navigated"
    audit(tab, "flow-2-task-done")


def test_flow_6_monitor_sees_overdue_tasks_across_units_and_no_edit_control(open_tab):
    tab = open_tab()
    page = tab.page
    sign_in(page, "lanhdao")
    overdue = page.locator("section.card", has=page.get_by_role("heading", name=vi("Overdue, not done")))
    rows = overdue.locator("tbody tr")
    expect(rows.first).to_be_visible()
    units = overdue.locator(f"td[data-label='{vi('Lead unit')}']").all_inner_texts()
    assert len(set(units)) >= 2, f"overdue tasks of one unit only: {units}"
    deadlines = overdue.locator(f"td[data-label='{vi('Deadline')}']").all_inner_texts()
    assert all(datetime.strptime(d, "%d/%m/%Y").date() < today() for d in deadlines), deadlines

    rows.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+$"))
    expect(page.locator("#facts")).to_be_visible()
    for control in ("#status-form", "select[name=status]", "input[name=progress]", "a[href$='/assignment']"):
        expect(page.locator(control)).to_have_count(0)
    audit(tab, "flow-6-task-monitor")


def test_flow_7_commune_updates_a_task_without_javascript(open_tab, task_assigned_to):
    title = "Hướng dẫn người dân cài đặt ứng dụng VNeID"
    task_assigned_to("tamphuoc", title)
    tab = open_tab(javascript=False)
    page = tab.page
    sign_in(page, "tamphuoc")
    page.click(".site-nav a[href='/tasks']")
    expect(page).to_have_url(re.compile(r"/tasks$"))
    assert_sees_only_own_tasks(page)
    open_assigned_task(tab, title)
    before, open_class = unit_counts(page), task_class(page)
    task_url = page.url

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit_status(page, "in_progress", 60)
    assert posted.value.status == 303
    expect(page).to_have_url(task_url)
    expect(page.locator("#flashes")).to_contain_text(vi("Task updated."))
    expect(page.locator("#history li").first).to_contain_text(f"{vi('In progress')} 60%")
    audit(tab, "flow-7-task-in-progress-without-javascript")

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit_status(page, "done", 100, note="Đã họp dân ở tất cả các thôn.")
    assert posted.value.status == 303
    expect(page).to_have_url(task_url)
    expect(page.locator("#history li").first).to_contain_text("Đã họp dân ở tất cả các thôn.")
    expect_counts(page, counts_after_done(before, open_class))
    audit(tab, "flow-7-task-done-without-javascript")
