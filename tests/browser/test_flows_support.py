"""The support flows in Chromium, numbered as in issue 6: a partner takes and finishes a ticket and the commune
confirms it (flow 5), and the same without JavaScript (flow 7); see test_flows_tasks.py for the other flows.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import audit
from tests.browser.conftest import sign_in, vi
from tests.browser.served_db import officer_of_commune

pytestmark = pytest.mark.browser


def ticket_row_with(page: Page, button: str):
    """The first ticket row on /support offering this action, pinned by its id."""
    row_id = page.locator("#ticket-list tbody tr", has=page.get_by_role("button", name=button)).first \
        .get_attribute("id")
    return page.locator(f"#{row_id}"), int(row_id.removeprefix("ticket-"))


def assert_sees_only_own_tickets(page: Page, partner: str) -> None:
    partners = page.locator(f"#ticket-list td[data-label='{vi('Partner')}']").all_inner_texts()
    assert partners and set(partners) == {partner}, partners


def status_cell(row):
    return row.locator(f"td[data-label='{vi('Status')}']")


def test_flow_5_partner_marks_a_ticket_done_and_the_commune_confirms(open_tab, live_server):
    tab = open_tab()
    page = tab.page
    sign_in(page, "viettel")
    page.click(".site-nav a[href='/support']")
    expect(page).to_have_url(re.compile(r"/support$"))
    assert_sees_only_own_tickets(page, "Viettel")

    row, ticket_id = ticket_row_with(page, vi("Take it"))
    row.get_by_role("button", name=vi("Take it")).click()
    expect(status_cell(row)).to_have_text(vi("In progress"))
    row.get_by_label(vi("What was done")).fill("Đã lắp thêm trạm phát sóng tạm, sóng ổn định.")
    row.get_by_role("button", name=vi("Mark done")).click()
    expect(status_cell(row)).to_have_text(vi("Done, awaiting confirmation"))
    expect(row.locator("[role=status]")).to_have_text(vi("Saved."))
    expect(page).to_have_url(re.compile(r"/support$"))
    audit(tab, "flow-5-ticket-done")

    commune = open_tab()
    page = commune.page
    sign_in(page, officer_of_commune(live_server.env["DATABASE_URL"], ticket_id))
    page.click(".site-nav a[href='/support']")
    row = page.locator(f"#ticket-{ticket_id}")
    row.get_by_role("button", name=vi("Confirm it is done")).click()
    expect(status_cell(row)).to_have_text(vi("Confirmed"))
    audit(commune, "flow-5-ticket-confirmed")


def test_flow_7_partner_and_commune_move_a_ticket_without_javascript(open_tab, live_server):
    tab = open_tab(javascript=False)
    page = tab.page
    sign_in(page, "viettel")
    page.click(".site-nav a[href='/support']")
    assert_sees_only_own_tickets(page, "Viettel")
    row, ticket_id = ticket_row_with(page, vi("Take it"))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        row.get_by_role("button", name=vi("Take it")).click()
    assert posted.value.status == 303
    expect(page.locator("#flashes")).to_contain_text(vi("Ticket taken."))
    expect(status_cell(row)).to_have_text(vi("In progress"))
    row.get_by_label(vi("What was done")).fill("Đã thay bộ phát wifi, kiểm tra lại vào buổi chiều.")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        row.get_by_role("button", name=vi("Mark done")).click()
    assert posted.value.status == 303
    expect(page).to_have_url(re.compile(r"/support$"))
    expect(page.locator("#flashes")).to_contain_text(vi("Marked done."))
    expect(status_cell(row)).to_have_text(vi("Done, awaiting confirmation"))
    audit(tab, "flow-7-ticket-done-without-javascript")

    commune = open_tab(javascript=False)
    page = commune.page
    sign_in(page, officer_of_commune(live_server.env["DATABASE_URL"], ticket_id))
    page.goto(f"/support/{ticket_id}")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=vi("Confirm it is done")).click()
    assert posted.value.status == 303
    expect(page).to_have_url(re.compile(rf"/support/{ticket_id}$"))
    expect(page.locator("#flashes")).to_contain_text(vi("Confirmed."))
    expect(page.locator("#history-title + .table-wrap tbody tr").first).to_contain_text(vi("Confirmed"))
    audit(commune, "flow-7-ticket-confirmed-without-javascript")
