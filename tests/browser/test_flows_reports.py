"""Issue 12's flows in Chromium: the leader downloads the report as .xlsx and .docx (both read back), the office
imports a 30-row sheet from the template, sees its one bad row refused with the message, fixes it and imports."""
from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.checks import audit
from tests.browser.conftest import vi

pytestmark = pytest.mark.browser

ROWS = 30
BAD_ROW = 17  # the 17th task of the sheet has an impossible deadline
FIRST_DATA_ROW = 5  # the template's headings are on row 4


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_the_leader_downloads_the_report_as_excel_and_word_with_the_figures_of_the_page(open_tab):
    tab = open_tab("lanhdao")
    page = tab.page
    page.goto("/reports")
    total = int(page.locator("table.report-table tfoot td.num").first.inner_text())

    book = openpyxl.load_workbook(io.BytesIO(_download(page, lambda: page.get_by_role(
        "link", name="Excel (.xlsx)").click())))
    units = list(book["Nhiệm vụ theo đơn vị"].iter_rows(values_only=True))
    assert [row for row in units if row[1] == "Tổng số"][0][2] == total
    coverage = list(book["Tỷ lệ"].iter_rows(values_only=True))
    assert coverage[-1] == ("Toàn huyện", 51, 19, 37)

    page.get_by_role("link", name=vi("Word (.docx), Form 1.4")).click()
    expect(page.get_by_role("button", name=vi("Download the report (.docx)"))).to_be_visible()
    audit(tab, "report-document-form")
    page.fill("#number", "215/BC-UBND")
    page.fill("#signer_name", "Trần Văn Minh")  # the signer is named before the document is drawn up
    document = docx.Document(io.BytesIO(_download(page, lambda: page.get_by_role(
        "button", name=vi("Download the report (.docx)")).click())))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "19/51 thôn, khối phố đã có Tổ công nghệ cộng đồng (đạt 37%)" in text
    assert "BÁO CÁO" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert str(total) in cells  # the statistics table's total, as on the page
    assert any("215/BC-UBND" in cell for cell in cells) and any("Trần Văn Minh" in cell for cell in cells)


def _sheet(template: bytes, path: Path, bad: bool) -> Path:
    """The downloaded template with 30 tasks; the BAD_ROW-th has a deadline that is no date when `bad`."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    leads = ["Tam Phước", "Tam Dân", "tam thanh", "UBND thị trấn Phú Thịnh", "Huyện Đoàn"]
    for n in range(1, ROWS + 1):
        deadline = "31/02/2031" if bad and n == BAD_ROW else f"{(n % 28) + 1:02d}/10/2031"
        values = [n, f"Nhiệm vụ nhập từ Excel số {n}", leads[n % len(leads)], "VNPT; Viettel" if n % 3 else "",
                  deadline, "Báo cáo hằng tháng" if n % 4 == 0 else None]
        for column, value in enumerate(values, start=1):
            sheet.cell(FIRST_DATA_ROW + n - 1, column, value)
    book.save(path)
    return path


def test_the_office_imports_30_rows_after_fixing_the_one_the_preview_refused(open_tab, demo_data, tmp_path):
    tab = open_tab("vanphong")
    page = tab.page
    page.goto(f"/directives/{demo_data['demo_directive']}")
    page.get_by_role("link", name=vi("Import items and assignments from Excel")).click()
    expect(page.locator("h1")).to_have_text(vi("Import items from Excel"))
    template = _download(page, lambda: page.get_by_role("link", name=vi("template (.xlsx)")).click())

    page.set_input_files("#sheet", str(_sheet(template, tmp_path / "nhiem-vu.xlsx", bad=True)))
    page.get_by_role("button", name=vi("Read the file")).click()
    errors = page.locator("section[aria-labelledby=import-errors]")
    expect(errors.locator("h2")).to_have_text(vi("Nothing was imported: %(count)d problems in %(rows)d rows",
                                                 count=1, rows=ROWS))
    bad = errors.locator("tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.locator("td").nth(0)).to_have_text(str(FIRST_DATA_ROW + BAD_ROW - 1))
    expect(bad.locator("td").nth(1)).to_have_text("Thời hạn")
    expect(bad.locator("td").nth(2)).to_have_text(vi("“%(text)s” is not a date: write it as dd/mm/yyyy.",
                                                     text="31/02/2031"))
    expect(page.locator("#import-preview")).to_have_count(0)
    tab.forget_errors()  # Chromium logs the refusal's expected 422 as a failed resource
    audit(tab, "import-refused-row")

    page.set_input_files("#sheet", str(_sheet(template, tmp_path / "nhiem-vu-da-sua.xlsx", bad=False)))
    page.get_by_role("button", name=vi("Read the file")).click()
    expect(page.locator("#import-preview")).to_have_text(vi("Preview: %(count)d items", count=ROWS))
    expect(page.locator("section[aria-labelledby=import-preview] tbody tr")).to_have_count(ROWS)
    page.get_by_role("button", name=vi("Import these %(count)d items", count=ROWS)).click()
    expect(page).to_have_url(re.compile(rf"/directives/{demo_data['demo_directive']}$"))
    expect(page.locator(".flash-success")).to_have_text(vi("%(count)d items imported and assigned.", count=ROWS))
    expect(page.get_by_text("Nhiệm vụ nhập từ Excel số 30", exact=True).first).to_be_visible()
