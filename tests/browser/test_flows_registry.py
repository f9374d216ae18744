"""The registry flows in Chromium, numbered as in issue 6: a commune registers a team (flow 3), a union logs an
outreach activity (flow 4), and the latter without JavaScript (flow 7). Their screens are rows of SCREENS, the
objects those screens name rows of served_db.LOOKUPS; see test_flows_tasks.py for the directive and task flows.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.clock import today
from tests.browser.checks import audit
from tests.browser.conftest import sign_in, vi

pytestmark = pytest.mark.browser


def own_coverage(page: Page) -> tuple[int, int]:
    """The signed-in commune's row of the coverage table on /teams: (villages with a team, percent)."""
    row = page.locator(".coverage-table tbody tr.own")
    return int(row.locator("td.num").nth(1).inner_text()), int(row.locator("progress").get_attribute("value"))


def add_member(page: Page, name: str, position: str, affiliation: str, phone: str) -> None:
    """Add a member with the form on the team page (htmx swaps the member list; without JavaScript, a redirect)."""
    page.fill("#full_name", name)
    page.select_option("#position", position)
    page.select_option("#affiliation", affiliation)
    page.fill("#phone", phone)
    page.click("#member-form button[type=submit]")
    expect(page.locator("#members tbody")).to_contain_text(name)


def test_flow_3_commune_registers_a_team_and_its_coverage_rises(open_tab, demo_data):
    task_url = f"/tasks/{demo_data['team_coverage_task_of_tamdann']}"
    tab = open_tab()
    page = tab.page
    sign_in(page, "tamdann")
    page.goto(task_url)
    progress_before = int(page.locator("#facts progress").get_attribute("value"))
    page.click(".site-nav a[href='/teams']")
    expect(page).to_have_url(re.compile(r"/teams$"))
    covered_before, percent_before = own_coverage(page)

    page.click("a[href='/teams/new']")
    village = page.locator("#village_id option:checked").inner_text()
    page.fill("#established_on", (today() - timedelta(days=2)).strftime("%d/%m/%Y"))
    page.fill("#decision_number", "112/QĐ-UBND")
    page.click("#team-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/teams/\d+$"))
    expect(page.locator("h1")).to_contain_text(village)
    expect(page.locator("#flashes")).to_contain_text(vi("Team registered. Now add its members."))

    add_member(page, "Lê Văn Hùng", "leader", "village_head", "0905123456")
    expect(page.locator("#members [role=status]")).to_have_text(vi("%(name)s was added to the team.",
                                                                   name="Lê Văn Hùng"))
    expect(page.locator("#full_name")).to_be_empty()  # a fresh form for the next member
    add_member(page, "Nguyễn Thị Hoa", "member", "womens_union", "")
    expect(page.locator("#members tbody tr")).to_have_count(2)
    audit(tab, "flow-3-team-with-members")

    page.click(".site-nav a[href='/teams']")
    expect(page).to_have_url(re.compile(r"/teams$"))
    covered, percent = own_coverage(page)
    assert covered == covered_before + 1
    assert percent > percent_before
    expect(page.locator("section[aria-labelledby=without-team]")).not_to_contain_text(village)
    audit(tab, "flow-3-coverage")

    page.goto(task_url)
    expect(page.locator("#facts progress")).to_have_attribute("value", str(percent))
    assert percent > progress_before


def log_activity(page: Page, title: str, participants: int) -> None:
    """Open the log form on /outreach, fill it in and press the log button."""
    page.click("details.log > summary")
    page.select_option("#kind", "training_class")
    page.fill("#title", title)
    page.fill("#participants", str(participants))
    page.click("#outreach-form button[type=submit]")


def test_flow_4_union_logs_an_outreach_activity_without_a_page_reload(open_tab):
    title = "Tập huấn sử dụng ví điện tử cho hội viên phụ nữ"
    tab = open_tab()
    page = tab.page
    sign_in(page, "hoiphunu")
    page.click(".site-nav a[href='/outreach']")
    expect(page).to_have_url(re.compile(r"/outreach$"))
    activities = page.locator("#outreach-totals .figures dd").first
    before = int(activities.inner_text())
    page.evaluate("() => { window.__sameDocument = true; }")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    log_activity(page, title, 35)
    expect(page.locator("#outreach-form [role=status]")).to_have_text(vi("Activity logged: %(title)s", title=title))
    first = page.locator("#outreach-rows tr").first
    expect(first).to_contain_text(title)
    expect(first).to_contain_text(today().strftime("%d/%m/%Y"))
    expect(activities).to_have_text(str(before + 1))
    expect(page.locator("#title")).to_be_empty()
    assert page.evaluate("() => window.__sameDocument") is True, "the page was reloaded"
    assert navigations == [], "the main frame navigated"
    audit(tab, "flow-4-activity-logged")


def test_flow_7_union_logs_an_outreach_activity_without_javascript(open_tab):
    title = "Sinh hoạt chi hội: hướng dẫn nhận biết lừa đảo trực tuyến"
    tab = open_tab(javascript=False)
    page = tab.page
    sign_in(page, "hoiphunu")
    page.click(".site-nav a[href='/outreach']")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        log_activity(page, title, 40)
    assert posted.value.status == 303
    expect(page).to_have_url(re.compile(r"/outreach$"))
    expect(page.locator("#flashes")).to_contain_text(vi("Activity logged."))
    expect(page.locator("#outreach-rows tr").first).to_contain_text(title)
    audit(tab, "flow-7-activity-logged-without-javascript")
