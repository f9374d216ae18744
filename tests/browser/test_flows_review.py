"""Completion review in Chromium: a commune reports with a photo, the office returns it, the commune reports again,
the office accepts. Every state passes checks.audit."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.clock import today
from tests.browser.checks import audit
from tests.browser.conftest import sign_in, vi
from tests.browser.served_db import assign_new_task

pytestmark = pytest.mark.browser


def photo(tmp_path) -> str:
    path = tmp_path / "anh-hop-thon.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_commune_submits_with_a_photo_office_returns_commune_resubmits_office_accepts(open_tab, live_server,
                                                                                     tmp_path):
    title = "Báo cáo kết quả hướng dẫn dịch vụ công trực tuyến"
    task_id = assign_new_task(live_server.env["DATABASE_URL"], "tamphuoc", title, review_required=True)
    commune = open_tab()
    page = commune.page
    sign_in(page, "tamphuoc")
    page.goto(f"/tasks/{task_id}")
    page.fill("#completion-note", "Đã hướng dẫn 120 hộ, kèm ảnh buổi họp thôn.")
    page.set_input_files("#completion-files", photo(tmp_path))
    page.click("#completion-submit")
    expect(page.locator("#review-region")).to_be_visible()
    expect(page.locator("#facts")).to_contain_text(vi("Awaiting review"))
    expect(page.locator("#history .file-list a")).to_have_text(re.compile(r"anh-hop-thon\.jpg"))
    audit(commune, "review-submitted")

    office = open_tab()
    sign_in(office.page, "vanphong")
    expect(office.page.locator("#awaiting-review")).to_contain_text(title)
    office.page.click(f"#awaiting-review a[href='/tasks/{task_id}']")
    office.page.fill("#review-note", "Đề nghị bổ sung danh sách hộ.")
    office.page.click("#review-return")
    expect(office.page.locator("#facts")).to_contain_text(vi("In progress"))
    audit(office, "review-returned")

    page.goto(f"/tasks/{task_id}")
    expect(page.locator("#history")).to_contain_text("Đề nghị bổ sung danh sách hộ.")
    page.fill("#completion-note", "Đã bổ sung danh sách 120 hộ.")
    page.click("#completion-submit")
    expect(page.locator("#review-region")).to_be_visible()

    office.page.goto(f"/tasks/{task_id}")
    office.page.click("#review-accept")
    expect(office.page.locator("#facts")).to_contain_text(vi("Done"))
    expect(office.page.locator("#facts .badge.cls")).to_have_class(re.compile("cls-done_on_time"))
    audit(office, "review-accepted")


def test_commune_asks_for_an_extension_and_the_office_approves_it_keeping_the_original(open_tab, live_server):
    title = "Báo cáo số hộ được hướng dẫn thương mại điện tử"
    task_id = assign_new_task(live_server.env["DATABASE_URL"], "tamphuoc", title, deadline_in_days=5,
                              review_required=True)
    original, wanted = today() + timedelta(days=5), today() + timedelta(days=20)
    commune = open_tab()
    page = commune.page
    sign_in(page, "tamphuoc")
    page.goto(f"/tasks/{task_id}")
    page.click("#extension-region summary")
    page.fill("#extension-deadline", wanted.strftime("%d/%m/%Y"))
    page.fill("#extension-reason", "Mưa lũ, chưa tổ chức được buổi hướng dẫn ở thôn.")
    page.click("#extension-submit")
    expect(page.locator("#extension-region")).to_contain_text(vi("The district office has not decided yet."))
    audit(commune, "extension-requested")

    office = open_tab()
    sign_in(office.page, "vanphong")
    office.page.goto(f"/tasks/{task_id}")
    office.page.fill("#decision-note", "Đồng ý gia hạn.")
    office.page.click("#extension-approve")
    facts = office.page.locator("#facts")
    expect(facts).to_contain_text(wanted.strftime("%d/%m/%Y"))
    expect(facts).to_contain_text(original.strftime("%d/%m/%Y"))  # the original deadline stays beside it
    expect(office.page.locator("#history")).to_contain_text("Đồng ý gia hạn.")
    audit(office, "extension-approved")
