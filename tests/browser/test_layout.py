"""The header and the first screen, as each role sees them at 360 and 1280 px: a compact phone header whose menu is a
real disclosure (no JavaScript needed), one header line on a wide screen, the dashboard's first screen for counts
and overdue tasks."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import VIEWPORTS
from tests.browser.conftest import vi

pytestmark = pytest.mark.browser
READS_ONLY = True

# One user of every kind of unit and role the demo has.
ROLES = ["admin", "vanphong", "lanhdao", "vhtt", "tamphuoc", "doanthanhnien", "vnpt"]
PHONE_HEADER_MAX = 80  # px, of the phone's 740
WIDE_HEADER_MAX = 72  # px: one line


def header_height(page: Page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def menu_entry_tops(page: Page) -> set[int]:
    """The top of every entry of the main menu and of the account menu, rounded to the pixel."""
    return set(page.evaluate("""() => Array.from(document.querySelectorAll(
        ".site-nav > ul > li, .account-menu > summary, .brand > a"))
        .map((el) => Math.round(el.getBoundingClientRect().top))"""))


@pytest.mark.parametrize("user", ROLES)
def test_the_phone_header_is_compact_and_its_menu_opens_as_a_disclosure(tab_of, user):
    tab = tab_of(user)
    page = tab.page
    page.set_viewport_size(VIEWPORTS[360])
    page.goto("/")
    assert header_height(page) <= PHONE_HEADER_MAX
    expect(page.locator(".site-header .unit-name")).to_be_visible()
    tasks_link = page.locator(".site-nav a[href='/tasks']")
    expect(tasks_link).to_be_hidden()
    page.locator(".site-menu > summary").click()
    expect(tasks_link).to_be_visible()
    expect(page.get_by_role("button", name=vi("Sign out"))).to_be_visible()
    tasks_link.click()
    expect(page.locator("h1")).to_have_text(vi("Tasks"))
    expect(page.locator(".site-nav a[href='/tasks']")).to_be_hidden()  # a new page starts with the menu closed
    assert header_height(page) <= PHONE_HEADER_MAX


def test_the_phone_menu_opens_without_javascript(tab_of):
    page = tab_of("tamphuoc", javascript=False).page
    page.set_viewport_size(VIEWPORTS[360])
    page.goto("/")
    page.locator(".site-menu > summary").click()
    page.locator(".site-nav a[href='/teams']").click()
    expect(page).to_have_url(re.compile(r"/teams$"))


@pytest.mark.parametrize("user", ROLES)
def test_the_wide_header_is_one_line_for_every_role(tab_of, user):
    tab = tab_of(user)
    page = tab.page
    page.set_viewport_size(VIEWPORTS[1280])
    page.goto("/")
    assert header_height(page) <= WIDE_HEADER_MAX
    tops = menu_entry_tops(page)
    assert max(tops) - min(tops) <= 16, f"the header's entries sit on more than one line: {sorted(tops)}"
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(page.locator(".site-nav a[href='/tasks']")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280


def test_administration_links_are_grouped_under_one_entry(tab_of):
    page = tab_of("admin").page
    page.set_viewport_size(VIEWPORTS[1280])
    page.goto("/")
    users_link = page.locator(".site-nav a[href='/admin/users']")
    expect(users_link).to_be_hidden()
    page.locator(".nav-group > details > summary").click()
    expect(users_link).to_be_visible()
    users_link.click()
    expect(page.locator(".nav-group > details > summary")).to_have_class("current")


def test_the_account_menu_on_a_wide_screen_holds_the_language_and_sign_out(tab_of):
    page = tab_of("vnpt").page
    page.set_viewport_size(VIEWPORTS[1280])
    page.goto("/")
    sign_out = page.get_by_role("button", name=vi("Sign out"))
    expect(sign_out).to_be_hidden()
    page.locator(".account-menu > summary").click()
    expect(sign_out).to_be_visible()
    expect(page.locator(".account-who")).to_contain_text("VNPT Quảng Nam")


def test_the_district_dashboards_first_phone_screen_shows_the_counts_and_the_overdue_tasks(tab_of):
    page = tab_of("vanphong").page
    page.set_viewport_size(VIEWPORTS[360])
    page.goto("/")
    first_overdue = page.locator("#overdue tbody tr").first
    expect(first_overdue).to_be_visible()
    assert first_overdue.bounding_box()["y"] < VIEWPORTS[360]["height"], "the first overdue task is below the fold"
    for section in ("#due-soon", "#units"):
        assert page.locator(section).get_attribute("open") is None, f"{section} is open"
    # A task row on a phone is two compact lines, not a card repeating every column's label.
    assert first_overdue.bounding_box()["height"] < 200
    page.locator("#units > summary").click()
    expect(page.locator("#units tbody tr").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_a_commune_without_a_team_is_told_how_to_register_the_first(tab_of):
    page = tab_of("tamdann").page
    page.goto("/teams")
    page.get_by_role("link", name=vi("Register a technology team for the first village")).click()
    expect(page).to_have_url(re.compile(r"/teams/new$"))
