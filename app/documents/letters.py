"""The urging letter (công văn đôn đốc, Mẫu 1.5) to a unit about its overdue tasks.

The document's words are Vietnamese whatever the interface language: it is an administrative document in the
Decree 30 form, not a screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.shared import Cm

from app.documents.decree30 import (
    Heading,
    add_addressee,
    add_grid,
    add_header,
    add_paragraph,
    add_signature,
    new_document,
    to_bytes,
)
from app.labels import label
from app.models import Directive, Organization, Task

TASK_WIDTHS = (Cm(1.2), Cm(5.5), Cm(3.0), Cm(2.5), Cm(1.7), Cm(1.6))  # 15.5 cm: the text width
TASK_HEADINGS = ("STT", "Nhiệm vụ", "Văn bản giao", "Thời hạn", "Số ngày quá hạn", "Tiến độ (%)")
SUBJECT = "V/v đôn đốc thực hiện nhiệm vụ quá hạn"


@dataclass
class UrgingLetter:
    heading: Heading
    unit: Organization
    addressee: str
    opening: str
    report_by: date
    as_of: date
    tasks: list[Task]
    subject: str = SUBJECT
    level: str = "huyện"  # the issuing People's Committee's level (its area's level name): UBND huyện, UBND tỉnh


def _directive_phrase(directive: Directive) -> str:
    return (f"{label(directive.doc_type)} số {directive.number} ngày {directive.issued_on:%d/%m/%Y} "
            f"của {directive.issuer} {directive.summary[:1].lower()}{directive.summary[1:]}")


def default_opening(tasks: list[Task], level: str = "huyện") -> str:
    """"Thực hiện …" naming the directive the tasks come from (or saying there are several)."""
    directives = list(dict.fromkeys(task.item.directive for task in tasks))
    source = _directive_phrase(directives[0]) if len(directives) == 1 else f"các văn bản chỉ đạo của UBND {level}"
    return f"Thực hiện {source}, UBND {level} đã giao nhiệm vụ cho các đơn vị triển khai thực hiện."


def _task_rows(tasks: list[Task], as_of: date) -> list[tuple]:
    return [(number, task.item.title, task.item.directive.number, f"{task.effective_deadline:%d/%m/%Y}",
             (as_of - task.effective_deadline).days, task.shown_progress)
            for number, task in enumerate(tasks, start=1)]


def urging_letter_docx(letter: UrgingLetter) -> bytes:
    """The letter as .docx: header, Kính gửi, the situation with the list of overdue tasks, the request, signature."""
    document = new_document()
    add_header(document, letter.heading, subject=letter.subject)
    add_addressee(document, [letter.addressee])
    if letter.opening.strip():
        for text in letter.opening.strip().splitlines():
            if text.strip():
                add_paragraph(document, text.strip())
    count = len(letter.tasks)
    add_paragraph(document, f"Qua theo dõi trên hệ thống Điều hành, đến ngày {letter.as_of:%d/%m/%Y}, "
                            f"{letter.unit.name} còn {count} nhiệm vụ quá hạn chưa hoàn thành, cụ thể như sau:",
                  keep_with_next=True)
    add_grid(document, TASK_HEADINGS, _task_rows(letter.tasks, letter.as_of), TASK_WIDTHS, numeric_from=3)
    committee, office = f"UBND {letter.level}", f"Văn phòng HĐND và UBND {letter.level}"
    add_paragraph(document, f"Để bảo đảm tiến độ, chất lượng thực hiện nhiệm vụ được giao, Chủ tịch {committee} "
                            f"yêu cầu {letter.unit.name} khẩn trương triển khai, hoàn thành dứt điểm các nhiệm vụ "
                            f"nêu trên; "
                            f"báo cáo kết quả bằng văn bản về {committee} (qua {office}) trước "
                            f"ngày {letter.report_by:%d/%m/%Y}. Trường hợp không hoàn thành phải giải trình rõ "
                            f"nguyên nhân, trách nhiệm của tập thể, cá nhân có liên quan.", before=6)
    add_paragraph(document, f"Giao {office} theo dõi, đôn đốc, tổng hợp kết quả, báo cáo {committee} theo quy "
                            f"định./.")
    add_signature(document, letter.heading)
    return to_bytes(document)
