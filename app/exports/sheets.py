"""Spreadsheets written as they are read: .xlsx through openpyxl's write-only mode, .csv row by row.

A table is a title, a few heading lines (scope, date), columns and an iterator of rows; nothing holds all
the rows at once, so a 50,000-task export takes the memory of one batch.
"""
from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# What Excel and LibreOffice read as the start of a formula (OWASP "CSV injection"), tab and CR included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

_THIN = Side(style="thin", color="808080")
_HEADER_FONT = Font(name="Times New Roman", bold=True, size=12)
_BODY_FONT = Font(name="Times New Roman", size=12)
_TITLE_FONT = Font(name="Times New Roman", bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass
class Column:
    """A column: its heading, its width in characters, and whether its values are people's text."""

    heading: str
    width: float = 14
    text: bool = False  # typed by users: never read as a formula
    wrap: bool = False
    number_format: str | None = None


@dataclass
class Table:
    title: str
    heading_lines: list[str]
    columns: list[Column]
    rows: Iterable[tuple]
    sheet_name: str = "Sheet1"
    notes: list[str] = field(default_factory=list)


def neutralised(value: str) -> str:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe (shown as typed)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _plain(value):
    """Lazy (translated) strings and other objects as text; numbers, dates and None as they are."""
    return value if value is None or isinstance(value, (str, int, float, date)) else str(value)


class _Styles:
    """The workbook's few cell styles, registered once as named styles: assigning a name is about twice as fast
    as assigning font, border and alignment to each of 500,000 cells."""

    def __init__(self, book: Workbook):
        self.book, self.names = book, set()

    def name(self, kind: str, *, wrap: bool = False, number_format: str = "General") -> str:
        name = f"{kind}-{int(wrap)}-{number_format}"
        if name not in self.names:
            style = NamedStyle(name=name, number_format=number_format)
            if kind == "header":
                style.font, style.fill, style.border = _HEADER_FONT, _HEADER_FILL, _BORDER
                style.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif kind == "title":
                style.font = _TITLE_FONT
            elif kind == "line":
                style.font = _BODY_FONT
            else:
                style.font, style.border = _BODY_FONT, _BORDER
                style.alignment = Alignment(vertical="top", wrap_text=wrap)
            self.book.add_named_style(style)
            self.names.add(name)
        return name


def _cell(sheet, styles: _Styles, value, column: Column | None = None, kind: str = "body"):
    value = _plain(value)
    cell = WriteOnlyCell(sheet, value=value)
    if column is None or kind != "body":
        cell.style = styles.name(kind)
    elif isinstance(value, date):
        cell.style = styles.name(kind, number_format="DD/MM/YYYY")
    elif column.number_format and isinstance(value, (int, float)):
        cell.style = styles.name(kind, number_format=column.number_format)
    else:
        cell.style = styles.name(kind, wrap=column.wrap)
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula: force a plain string, and Excel's "typed as text" mark.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def _print_setup(sheet, heading_row: int) -> None:
    """Printed on A4 landscape, every column on one page wide, the headings repeated on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{heading_row}:{heading_row}"


def _heading_height(columns: list[Column]) -> float:
    """Points for the headings row: as many lines as the longest heading needs in its column's width."""
    return 16.0 * max(_lines(column.heading, column.width) for column in columns)


def _lines(text: str, width: float) -> int:
    return sum(max(1, math.ceil(len(part) / max(width - 1, 1))) for part in text.split("\n"))


def _row_height(row: tuple, columns: list[Column]) -> float | None:
    """Points for a row whose wrapped cells need more than one line; None for one line."""
    lines = max((_lines(str(value), column.width) for value, column in zip(row, columns, strict=True)
                 if column.wrap and value), default=1)
    return 15.0 * lines if lines > 1 else None


def write_xlsx(tables: list[Table], path: str) -> None:
    """Write the tables, one sheet each: title, heading lines, frozen column headings, then the rows."""
    book = Workbook(write_only=True)
    styles = _Styles(book)
    for table in tables:
        sheet = book.create_sheet(table.sheet_name[:31])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        first = len(table.heading_lines) + 3  # title, heading lines, a blank line, then the headings
        sheet.freeze_panes = f"A{first + 1}"
        _print_setup(sheet, first)
        sheet.row_dimensions[first].height = _heading_height(table.columns)
        sheet.append([_cell(sheet, styles, table.title, kind="title")])
        for line in table.heading_lines:
            sheet.append([_cell(sheet, styles, line, kind="line")])
        sheet.append([])
        sheet.append([_cell(sheet, styles, column.heading, column, kind="header") for column in table.columns])
        row_number = first
        for row in table.rows:
            row_number += 1
            # Spreadsheets do not grow a written row for its wrapped text: give it the lines it needs,
            # and forget the height once the row is written (50,000 of them must not pile up).
            height = _row_height(row, table.columns)
            if height:
                sheet.row_dimensions[row_number].height = height
            sheet.append([_cell(sheet, styles, value, column)
                          for value, column in zip(row, table.columns, strict=True)])
            sheet.row_dimensions.pop(row_number, None)
        for note in table.notes:
            sheet.append([_cell(sheet, styles, note, kind="line")])
    book.save(path)


def xlsx_chunks(tables: list[Table]) -> Iterator[bytes]:
    """The workbook's bytes: written to a temporary file (flat memory), read back in chunks, then removed."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(tables, path)
        with open(path, "rb") as written:
            while chunk := written.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _csv_value(value, column: Column) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and column.text:
        return neutralised(value)
    return str(value)


def csv_chunks(table: Table, batch: int = 500) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads Vietnamese), the column headings, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.heading for column in table.columns])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_value(value, column) for value, column in zip(row, table.columns, strict=True)])
        if count % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
