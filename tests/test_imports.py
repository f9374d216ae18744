"""Importing a directive's items and assignments from .xlsx: template, other layouts, checks, all or nothing."""
from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Directive, ImportDraft, Item, Organization, Task
from tests.factories import make_directive

HEADINGS = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Ghi chú"]


def workbook_bytes(rows, headings=HEADINGS, title_rows=0, merged=False, heading_row_values=None) -> bytes:
    """A sheet: `title_rows` title lines (merged across when asked), the headings, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    for n in range(1, title_rows + 1):
        sheet.cell(n, 1, f"UBND HUYỆN PHÚ NINH — dòng tiêu đề {n}")
        if merged:
            sheet.merge_cells(start_row=n, start_column=1, end_row=n, end_column=len(headings))
    sheet.append(heading_row_values or headings)
    for row in rows:
        sheet.append([row.get(heading) for heading in headings])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def office(signed_in, demo):
    """The district office signed in, and a directive without items: (client, directive id)."""
    client = signed_in("vanphong")
    with demo.app_context():
        directive_id = make_directive("88/UBND-VP", issued_on=date(2022, 7, 1), final_deadline=date(2030, 12, 31)).id
    return client, directive_id


def upload(client, directive_id, data: bytes, filename="nhiem-vu.xlsx"):
    return client.post(f"/directives/{directive_id}/import", data={"sheet": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def confirm(client, directive_id, page: str):
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    return client.post(f"/directives/{directive_id}/import/confirm", data={"digest": digest})


def _counts(app, directive_id):
    with app.app_context():
        items = db.session.scalar(select(func.count(Item.id)).where(Item.directive_id == directive_id))
        tasks = db.session.scalar(select(func.count(Task.id)).join(Task.item).where(Item.directive_id == directive_id))
        return items, tasks


def test_the_template_has_the_usual_headings_and_the_units(office):
    client, directive_id = office
    response = client.get(f"/directives/{directive_id}/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[4]] == HEADINGS
    assert "A1:F1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert ("UBND xã Tam Phước", "Tam Phước") in [tuple(row) for row in book["Đơn vị"].iter_rows(values_only=True)]


def test_a_filled_in_template_imports_after_its_preview(office, demo):
    client, directive_id = office
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/directives/{directive_id}/import/template.xlsx").data))
    sheet = book.worksheets[0]
    sheet.append([1, "Rà soát hộ gia đình chưa có điện thoại thông minh", "Tam Phước", "VNPT, Viettel",
                  datetime(2030, 9, 30), "Báo cáo trước ngày 25 hằng tháng"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, directive_id, buffer.getvalue())
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Xem trước: 1 nhiệm vụ" in text and "UBND xã Tam Phước" in text
    assert _counts(demo, directive_id) == (0, 0)  # a preview writes nothing but the draft
    assert confirm(client, directive_id, text).status_code == 303
    with demo.app_context():
        task = db.session.scalar(select(Task).join(Task.item).where(Item.directive_id == directive_id))
        assert task.lead_unit.short_name == "Tam Phước" and task.deadline == date(2030, 9, 30)
        assert sorted(unit.short_name for unit in task.cooperating_units) == ["VNPT", "Viettel"]
        assert task.item.description == "Báo cáo trước ngày 25 hằng tháng"
        assert db.session.scalar(select(func.count(ImportDraft.id))) == 0


def test_headings_in_another_order_below_merged_title_rows_read_the_same(office, demo):
    client, directive_id = office
    headings = ["Ghi chú", "Thời hạn", "Đơn vị phối hợp", "Nội dung nhiệm vụ", "STT", "Đơn vị chủ trì"]
    rows = [
        {"STT": 1, "Nội dung nhiệm vụ": "Tuyên truyền qua loa truyền thanh", "Đơn vị chủ trì": "UBND xa Tam Dai",
         "Đơn vị phối hợp": "Huyen Doan; hoi lhpn", "Thời hạn": "15/10/2030"},
        {"STT": 2, "Nội dung nhiệm vụ": "Thành lập Tổ công nghệ cộng đồng", "Đơn vị chủ trì": "tam thanh, Tam Lộc",
         "Thời hạn": date(2030, 11, 1), "Ghi chú": "100% thôn"},
        {"STT": 3, "Nội dung nhiệm vụ": "Hướng dẫn dịch vụ công trực tuyến", "Đơn vị chủ trì": "UBND các xã, thị trấn"},
    ]
    data = workbook_bytes(rows, headings=headings, title_rows=3, merged=True,
                          heading_row_values=[h.upper() for h in headings])
    page = upload(client, directive_id, data).get_data(as_text=True)
    assert "Xem trước: 3 nhiệm vụ" in page
    assert confirm(client, directive_id, page).status_code == 303
    with demo.app_context():
        items = db.session.scalars(select(Item).where(Item.directive_id == directive_id).order_by(Item.position)).all()
        assert [item.title for item in items] == [row["Nội dung nhiệm vụ"] for row in rows]
        first, second, third = items
        assert [task.lead_unit.name for task in first.tasks] == ["UBND xã Tam Đại"]
        assert sorted(u.short_name for u in first.tasks[0].cooperating_units) == ["Huyện Đoàn", "Hội LHPN"]
        assert first.tasks[0].deadline == date(2030, 10, 15)
        assert sorted(task.lead_unit.short_name for task in second.tasks) == ["Tam Lộc", "Tam Thành"]
        assert len(third.tasks) == 11 and third.tasks[0].deadline == date(2030, 12, 31)  # the directive's deadline


def test_an_invalid_row_is_listed_by_row_and_column_and_nothing_is_imported(office, demo):
    client, directive_id = office
    # Row 1 is a title, row 2 the headings: the rows are 3, 4 and 5 of the sheet.
    rows = [{"Nội dung nhiệm vụ": "Nhiệm vụ đúng", "Đơn vị chủ trì": "Tam Phước"},
            {"Nội dung nhiệm vụ": "Nhiệm vụ sai", "Đơn vị chủ trì": "Xã Không Có", "Thời hạn": "31/02/2030"},
            {"Nội dung nhiệm vụ": "", "Đơn vị chủ trì": "Tam Dan"}]
    response = upload(client, directive_id, workbook_bytes(rows, title_rows=1))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Không có gì được nhập" in page
    assert re.search(r"<td[^>]*>4</td><td[^>]*>Đơn vị chủ trì</td><td[^>]*>Không có đơn vị nào tên là “Xã Không Có”",
                     page)
    assert re.search(r"<td[^>]*>4</td><td[^>]*>Thời hạn</td><td[^>]*>“31/02/2030” không phải là ngày", page)
    assert re.search(r"<td[^>]*>5</td><td[^>]*>Nội dung nhiệm vụ</td>", page)
    # Tam Dân and Tam Đàn are both "Tam Dan" without diacritics: the message names both.
    assert "UBND xã Tam Dân, UBND xã Tam Đàn" in page
    assert 'name="digest"' not in page
    assert _counts(demo, directive_id) == (0, 0)
    with demo.app_context():
        assert db.session.scalar(select(func.count(ImportDraft.id))) == 0


def test_a_unit_deactivated_after_the_preview_stops_the_whole_import(office, demo):
    client, directive_id = office
    rows = [{"Nội dung nhiệm vụ": "Một", "Đơn vị chủ trì": "Tam Phước"},
            {"Nội dung nhiệm vụ": "Hai", "Đơn vị chủ trì": "Tam An"}]
    page = upload(client, directive_id, workbook_bytes(rows)).get_data(as_text=True)
    with demo.app_context():
        db.session.scalar(select(Organization).where(Organization.short_name == "Tam An")).active = False
        db.session.commit()
    response = confirm(client, directive_id, page)
    assert response.status_code == 422
    assert "không còn hoạt động" in response.get_data(as_text=True)
    assert _counts(demo, directive_id) == (0, 0)


def test_a_formula_is_refused_with_its_cell(office, demo):
    client, directive_id = office
    book = openpyxl.Workbook()
    book.active.append(HEADINGS)
    book.active.append([1, "=CONCAT(\"Nhiệm \", \"vụ\")", "Tam Phước"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, directive_id, buffer.getvalue())
    assert response.status_code == 422
    assert "Ô B2 chứa công thức" in response.get_data(as_text=True)
    assert _counts(demo, directive_id) == (0, 0)


def test_macros_a_csv_a_damaged_file_and_a_file_too_big_are_refused(office, demo):
    client, directive_id = office
    good = workbook_bytes([{"Nội dung nhiệm vụ": "Một", "Đơn vị chủ trì": "Tam Phước"}])
    with_macros = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(with_macros, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    cases = [
        (with_macros.getvalue(), "nhiem-vu.xlsx", "chứa macro"),
        (good, "nhiem-vu.xlsm", "Chỉ nhập được tệp Excel (.xlsx)"),
        ("STT,Nội dung nhiệm vụ\n1,Một\n".encode(), "nhiem-vu.csv", "Chỉ nhập được tệp Excel (.xlsx)"),
        (b"PK\x03\x04 not really a zip", "nhiem-vu.xlsx", "bị hỏng"),
        (good[: len(good) // 2], "nhiem-vu.xlsx", "bị hỏng"),
    ]
    for data, filename, message in cases:
        response = upload(client, directive_id, data, filename)
        assert response.status_code == 422, filename
        assert message in response.get_data(as_text=True), filename
    demo.config["IMPORT_MAX_BYTES"] = len(good) - 1
    response = upload(client, directive_id, good)
    assert response.status_code == 422 and "lớn hơn" in response.get_data(as_text=True)
    assert _counts(demo, directive_id) == (0, 0)


def test_a_sheet_without_the_headings_says_what_it_looked_for(office):
    client, directive_id = office
    data = workbook_bytes([{"Tên": "x"}], headings=["Tên", "Số"])
    response = upload(client, directive_id, data)
    assert response.status_code == 422 and "Nội dung nhiệm vụ" in response.get_data(as_text=True)


def test_a_stale_or_foreign_preview_is_refused(office):
    client, directive_id = office
    response = client.post(f"/directives/{directive_id}/import/confirm", data={"digest": "0" * 64})
    assert response.status_code == 422 and "tải tệp lên lại" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["tamphuoc", "lanhdao"])
def test_only_coordinators_import(signed_in, demo, username):
    client = signed_in(username)
    with demo.app_context():
        directive_id = db.session.scalar(select(Directive.id))
    assert client.get(f"/directives/{directive_id}/import").status_code == 403
    assert upload(client, directive_id, workbook_bytes([])).status_code == 403


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(office, demo):
    client, directive_id = office
    demo.config["IMPORT_MAX_BYTES"] = 10_000
    response = upload(client, directive_id, b"PK" + b"\x00" * 200_000)
    assert response.status_code == 413
    assert _counts(demo, directive_id) == (0, 0)


def test_a_cancelled_directive_takes_no_import(office, demo):
    client, directive_id = office
    data = workbook_bytes([{"Nội dung nhiệm vụ": "Một", "Đơn vị chủ trì": "Tam Phước"}])
    page = upload(client, directive_id, data).get_data(as_text=True)
    with demo.app_context():
        db.session.get(Directive, directive_id).cancelled_on = date(2026, 1, 1)
        db.session.commit()
    assert confirm(client, directive_id, page).status_code == 422
    response = upload(client, directive_id, data)
    assert response.status_code == 422 and "đã bị hủy" in response.get_data(as_text=True)
    assert _counts(demo, directive_id) == (0, 0)


def test_the_upload_route_takes_a_file_larger_than_the_sites_body_limit(office, demo):
    client, directive_id = office
    good = workbook_bytes([{"Nội dung nhiệm vụ": "Một", "Đơn vị chủ trì": "Tam Phước"}])
    bigger = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(bigger, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/image1.png", os.urandom(demo.config["MAX_CONTENT_LENGTH"] + 100_000))
    assert len(bigger.getvalue()) > demo.config["MAX_CONTENT_LENGTH"]
    response = upload(client, directive_id, bigger.getvalue())
    assert response.status_code == 200 and "Xem trước: 1 nhiệm vụ" in response.get_data(as_text=True)
