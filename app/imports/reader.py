"""Reading a directive's items and assignments from an .xlsx sheet as district offices write them.

The headings (STT, Nội dung nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn, Ghi chú) may stand in any order,
below title rows and merged title cells; they are recognised without case or diacritics. A file is refused as a
whole (not .xlsx, too big, macros, formulas, broken): FileRefused. Rows are read into plain values kept for the
preview; checking them against the units is app/imports/services.py.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from app.rules import RuleError
from app.vntext import fold

# Heading -> the folded ways offices write it.
HEADINGS = {
    "number": ("stt", "so tt", "so thu tu", "tt"),
    "title": ("noi dung nhiem vu", "noi dung", "nhiem vu", "ten nhiem vu", "noi dung cong viec"),
    "lead": ("don vi chu tri", "chu tri", "co quan chu tri", "don vi thuc hien"),
    "cooperating": ("don vi phoi hop", "phoi hop", "co quan phoi hop"),
    "deadline": ("thoi han", "thoi han hoan thanh", "han hoan thanh", "thoi gian hoan thanh"),
    "note": ("ghi chu",),
}
REQUIRED_HEADINGS = ("title", "lead")
# Where the headings may be: below at most this many title rows.
HEADING_SEARCH_ROWS = 20
MAX_ROWS = 2000
# An .xlsx is a zip: its unpacked size is bounded too (a small file can unpack to gigabytes).
MAX_UNPACKED_FACTOR = 40
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


class FileRefused(RuleError):
    """The file as a whole cannot be read; nothing is imported. The message goes on the sheet field."""

    def __init__(self, message):
        super().__init__(message, field="sheet")


@dataclass
class SheetRow:
    """One row of the sheet as typed: its row number in the sheet and the cells' text (a date as ISO)."""

    row: int
    number: str
    title: str
    lead: str
    cooperating: str
    deadline: str
    note: str

    def to_json(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _heading_key(value) -> str | None:
    folded = re.sub(r"[^a-z0-9 ]", " ", fold(_text(value)))
    folded = " ".join(folded.split())
    for key, names in HEADINGS.items():
        if folded in names:
            return key
    return None


def read_upload(upload, max_bytes: int) -> tuple[list[SheetRow], str]:
    """The rows of an uploaded file (a werkzeug FileStorage) and its SHA-256; FileRefused for anything but a
    readable .xlsx of at most `max_bytes`."""
    if not (upload.filename or "").lower().endswith(".xlsx"):
        raise FileRefused(_l("Only Excel workbooks (.xlsx) can be imported. A .xls, .xlsm or .csv file: "
                             "open it in Excel and save it as “Excel Workbook (.xlsx)”."))
    data = upload.read(max_bytes + 1)
    return read_rows(data, max_bytes), hashlib.sha256(data).hexdigest()


def check_package(data: bytes, max_bytes: int) -> zipfile.ZipFile:
    """The file is a zip of reasonable size with no macros, else FileRefused."""
    if len(data) > max_bytes:
        raise FileRefused(_l("The file is larger than %(size)d MB.", size=max(1, max_bytes // 2**20)))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = [info.filename.lower() for info in package.infolist()]
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_l("This is not an Excel workbook (.xlsx), or the file is damaged.")) from None
    if any(name.endswith(MACRO_PARTS) for name in names):
        raise FileRefused(_l("The workbook contains macros. Save it as an Excel Workbook (.xlsx) without macros."))
    if "xl/workbook.xml" not in names:
        raise FileRefused(_l("This is not an Excel workbook (.xlsx), or the file is damaged."))
    if unpacked > max_bytes * MAX_UNPACKED_FACTOR:
        raise FileRefused(_l("The workbook is too large once unpacked."))
    return package


def read_rows(data: bytes, max_bytes: int) -> list[SheetRow]:
    """The item rows of the first sheet that has the headings; FileRefused when the file cannot be used."""
    check_package(data, max_bytes)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise FileRefused(_l("This is not an Excel workbook (.xlsx), or the file is damaged.")) from None
    for sheet in book.worksheets:
        found = _find_headings(sheet)
        if found is not None:
            heading_row, columns = found
            return _rows_below(sheet, heading_row, columns)
    raise FileRefused(_l("No row with the headings “Nội dung nhiệm vụ” and “Đơn vị chủ trì” was found "
                         "in the first %(n)d rows. Download the template to see them.", n=HEADING_SEARCH_ROWS))


def _is_column_numbering(values: dict[str, str]) -> bool:
    """The row of column numbers many tables carry under their headings: (1) (2) (3) ..."""
    return all(COLUMN_NUMBER.match(value) for value in values.values() if value) and bool(
        COLUMN_NUMBER.match(values.get("title", "")))


def _find_headings(sheet) -> tuple[int, dict[str, int]] | None:
    for row in sheet.iter_rows(min_row=1, max_row=HEADING_SEARCH_ROWS):
        columns: dict[str, int] = {}
        for cell in row:
            key = _heading_key(cell.value)
            if key and key not in columns:
                columns[key] = cell.column
        if all(key in columns for key in REQUIRED_HEADINGS):
            return row[0].row, columns
    return None


def _rows_below(sheet, heading_row: int, columns: dict[str, int]) -> list[SheetRow]:
    rows = []
    for row in sheet.iter_rows(min_row=heading_row + 1):
        cells = {key: row[column - 1] if column - 1 < len(row) else None for key, column in columns.items()}
        for cell in cells.values():
            if cell is not None and cell.data_type == "f":
                raise FileRefused(_l("Cell %(cell)s holds a formula. Replace formulas by their values "
                                     "(copy, paste as values) and upload again.", cell=cell.coordinate))
        values = {key: _text(cell.value) if cell is not None else "" for key, cell in cells.items()}
        if not any(values.values()) or _is_column_numbering(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRefused(_l("The sheet has more than %(n)d rows.", n=MAX_ROWS))
        rows.append(SheetRow(row=row[0].row, **{key: values.get(key, "") for key in HEADINGS}))
    if not rows:
        raise FileRefused(_l("The sheet has headings but no rows below them."))
    return rows
