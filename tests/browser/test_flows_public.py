"""The public page in Chromium, as a resident without an account: the district's coverage, then a search for their
village, with JavaScript off (a plain GET form) and on (htmx swaps the list and keeps the URL)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import audit
from tests.browser.conftest import vi

pytestmark = pytest.mark.browser
READS_ONLY = True


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-htmx"])
def test_a_resident_finds_their_villages_team_and_whom_to_call(open_tab, javascript):
    tab = open_tab(javascript=javascript)
    page = tab.page
    page.goto("/cong-khai")
    expect(page.locator(".coverage-figure")).to_contain_text("19/51")
    expect(page.get_by_role("link", name=vi("Sign in"))).to_be_visible()
    expect(page.locator(".site-menu")).to_have_count(0)
    page.fill("#q", "tam cam")  # typed without diacritics
    page.get_by_role("button", name=vi("Search")).click()
    expect(page).to_have_url(re.compile(r"/cong-khai\?q=tam(\+|%20)cam"))
    rows = page.locator("#villages tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("Tam Cẩm")
    page.select_option("#commune", label="UBND xã Tam Phước")
    page.fill("#q", "")
    page.get_by_role("button", name=vi("Search")).click()
    expect(rows).to_have_count(5)
    expect(rows.locator("a[href^='tel:']")).to_have_count(5)  # Tam Phước's leaders agreed to be published
    if not javascript:
        audit(tab, "public-search-tam-phuoc")
