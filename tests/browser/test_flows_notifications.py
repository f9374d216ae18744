"""The bell in Chromium: a commune sees its unread count, opens the list, marks one and then all read."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import audit
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_bell_counts_unread_notifications_and_the_list_marks_them_read(open_tab, live_server):
    tab = open_tab()
    page = tab.page
    sign_in(page, "tamthanh")
    bell = page.locator("#bell")
    expect(bell).to_be_visible()
    count = int(bell.locator(".bell-count").get_attribute("data-count"))
    assert count > 1
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    audit(tab, "notifications")
    page.locator("li.notification.unread").first.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.locator("#bell .bell-count")).to_have_attribute("data-count", str(count - 1))
    page.click("#read-all")
    expect(page.locator("#bell .bell-count")).to_have_attribute("data-count", "0")
    expect(page.locator("li.notification.unread")).to_have_count(0)
