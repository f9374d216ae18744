"""The blank sheet offered for download: the headings district offices use, and the units' names beside it."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from app.extensions import db
from app.imports.services import COLUMN_NAMES
from app.models import Directive, User
from app.permissions import assignable_units

WIDTHS = {"number": 6, "title": 60, "lead": 30, "cooperating": 36, "deadline": 13, "note": 30}
BLANK_ROWS = 200
_THIN = Side(style="thin", color="808080")


def template_workbook(directive: Directive | None, user: User) -> bytes:
    """An .xlsx with a title, the six headings (row 4) and a second sheet listing every active unit."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    heading_font = Font(name="Times New Roman", bold=True, size=12)
    sheet.merge_cells("A1:F1")
    sheet["A1"] = "DANH MỤC NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN"
    sheet["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:F2")
    sheet["A2"] = (f"(Kèm theo {directive.number}: {directive.summary})" if directive is not None else
                   "(Kèm theo văn bản số …)")
    sheet["A2"].font = Font(name="Times New Roman", italic=True, size=12)
    sheet["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.merge_cells("A3:F3")
    sheet["A3"] = ("Mỗi dòng một nhiệm vụ. Đơn vị ghi tên đầy đủ hoặc tên viết tắt (xem trang “Đơn vị”); nhiều đơn vị "
                   "phối hợp cách nhau bởi dấu phẩy hoặc chấm phẩy; thời hạn ghi dd/mm/yyyy.")
    sheet["A3"].font = Font(name="Times New Roman", size=11)
    sheet["A3"].alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[2].height, sheet.row_dimensions[3].height = 32, 34
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    for index, (key, heading) in enumerate(COLUMN_NAMES.items(), start=1):
        cell = sheet.cell(4, index, heading)
        cell.font = heading_font
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[key]
    for row in range(5, 5 + BLANK_ROWS):
        sheet.cell(row, 5).number_format = "DD/MM/YYYY"
        for column in (2, 3, 4, 6):
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    units = book.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Tên viết tắt"])
    for cell in units[1]:
        cell.font = heading_font
    for unit in db.session.scalars(assignable_units(user)):
        units.append([unit.name, unit.short_name])
        for cell in units[units.max_row]:
            cell.data_type = "s"  # a name typed as "=..." stays a name
    units.column_dimensions["A"].width, units.column_dimensions["B"].width = 50, 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
