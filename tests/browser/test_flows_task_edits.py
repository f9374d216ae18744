"""Task flows in Chromium that once lost data: an assignment edit (issue 9.1) and a stale tab's note (issue 9.7)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.models import Organization, Task
from tests.browser.checks import audit
from tests.browser.conftest import sign_in, vi
from tests.browser.served_db import assign_new_task
from tests.conftest import make_app

pytestmark = pytest.mark.browser


def _add_cooperators(database_url: str, task_id: int, short_names: list[str]) -> None:
    app = make_app(database_url)
    with app.app_context():
        task = db.session.get(Task, task_id)
        task.cooperating_units = list(db.session.scalars(
            select(Organization).where(Organization.short_name.in_(short_names))))
        db.session.commit()
        db.engine.dispose()


def test_flow_district_office_moves_a_deadline_and_keeps_the_co_operating_units(open_tab, live_server):
    database_url = live_server.env["DATABASE_URL"]
    task_id = assign_new_task(database_url, "tamloc", "Tuyên truyền Ngày Chuyển đổi số tại các thôn")
    _add_cooperators(database_url, task_id, ["Huyện Đoàn", "Hội LHPN"])
    tab = open_tab()
    page = tab.page
    sign_in(page, "vanphong")
    page.goto(f"/tasks/{task_id}")
    original = page.locator("#facts dd").nth(2).inner_text()
    page.click(f"a[href='/tasks/{task_id}/assignment']")
    expect(page.locator("#cooperating_units input:checked")).to_have_count(2)
    audit(tab, "task-assignment-form")

    moved = today() + timedelta(days=40)
    page.fill("#deadline", moved.isoformat())
    page.fill("#reason", "Chờ kinh phí tổ chức")
    page.click("#assignment-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/tasks/{task_id}")
    facts = page.locator("#facts")
    expect(facts).to_contain_text("Huyện Đoàn")
    expect(facts).to_contain_text("Hội Liên hiệp Phụ nữ")
    expect(facts).to_contain_text(moved.strftime("%d/%m/%Y"))
    expect(facts).to_contain_text(vi("original deadline %(date)s", date=original))
    latest = page.locator("#history li").first
    expect(latest).to_contain_text(vi("changed the assignment"))
    expect(latest).to_contain_text("Chờ kinh phí tổ chức")
    audit(tab, "task-assignment-saved")


def test_flow_a_note_typed_in_a_stale_tab_survives_the_conflict_and_is_sent_again(open_tab, live_server):
    task_id = assign_new_task(live_server.env["DATABASE_URL"], "tamloc", "Rà soát hộ kinh doanh chưa có tài khoản")
    stale, fresh = open_tab("tamloc"), open_tab("tamloc")
    stale.page.goto(f"/tasks/{task_id}")
    fresh.page.goto(f"/tasks/{task_id}")
    fresh.page.select_option("#status", "in_progress")
    fresh.page.fill("#progress", "30")
    fresh.page.click("#status-submit")
    expect(fresh.page.locator("#status-region [role=status]")).to_have_text(vi("Task updated."))

    page = stale.page
    note = "Đã rà soát 4 thôn, còn 3 thôn tuần sau"
    page.select_option("#status", "in_progress")
    page.fill("#progress", "50")
    page.fill("#note", note)
    page.click("#status-submit")
    expect(page.locator("#status-region [role=alert]").first).to_contain_text("Người khác vừa thay đổi")
    expect(page.locator("#note")).to_have_value(note)
    expect(page.locator("#progress")).to_have_value("50")
    expect(page.locator("#facts progress")).to_have_attribute("value", "30")
    stale.forget_errors()  # Chromium logs the expected 409 as a failed resource
    audit(stale, "task-stale-tab-conflict")

    page.click("#status-submit")
    expect(page.locator("#status-region [role=status]")).to_have_text(vi("Task updated."))
    expect(page.locator("#history li").first).to_contain_text(note)
    expect(page.locator("#facts progress")).to_have_attribute("value", "50")
