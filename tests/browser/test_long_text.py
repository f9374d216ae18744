"""What users type may be one long unbroken string (a pasted link, a code): it wraps on every screen at 1280 and
360 px instead of widening the page (issue 9, point 20)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.clock import today
from tests.browser.checks import VIEWPORTS, audit

pytestmark = pytest.mark.browser

LONG_LINK = "https://dichvucong.quangnam.gov.vn/dvc/tra-cuu/" + "ma-ho-so-0123456789" * 20


def test_a_long_unbroken_description_wraps_in_the_support_list_and_on_the_ticket_page(open_tab):
    tab = open_tab("tamphuoc")
    page = tab.page
    page.goto("/support/new")
    page.fill("#description", LONG_LINK)
    page.fill("#wanted_by", (today() + timedelta(days=5)).strftime("%d/%m/%Y"))  # typed as Vietnamese offices write
    page.click("#ticket-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/support/\d+$"))
    ticket_url = page.url

    for url in ("/support", ticket_url):
        page.goto(url)
        expect(page.locator("main")).to_contain_text(LONG_LINK[:40])
        for width, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{url} at {width} px"
    audit(tab, "long-text-ticket")
