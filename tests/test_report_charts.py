"""The report's charts are valid SVG, each with a title, a description and its table, and no style attribute."""
import re
import xml.etree.ElementTree as ET
from datetime import date

from app.reports.charts import coverage_bars, trend_line, unit_bars
from app.reports.figures import UnitRow
from app.reports.trends import TrendPoint
from app.tasks.classes import REPORTED_CLASSES, TaskClass
from app.teams.coverage import CommuneCoverage

SVG = "{http://www.w3.org/2000/svg}"


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", page, re.S)]


def test_every_chart_on_the_report_is_valid_svg_with_title_and_desc(signed_in):
    page = signed_in("lanhdao").get("/reports?period=quarter").text
    charts = _svgs(page)
    assert len(charts) == 4
    for svg in charts:
        assert [child.tag for child in svg[:2]] == [f"{SVG}title", f"{SVG}desc"]
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        assert all("style" not in element.attrib for element in svg.iter())
    assert page.count('class="chart-data"') == 4  # each with the table it draws


def test_the_unit_bars_draw_one_segment_per_class_present(app):
    with app.test_request_context():
        counts = {cls: 0 for cls in REPORTED_CLASSES} | {TaskClass.OPEN_OVERDUE: 2, TaskClass.DONE_ON_TIME: 1}
        chart = unit_bars([UnitRow(1, "UBND xã Tam An", counts, "Tam An")], date(2026, 11, 14))
        bars = [shape for shape in chart.shapes if shape.kind == "rect"]
        assert [bar.cls for bar in bars] == ["bar cls-open_overdue", "bar cls-done_on_time"]
        assert bars[0].w == 2 * bars[1].w
        assert chart.rows == [["UBND xã Tam An", 2, 0, 1, 0, 0, 3]]


def test_coverage_bars_mark_the_target_with_the_deadline(app):
    with app.test_request_context():
        chart = coverage_bars([CommuneCoverage(1, "UBND xã Tam An", 4, 2)], date(2026, 11, 14), date(2026, 12, 31))
        assert any(s.cls == "target" for s in chart.shapes)
        assert any("31/12/2026" in s.text for s in chart.shapes if s.cls == "target-label")


def test_a_trend_marks_a_deadline_within_its_weeks(app):
    with app.test_request_context():
        points = [TrendPoint(date(2026, 11, d), overdue=d, villages=10, covered=d // 7) for d in (7, 14, 21)]
        chart = trend_line("trend-overdue", "t", "d", points, lambda p: p.overdue, "n",
                           (date(2026, 11, 1), date(2026, 11, 30)), date(2026, 11, 25))
        assert [s.kind for s in chart.shapes].count("circle") == 3
        assert any(s.cls == "target" for s in chart.shapes)
