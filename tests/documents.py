"""Reading Word documents back for the tests: fonts, sizes, margins, fields; and LibreOffice's PDF of them."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Mm

A4_POINTS = (595.3, 841.9)


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def all_paragraphs(document):
    """Body paragraphs and those inside tables, in order."""
    for block in document.element.body.iter(qn("w:p")):
        yield docx.text.paragraph.Paragraph(block, document)


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in all_paragraphs(document)]


def run_of(document, text: str):
    """The first run whose paragraph reads exactly `text`."""
    for paragraph in all_paragraphs(document):
        if paragraph.text == text:
            return paragraph.runs[0]
    raise AssertionError(f"no paragraph {text!r} in {texts(document)}")


def fonts_of(run) -> set[str]:
    fonts = run._r.rPr.rFonts
    return {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")}


def table_width(table) -> int:
    """The sum of the grid columns, in EMU."""
    return sum(column.width for column in table.columns)


def text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def assert_decree_page(document) -> None:
    """A4, margins 25/20/35/20 mm, Times New Roman in every slot, page number field in the header from page 2."""
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                       section.right_margin)] == [25, 20, 35, 20]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header = section.header.paragraphs[0]._p.xml
    assert "fldChar" in header and " PAGE " in header
    for table in document.tables:
        assert table_width(table) <= text_width(section) + Mm(0.5)


def to_pdf(data: bytes, folder: Path) -> Path:
    """LibreOffice's PDF of the document (its own profile folder: several runs may go at once)."""
    source = folder / "document.docx"
    source.write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: make test installs it (libreoffice-writer-nogui)"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return folder / "document.pdf"


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def words_outside_text_area(pdf: Path, left_mm: float = 35, right_mm: float = 20) -> list[str]:
    """Words of the body printed beyond the left or right margin (a table wider than the text width)."""
    import re
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    left, right = left_mm * 72 / 25.4 - 2, A4_POINTS[0] - right_mm * 72 / 25.4 + 2
    outside = []
    for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)',
                                         html):
        if float(x_min) < left or float(x_max) > right:
            outside.append(word)
    return outside
