"""Directives in Chromium: an officer opens the directive they carry out (issue 9, point 11), a coordinator
corrects an item and cancels its tasks through confirmation pages with JavaScript off (point 17)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import audit
from tests.browser.conftest import sign_in, vi

pytestmark = pytest.mark.browser


def test_flow_11_a_commune_officer_opens_the_directive_of_its_task_read_only(open_tab):
    tab = open_tab()
    page = tab.page
    sign_in(page, "tamphuoc")
    page.click(".site-nav a[href='/tasks']")
    page.locator("#results a[href^='/tasks/']").first.click()
    page.locator(".breadcrumb a[href^='/directives/']").click()
    expect(page).to_have_url(re.compile(r"/directives/\d+$"))
    expect(page.locator("h1")).to_contain_text("1234/UBND-VP")
    rows = page.locator("table.task-grid tbody th[scope=row]").all_inner_texts()
    assert rows == ["Tam Phước"]
    expect(page.locator("#item-form")).to_have_count(0)
    expect(page.get_by_role("link", name=vi("Edit"))).to_have_count(0)
    audit(tab, "flow-11-directive-read-only")


def test_flow_17_coordinator_adds_an_item_then_deletes_it_without_javascript(open_tab):
    tab = open_tab(javascript=False)
    page = tab.page
    sign_in(page, "vanphong")
    page.goto(page.url.rstrip("/") + "/directives/1")
    page.fill("#title", "Nội dung nhập nhầm")
    page.click("#item-submit")
    expect(page).to_have_url(re.compile(r"/items/\d+/assign$"))
    page.get_by_role("link", name="1234/UBND-VP").click()
    expect(page.locator("ol.items > li", has_text="Nội dung nhập nhầm")).to_have_count(1)
    item = page.locator("ol.items > li", has_text="Nội dung nhập nhầm")
    item.get_by_role("link", name=vi("Delete or cancel")).click()
    audit(tab, "flow-17-confirm-delete-without-javascript")
    page.get_by_role("button", name=vi("Delete")).click()
    expect(page).to_have_url(re.compile(r"/directives/1$"))
    expect(page.locator("#flashes")).to_contain_text(vi("Item deleted."))
    expect(page.locator("ol.items > li", has_text="Nội dung nhập nhầm")).to_have_count(0)


def test_flow_17_coordinator_cancels_the_open_tasks_of_an_item_without_javascript(open_tab):
    tab = open_tab(javascript=False)
    page = tab.page
    sign_in(page, "vanphong")
    page.goto(page.url.rstrip("/") + "/items/3/delete")
    expect(page.get_by_role("button", name=vi("Delete"))).to_have_count(0)
    page.get_by_role("button", name=vi("Cancel the open tasks")).click()
    expect(page.locator(".errors")).to_contain_text(vi("Give the reason for the cancellation."))
    assert tab.csp_violations == []
    tab.forget_errors()  # the 422 the refusal was meant to get is logged as a console error
    page.fill("#reason", "Gộp vào kế hoạch năm sau")
    page.get_by_role("button", name=vi("Cancel the open tasks")).click()
    expect(page).to_have_url(re.compile(r"/directives/1$"))
    expect(page.locator("#flashes")).to_contain_text(vi("%(count)d open tasks cancelled.", count=2))
    audit(tab, "flow-17-item-cancelled-without-javascript")
