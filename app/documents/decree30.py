"""Word documents laid out as Decree 30/2020/NĐ-CP, Appendix I asks (../shared/domain/report-format.md).

A4, margins 25/20/35/20 mm, Times New Roman (all four font slots), page numbers centred in the header from
page 2 on; the header table (issuing body, Số, V/v | national motto, place and date), the title, the body, the
signature table with Nơi nhận. Every table fits the 155 mm text width.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
MARGINS_MM = {"top": 25, "bottom": 20, "left": 35, "right": 20}
TEXT_WIDTH = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])  # 155 mm
HEADER_WIDTHS = (Cm(5.7), Cm(9.8))  # the body's cell, the motto's cell: 155 mm together
SIGNATURE_WIDTHS = (Cm(6.5), Cm(9.0))
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Heading:
    """What the coordinator fills in before downloading: who issues, the number, place, date and signer."""

    issuing_body: str  # one or two lines, e.g. "ỦY BAN NHÂN DÂN\nHUYỆN PHÚ NINH"
    number: str  # "Số: 12/UBND-VP" without "Số: "
    place: str
    on: date
    authority: str  # one line or two: "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "Q. CHỦ TỊCH"
    signer_title: str  # "PHÓ CHỦ TỊCH", or "" when the authority line says it all
    signer_name: str
    recipients: list[str] = field(default_factory=list)  # Nơi nhận, without the dashes
    parent_body: str = ""  # printed above the issuing body, not bold (a phòng under the UBND)


def vietnamese_date(place: str, on: date) -> str:
    """"Phú Ninh, ngày 05 tháng 01 năm 2025": a leading zero for days below 10 and for months 1 and 2."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def _fonts(r_pr) -> None:
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def new_document() -> Document:
    """A blank A4 document with the decree's margins, Times New Roman 14 single-spaced, page numbers from page 2."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, millimetres in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(millimetres))
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, BODY_SIZE
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after, normal.paragraph_format.space_before = Pt(0), Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section.different_first_page_header_footer = True  # page 1 shows no number
    _page_number(section.header.paragraphs[0])
    return document


def _page_number(paragraph) -> None:
    """A centred PAGE field at 14 pt (python-docx has no field API: the field characters are written as XML)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = BODY_SIZE
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def add_text(container, text: str, *, size: float = 14, bold=False, italic=False, align="center",
             before: float = 0, after: float = 0, indent: bool = False, upper=False):
    """A paragraph of one run; `container` is the document or a table cell."""
    paragraph = container.add_paragraph()
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    run = paragraph.add_run(text.upper() if upper else text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    _fonts(run._r.get_or_add_rPr())
    return paragraph


# What follows w:pBdr in w:pPr (the schema fixes the order; Word refuses a file that breaks it).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def _line(container, length, width, after: float = 0):
    """The short solid line under the motto, the body's name or the title: a paragraph 1 pt high whose bottom
    border is `length` long, centred in `width` by equal indents."""
    paragraph = container.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    paragraph_format.left_indent = paragraph_format.right_indent = int((width - length) / 2)
    paragraph_format.line_spacing = Pt(1)
    paragraph_format.space_before, paragraph_format.space_after = Pt(3), Pt(after)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _table(document, widths: Sequence, rows: int = 1, grid=False):
    table = document.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if grid:
        table.style = "Table Grid"
        _narrow_cell_margins(table)
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width
    return table


def _narrow_cell_margins(table, twips: int = 57) -> None:
    """0.1 cm inside each side of a cell (Word's default is 0.19 cm): narrow statistics columns keep whole words."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _first(cell):
    """A cell's first paragraph is empty and unstyled: remove it so the cell starts with ours."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def add_header(document, heading: Heading, subject: str | None = None) -> None:
    """The two-cell header: body, line, Số (and V/v for a công văn) | motto, line, place and date."""
    table = _table(document, HEADER_WIDTHS)
    left, right = (_first(cell) for cell in table.rows[0].cells)
    if heading.parent_body:
        add_text(left, heading.parent_body, size=12, upper=True)
    lines = [line for line in heading.issuing_body.splitlines() if line.strip()] or [""]
    for line in lines:
        add_text(left, line.strip(), size=12, bold=True, upper=True)
    _line(left, Cm(2.2), HEADER_WIDTHS[0], after=6)
    add_text(left, f"Số: {heading.number}", size=13)
    if subject:
        add_text(left, subject, size=12, before=6)
    add_text(right, MOTTO, size=12, bold=True)
    add_text(right, MOTTO_LINE, size=13, bold=True)
    _line(right, Cm(5.6), HEADER_WIDTHS[1], after=6)
    add_text(right, vietnamese_date(heading.place, heading.on), size=14, italic=True)


def add_title(document, kind: str, summary: str) -> None:
    """BÁO CÁO (the document type) and its summary in bold, with the short line under it."""
    add_text(document, kind, size=14, bold=True, upper=True, before=18)
    add_text(document, summary, size=14, bold=True)
    _line(document, Cm(3.5), TEXT_WIDTH, after=12)


def add_addressee(document, recipients: Sequence[str]) -> None:
    """Kính gửi: one recipient on the line, several as a list."""
    if len(recipients) == 1:
        add_text(document, f"Kính gửi: {recipients[0]}.", before=12, after=6)
        return
    add_text(document, "Kính gửi:", before=12)
    for index, name in enumerate(recipients):
        add_text(document, f"- {name}{'.' if index == len(recipients) - 1 else ';'}",
                 align="left").paragraph_format.left_indent = Cm(5)


def add_paragraph(document, text: str, keep_with_next: bool = False, **kwargs):
    """A body paragraph: justified, first line indented 1.27 cm, 6 pt before, 14 pt; `keep_with_next` for the
    sentence that introduces a table."""
    paragraph = add_text(document, text, **{"align": "justify", "indent": True, "before": 6, **kwargs})
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def add_section_heading(document, text: str, before: float = 6):
    """"I. KẾT QUẢ THỰC HIỆN", "1. …": bold, flush left, never the last line of a page."""
    paragraph = add_text(document, text, bold=True, align="justify", before=before)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _heading_rows(table, headings: Sequence[str], groups: Sequence[str | None] | None, size: float) -> int:
    """Write the column headings; with `groups`, a first row of group names over their columns (merged across)
    and, for columns outside a group, one heading merged down both rows. The number of heading rows."""
    for tr in table.rows[:2 if groups else 1]:
        marker = OxmlElement("w:tblHeader")  # repeated at the top of every page
        marker.set(qn("w:val"), "true")
        tr._tr.get_or_add_trPr().append(marker)
    if not groups:
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            add_text(_first(cell), text, size=size, bold=True)
        return 1
    top, below = table.rows[0].cells, table.rows[1].cells
    index = 0
    while index < len(headings):
        group = groups[index]
        if group is None:
            merged = top[index].merge(below[index])
            add_text(_first(merged), headings[index], size=size, bold=True)
            index += 1
            continue
        end = index
        while end + 1 < len(headings) and groups[end + 1] == group:
            end += 1
        add_text(_first(top[index].merge(top[end]) if end > index else top[index]), group, size=size, bold=True)
        for column in range(index, end + 1):
            add_text(_first(below[column]), headings[column], size=size, bold=True)
        index = end + 1
    return 2


def add_grid(document, headings: Sequence[str], rows: Sequence[Sequence], widths: Sequence,
             numeric_from: int = 99, groups: Sequence[str | None] | None = None, size: float = 12,
             bold_last: bool = False, heading_size: float | None = None):
    """A bordered table (statistics, lists); columns from `numeric_from` on are centred, rows never split
    across pages, headings repeated on each page. `bold_last`: the last row is the totals."""
    heading_count = 2 if groups else 1
    table = _table(document, widths, rows=heading_count + len(rows), grid=True)
    _heading_rows(table, headings, groups, heading_size or size)
    for number, (row, values) in enumerate(zip(table.rows[heading_count:], rows, strict=True), start=1):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            add_text(_first(cell), "" if value is None else str(value), size=size,
                     bold=bold_last and number == len(rows),
                     align="center" if index >= numeric_from or index == 0 else "left")
    return table


def add_signature(document, heading: Heading) -> None:
    """Nơi nhận on the left (12 bold italic, list at 11); authority, signer's title and name on the right."""
    table = _table(document, SIGNATURE_WIDTHS)
    left, right = (_first(cell) for cell in table.rows[0].cells)
    add_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=12)
    recipients = list(heading.recipients) or ["Như trên"]
    for index, name in enumerate(recipients):
        add_text(left, f"- {name}{'.' if index == len(recipients) - 1 else ';'}", size=11, align="left")
    for index, line in enumerate(line for line in heading.authority.splitlines() if line.strip()):
        add_text(right, line.strip(), size=14, bold=True, upper=True, before=12 if index == 0 else 0)
    if heading.signer_title:
        add_text(right, heading.signer_title, size=14, bold=True, upper=True)
    for _blank in range(4):
        add_text(right, "")
    add_text(right, heading.signer_name, size=14, bold=True)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
