"""Exports: the task list with its filters and a directive's grid, as .xlsx and .csv, read back."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
from sqlalchemy import insert, select

from app.clock import today
from app.extensions import db
from app.models import Directive, Item, Organization, Role, Task, TaskStatus
from tests.conftest import login
from tests.factories import PASSWORD, make_directive, make_item, make_task, make_unit, make_user

HEADINGS_ROW = 6  # title, scope, date... then a blank line: see the heading lines of each export


def _book(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _header_row(sheet) -> int:
    """The row holding the column headings: the first one whose first cell is "STT"."""
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError("no heading row")


def test_task_list_xlsx_has_vietnamese_headings_frozen_under_the_scope_and_date(signed_in):
    client = signed_in("vanphong")
    sheet = _book(client.get("/tasks/export.xlsx")).active
    header = _header_row(sheet)
    assert sheet["A1"].value == "Danh sách nhiệm vụ"
    assert sheet["A2"].value == "Phạm vi: tất cả đơn vị của Huyện Phú Ninh"
    assert sheet[f"A{header - 2}"].value == f"Ngày xuất: {today():%d/%m/%Y}"
    assert [cell.value for cell in sheet[header]][:5] == ["STT", "Văn bản", "Nhiệm vụ", "Đơn vị chủ trì",
                                                           "Đơn vị phối hợp"]
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.column_dimensions["C"].width >= 50


def test_task_list_xlsx_keeps_dates_and_numbers_as_such(signed_in, demo):
    client = signed_in("vanphong")
    sheet = _book(client.get("/tasks/export.xlsx")).active
    header = _header_row(sheet)
    first = sheet[header + 1]
    assert first[0].value == 1
    assert isinstance(first[5].value, datetime) and first[5].number_format == "DD/MM/YYYY"
    assert isinstance(first[7].value, int)
    with demo.app_context():
        assert sheet.max_row - header == db.session.query(Task).count()


def test_task_list_export_keeps_the_filters_and_says_which(signed_in, demo):
    client = signed_in("vanphong")
    with demo.app_context():
        unit = db.session.scalar(select(Organization).where(Organization.short_name == "Tam Phước"))
        unit_id, unit_name = unit.id, unit.name
        expected = db.session.query(Task).filter(Task.lead_unit_id == unit_id).count()
    sheet = _book(client.get(f"/tasks/export.xlsx?unit={unit_id}&task_class=&q=")).active
    header = _header_row(sheet)
    assert sheet["A3"].value == f"Đơn vị chủ trì: {unit_name}"
    units = {row[3].value for row in sheet.iter_rows(min_row=header + 1)}
    assert units == {unit_name} and sheet.max_row - header == expected


def test_officer_exports_only_the_tasks_they_see(signed_in, demo):
    client = signed_in("tamphuoc")
    with demo.app_context():
        user_unit = db.session.scalar(select(Organization).where(Organization.short_name == "Tam Phước"))
        name = user_unit.name
    sheet = _book(client.get("/tasks/export.xlsx")).active
    header = _header_row(sheet)
    assert name in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    assert rows and all(row[3] == name or name in (row[4] or "") for row in rows)


def test_task_list_csv_is_utf8_with_a_byte_order_mark(signed_in):
    client = signed_in("vanphong")
    response = client.get("/tasks/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Văn bản", "Nhiệm vụ", "Đơn vị chủ trì"]
    assert any("Tam Phước" in row[3] for row in rows[1:])
    assert all(row[5] == "" or row[5][2] == "/" for row in rows[1:])  # dd/mm/yyyy
    assert "attachment" in response.headers["Content-Disposition"]


def _coordinator_with_task(title: str):
    unit = make_unit()
    user = make_user("dieuphoi", role=Role.COORDINATOR, unit=unit)
    task = make_task(unit, make_item(make_directive(), title=title), deadline=date(2030, 1, 1))
    return user, task


def test_text_typed_as_a_formula_is_written_as_text(app, client):
    with app.app_context():
        _coordinator_with_task("=HYPERLINK(\"http://x\",\"bấm\")")
    login(client, "dieuphoi", PASSWORD)
    sheet = _book(client.get("/tasks/export.xlsx")).active
    cell = sheet.cell(_header_row(sheet) + 1, 3)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    rows = list(csv.reader(io.StringIO(client.get("/tasks/export.csv").data.decode("utf-8-sig"))))
    assert rows[1][2].startswith("'=HYPERLINK")


def test_each_formula_start_is_neutralised_in_csv(app, client):
    from app.exports.sheets import neutralised
    assert [neutralised(text) for text in ("=1", "+1", "-1", "@SUM(A1)", "Tam An")] == [
        "'=1", "'+1", "'-1", "'@SUM(A1)", "Tam An"]


def test_a_few_thousand_tasks_stream_and_read_back(app, client):
    """The rows come from batches (yield_per) into a write-only workbook; every one is in the file."""
    count = 3000
    with app.app_context():
        user, task = _coordinator_with_task("Nhiệm vụ mẫu")
        units = [make_unit() for _ in range(3)]
        items = [Item(directive_id=task.item.directive_id, position=n + 2, title=f"Nhiệm vụ {n}", description="")
                 for n in range(count // 3)]
        db.session.add_all(items)
        db.session.flush()
        db.session.execute(insert(Task), [
            {"item_id": item.id, "lead_unit_id": unit.id, "status": TaskStatus.ASSIGNED, "progress": 0,
             "version": 1, "deadline": date(2030, 1, 1)} for item in items for unit in units])
        db.session.commit()
    login(client, "dieuphoi", PASSWORD)
    response = client.get("/tasks/export.xlsx")
    assert response.is_streamed
    sheet = _book(response).active
    assert sheet.max_row - _header_row(sheet) == count + 1
    csv_response = client.get("/tasks/export.csv")
    assert csv_response.is_streamed
    assert len(list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))) == count + 2


def test_directive_grid_exports_one_row_per_unit_and_two_columns_per_item(signed_in, demo):
    client = signed_in("vanphong")
    with demo.app_context():
        directive = db.session.scalar(select(Directive))
        directive_id, item_count = directive.id, len(directive.items)
        unit_count = len(set(db.session.scalars(select(Task.lead_unit_id).join(Task.item)
                                                .where(Item.directive_id == directive.id))))
    sheet = _book(client.get(f"/directives/{directive_id}/grid.xlsx")).active
    header = _header_row(sheet)
    assert [cell.value for cell in sheet[header]][:4] == ["STT", "Đơn vị", "Nhiệm vụ 1 (%)", "Nhiệm vụ 1: tình trạng"]
    assert sheet.max_column == 2 + 2 * item_count
    data = [row for row in sheet.iter_rows(min_row=header + 1, values_only=True) if isinstance(row[0], int)]
    assert len(data) == unit_count
    rows = list(csv.reader(io.StringIO(client.get(f"/directives/{directive_id}/grid.csv").data.decode("utf-8-sig"))))
    assert len(rows) == unit_count + 1


def test_an_officer_exports_only_their_own_row_of_the_grid(signed_in, demo):
    with demo.app_context():
        directive_id = db.session.scalar(select(Directive.id))
        name = db.session.scalar(select(Organization.name).where(Organization.short_name == "Tam Phước"))
    sheet = _book(signed_in("tamphuoc").get(f"/directives/{directive_id}/grid.xlsx")).active
    units = [row[1] for row in sheet.iter_rows(min_row=_header_row(sheet) + 1, values_only=True)
             if isinstance(row[0], int)]
    assert units == [name]


def test_the_task_list_and_the_directive_page_link_to_their_exports(signed_in, demo):
    client = signed_in("vanphong")
    with demo.app_context():
        directive_id = db.session.scalar(select(Directive.id))
    page = client.get("/tasks?status=assigned&q=thôn").get_data(as_text=True)
    assert "/tasks/export.xlsx?status=assigned&amp;q=th%C3%B4n" in page
    assert "/tasks/export.csv?status=assigned&amp;q=th%C3%B4n" in page
    assert f"/directives/{directive_id}/grid.xlsx" in client.get(f"/directives/{directive_id}").get_data(as_text=True)


def test_the_period_report_exports_one_sheet_per_part_with_the_same_figures(signed_in, demo):
    client = signed_in("lanhdao")
    page = client.get("/reports?period=month").get_data(as_text=True)
    assert "/reports/export.xlsx?period=month" in page
    book = _book(client.get("/reports/export.xlsx?period=month"))
    assert book.sheetnames == ["Nhiệm vụ theo đơn vị", "Tỷ lệ", "Tuyên truyền theo đơn vị",
                               "Tuyên truyền theo hình thức", "Yêu cầu hỗ trợ"]
    units = book["Nhiệm vụ theo đơn vị"]
    assert units["A2"].value == "Phạm vi: Huyện Phú Ninh"
    header = _header_row(units)
    rows = list(units.iter_rows(min_row=header + 1, values_only=True))
    assert rows[-1][:2] == (None, "Tổng số")
    assert rows[-1][2] == sum(row[2] for row in rows[:-1])  # the totals row adds up
    assert all(isinstance(row[2], int) for row in rows)
    rates = [row[-4] for row in rows[:-1] if row[-4] is not None]
    assert rates and all(isinstance(rate, (int, float)) and 0 <= rate <= 100 for rate in rates)
    rated = next(n for n, row in enumerate(rows) if row[-4] is not None)
    assert units.cell(header + 1 + rated, 3 + 5 + 2).number_format == "0.0"
