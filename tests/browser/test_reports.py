"""The leader's report in Chromium: /reports, last month, the charts and the ranking; the dashboard's overview;
printing without the menu and the form. Screenshots at 1280 and 360 px in test-artifacts/screenshots/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.clock import today
from app.reports.periods import PeriodKind, period_containing
from tests.browser.checks import ARTIFACTS, audit
from tests.browser.conftest import vi

pytestmark = pytest.mark.browser
READS_ONLY = True


def test_the_leader_opens_last_months_report_and_sees_the_charts_and_ranking(open_tab):
    tab = open_tab("lanhdao")
    page = tab.page
    page.goto("/")
    page.get_by_role("link", name=vi("Reports"), exact=True).first.click()
    expect(page.locator("h1")).to_have_text(vi("Report on the tasks carried out"))
    page.get_by_role("link", name=vi("Last month"), exact=True).click()
    last_month = period_containing(PeriodKind.MONTH, today()).previous()
    expect(page).to_have_url(re.compile(rf"period=month.*on={last_month.end.isoformat()}"))
    expect(page.locator(".report-scope")).to_contain_text(last_month.start.strftime("%d/%m/%Y"))
    for key in ("units", "coverage", "trend-coverage", "trend-overdue"):
        expect(page.locator(f"#chart-{key} svg title").first).to_have_text(re.compile(r"\S"))
    expect(page.locator("#ranking li").first).to_contain_text("1.")
    audit(tab, "reports-last-month")


def test_the_report_form_works_without_javascript(open_tab):
    tab = open_tab("lanhdao", javascript=False)
    page = tab.page
    page.goto("/reports")
    page.select_option("#period", "quarter")
    page.get_by_role("button", name=vi("Show the report")).click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    expect(page.locator(".report-scope")).to_contain_text(vi("Quarter"))


def test_the_leaders_dashboard_shows_who_is_behind(open_tab):
    tab = open_tab("lanhdao")
    tab.page.goto("/")
    expect(tab.page.locator("#behind svg").first).to_be_visible()
    audit(tab, "dashboard-leader-charts")


def test_the_printed_report_has_no_menu_and_no_form(open_tab):
    tab = open_tab("lanhdao")
    page = tab.page
    page.goto("/reports")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.report-form")).to_be_hidden()
    expect(page.locator(".report-scope")).to_be_visible()
    page.pdf(path=str(ARTIFACTS / "report-print.pdf"), format="A4")  # for a person to look at


def test_a_commune_officer_sees_the_report_of_their_unit(open_tab):
    tab = open_tab("tamphuoc")
    tab.page.goto("/reports")
    expect(tab.page.locator(".report-scope")).to_contain_text("UBND xã Tam Phước")
    expect(tab.page.locator("table.report-table tbody tr")).to_have_count(1)
    audit(tab, "reports-commune")
