"""The period report (báo cáo, Mẫu 1.4) from report_figures: results with the statistics table, coverage,
outreach, partner support, shortcomings, next steps.

Its words are Vietnamese whatever the interface language (an administrative document, not a screen).
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.shared import Cm

from app.documents.decree30 import (
    Heading,
    add_addressee,
    add_grid,
    add_header,
    add_paragraph,
    add_section_heading,
    add_signature,
    add_title,
    new_document,
    to_bytes,
)
from app.labels import label
from app.reports.figures import Report, UnitRow
from app.tasks.classes import TaskClass
from app.teams.coverage import coverage_percent

# STT, unit, total, done on time / late, open on time / overdue, no deadline, on-time rate, rank: 15.5 cm
UNIT_WIDTHS = (Cm(1.0), Cm(3.6), Cm(1.3), Cm(1.4), Cm(1.4), Cm(1.4), Cm(1.4), Cm(1.3), Cm(1.5), Cm(1.2))
UNIT_HEADINGS = ("STT", "Đơn vị", "Tổng số", "Đúng hạn", "Quá hạn", "Trong hạn", "Quá hạn", "Không thời hạn",
                 "Tỷ lệ đúng hạn (%)", "Xếp hạng")
UNIT_GROUPS = (None, None, None, "Đã hoàn thành", "Đã hoàn thành", "Chưa hoàn thành", "Chưa hoàn thành", None, None,
               None)
COVERAGE_WIDTHS = (Cm(1.2), Cm(7.3), Cm(2.3), Cm(2.4), Cm(2.3))
OUTREACH_WIDTHS = (Cm(1.2), Cm(6.7), Cm(2.4), Cm(2.6), Cm(2.6))
NEXT_STEPS = ("Tiếp tục chỉ đạo các đơn vị tập trung hoàn thành dứt điểm các nhiệm vụ quá hạn; theo dõi, đôn đốc "
              "thường xuyên trên hệ thống Điều hành; biểu dương đơn vị thực hiện tốt, phê bình đơn vị chậm trễ.")


@dataclass
class PeriodReport:
    heading: Heading
    summary: str
    opening: str
    addressees: list[str]
    next_steps: str
    figures: Report


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def default_summary(report: Report) -> str:
    directives = ", ".join(f"số {d.number}" for d in report.directives)
    scope = f" theo văn bản {directives}" if directives else ""
    return (f"Kết quả thực hiện nhiệm vụ{scope} từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}")


def default_opening(report: Report, level: str = "huyện") -> str:
    return (f"Thực hiện chế độ báo cáo định kỳ theo Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ, "
            f"UBND {level} báo cáo kết quả thực hiện nhiệm vụ từ ngày {report.start:%d/%m/%Y} đến ngày "
            f"{report.end:%d/%m/%Y} (số liệu tính đến ngày {report.as_of:%d/%m/%Y}) như sau:")


def _unit_row(number, row: UnitRow) -> tuple:
    counts = row.counts
    return (number, row.name, row.total, counts[TaskClass.DONE_ON_TIME], counts[TaskClass.DONE_LATE],
            counts[TaskClass.OPEN_ON_TIME], counts[TaskClass.OPEN_OVERDUE], counts[TaskClass.NO_DEADLINE],
            _pct(row.on_time_rate), row.rank or "-")


def _results(document, report: Report) -> None:
    total = report.totals
    counts = total.counts
    done = counts[TaskClass.DONE_ON_TIME] + counts[TaskClass.DONE_LATE]
    still_open = counts[TaskClass.OPEN_ON_TIME] + counts[TaskClass.OPEN_OVERDUE]
    add_section_heading(document, "I. KẾT QUẢ THỰC HIỆN", before=12)
    add_section_heading(document, "1. Tình hình thực hiện nhiệm vụ được giao", before=6)
    extended = (f"; {total.done_after_extension} nhiệm vụ đúng hạn sau khi được gia hạn"
                if total.done_after_extension else "")
    add_paragraph(document, (
        f"Tổng số nhiệm vụ được giao: {total.total}; đã hoàn thành {done} (đúng hạn "
        f"{counts[TaskClass.DONE_ON_TIME]}, quá hạn {counts[TaskClass.DONE_LATE]}); chưa hoàn thành {still_open} "
        f"(trong hạn {counts[TaskClass.OPEN_ON_TIME]}, quá hạn {counts[TaskClass.OPEN_OVERDUE]}); không thời hạn "
        f"{counts[TaskClass.NO_DEADLINE]}. Trên {total.due} nhiệm vụ đã đến hạn, tỷ lệ hoàn thành đúng hạn đạt "
        f"{_pct(total.on_time_rate)}%, tỷ lệ quá hạn chưa hoàn thành {_pct(total.overdue_rate)}%"
        f"{extended}"
        f". Chi tiết theo đơn vị:"), keep_with_next=True)
    rows = [_unit_row(n, row) for n, row in enumerate(report.unit_rows, start=1)]
    rows.append(("", "Tổng cộng", *_unit_row("", total)[2:-1], ""))
    add_grid(document, UNIT_HEADINGS, rows, UNIT_WIDTHS, numeric_from=2, groups=UNIT_GROUPS, size=11,
             bold_last=True, heading_size=10)


def _coverage(document, report: Report) -> None:
    if not report.coverage_rows:
        return
    villages = sum(row.villages for row in report.coverage_rows)
    covered = sum(row.covered for row in report.coverage_rows)
    add_section_heading(document, "2. Tổ công nghệ cộng đồng", before=6)
    percent = coverage_percent(covered, villages)
    add_paragraph(document, f"Đến ngày {report.as_of:%d/%m/%Y}, {covered}/{villages} thôn, khối phố đã có Tổ công "
                            f"nghệ cộng đồng (đạt {percent}%).", keep_with_next=True)
    rows = [(n, row.name, row.villages, row.covered, row.percent)
            for n, row in enumerate(report.coverage_rows, start=1)]
    add_grid(document, ("STT", "Xã, thị trấn", "Số thôn, khối phố", "Đã có Tổ", "Tỷ lệ (%)"), rows,
             COVERAGE_WIDTHS, numeric_from=2, size=11)


def _outreach_and_support(document, report: Report) -> None:
    add_section_heading(document, "3. Công tác tuyên truyền, hỗ trợ người dân", before=6)
    kinds = report.outreach_by_kind
    activities = sum(row.activities for row in kinds)
    if kinds:
        add_paragraph(document, f"Trong kỳ, các đơn vị tổ chức {activities} hoạt động tuyên truyền với "
                                f"{sum(row.participants for row in kinds)} lượt người tham dự, tiếp cận "
                                f"{sum(row.households for row in kinds)} hộ gia đình:", keep_with_next=True)
        rows = [(n, str(label(row.kind)), row.activities, row.participants, row.households)
                for n, row in enumerate(kinds, start=1)]
        add_grid(document, ("STT", "Hình thức", "Số hoạt động", "Lượt người", "Số hộ"), rows, OUTREACH_WIDTHS,
                 numeric_from=2, size=11)
    else:
        add_paragraph(document, "Trong kỳ, chưa có hoạt động tuyên truyền nào được ghi nhận trên hệ thống.")
    states = "; ".join(f"{str(label(status)).lower()} {count}" for status, count in report.tickets_by_status.items())
    add_paragraph(document, f"Yêu cầu hỗ trợ phần mềm gửi các doanh nghiệp (tính đến ngày "
                            f"{report.as_of:%d/%m/%Y}): {states}.")


def _shortcomings(document, report: Report) -> None:
    add_section_heading(document, "II. TỒN TẠI, HẠN CHẾ", before=12)
    behind = sorted((row for row in report.unit_rows if row.counts[TaskClass.OPEN_OVERDUE]),
                    key=lambda row: -row.counts[TaskClass.OPEN_OVERDUE])
    if behind:
        names = ", ".join(f"{row.name} ({row.counts[TaskClass.OPEN_OVERDUE]})" for row in behind)
        add_paragraph(document, f"Còn {report.totals.counts[TaskClass.OPEN_OVERDUE]} nhiệm vụ quá hạn chưa hoàn "
                                f"thành, tại các đơn vị: {names}.")
    else:
        add_paragraph(document, "Không có nhiệm vụ quá hạn chưa hoàn thành.")


def period_report_docx(document_data: PeriodReport) -> bytes:
    """The report as .docx in the Decree 30 form."""
    report = document_data.figures
    document = new_document()
    add_header(document, document_data.heading)
    add_title(document, "BÁO CÁO", document_data.summary)
    if document_data.addressees:
        add_addressee(document, document_data.addressees)
    for text in document_data.opening.splitlines():
        if text.strip():
            add_paragraph(document, text.strip())
    _results(document, report)
    _coverage(document, report)
    _outreach_and_support(document, report)
    _shortcomings(document, report)
    add_section_heading(document, "III. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI", before=12)
    steps = [line.strip() for line in (document_data.next_steps or NEXT_STEPS).splitlines() if line.strip()]
    for index, text in enumerate(steps):
        last = index == len(steps) - 1
        add_paragraph(document, (text.removesuffix("./.").rstrip(".") + "./.") if last else text)
    add_signature(document, document_data.heading)
    return to_bytes(document)
