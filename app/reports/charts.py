"""Server-drawn SVG charts: the geometry is computed here, templates/reports/_charts.html writes the elements.

No style attributes (the CSP forbids them): every colour comes from a class of static/css/app.css. Each chart carries
its title, a description and the table it draws, which the page offers as its accessible alternative.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.labels import label
from app.reports.figures import UnitRow
from app.reports.trends import TrendPoint
from app.tasks.classes import REPORTED_CLASSES
from app.teams.coverage import CommuneCoverage

WIDTH = 480
LABEL_WIDTH = 128
RIGHT = 26
ROW = 24
BAR = 16
TOP = 28
AXIS = 24


@dataclass(frozen=True)
class Shape:
    """One SVG element: kind is rect, line, text, polyline or circle; `tip` becomes its <title>."""

    kind: str
    cls: str
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    x2: float = 0
    y2: float = 0
    text: str = ""
    anchor: str = "start"
    points: str = ""
    tip: str = ""


@dataclass
class Chart:
    """An SVG chart with its accessible name, description and data table."""

    key: str
    title: str
    desc: str
    height: float
    headers: list[str]
    rows: list[list]
    shapes: list[Shape] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)
    width: int = WIDTH


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _scale_ticks(maximum: int) -> list[int]:
    """Three or so round ticks from 0 up to at least `maximum`."""
    step = max(1, -(-maximum // 4))
    return list(range(0, max(maximum, 1) + step, step))


def unit_bars(rows: list[UnitRow], as_of: date) -> Chart:
    """Stacked bars: each unit's tasks by class at the period's end."""
    classes = list(REPORTED_CLASSES)
    plot = WIDTH - LABEL_WIDTH - RIGHT
    ticks = _scale_ticks(max((row.total for row in rows), default=0))
    per_task = plot / ticks[-1]
    chart = Chart("units", _("Tasks of each unit by class"),
                  _("Stacked bars, one per unit: its tasks in each class on %(date)s.", date=_fmt(as_of)),
                  TOP + ROW * len(rows) + AXIS, [_("Unit"), *[label(cls) for cls in classes], _("Total")],
                  [[row.name, *[row.counts[cls] for cls in classes], row.total] for row in rows],
                  legend=[(f"cls-{cls}", label(cls)) for cls in classes])
    _axis(chart, ticks, per_task, TOP + ROW * len(rows))
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        chart.shapes.append(Shape("text", "chart-label", x=LABEL_WIDTH - 6, y=y + BAR - 3, text=row.short_name or
                                  row.name, anchor="end", tip=row.name))
        x = LABEL_WIDTH
        for cls in classes:
            count = row.counts[cls]
            if count:
                chart.shapes.append(Shape("rect", f"bar cls-{cls}", x=x, y=y, w=count * per_task, h=BAR,
                                          tip=f"{row.name}: {label(cls)} {count}"))
                x += count * per_task
    return chart


def _axis(chart: Chart, ticks: list[int], per_unit: float, bottom: float, suffix: str = "") -> None:
    for tick in ticks:
        x = LABEL_WIDTH + tick * per_unit
        chart.shapes.append(Shape("line", "grid", x=x, y=TOP - 6, x2=x, y2=bottom))
        chart.shapes.append(Shape("text", "tick", x=x, y=bottom + 16, text=f"{tick}{suffix}", anchor="middle"))


def coverage_bars(rows: list[CommuneCoverage], as_of: date, deadline: date | None, target: int = 100) -> Chart:
    """Bars: each commune's coverage against the 100 % target, the deadline in the target's mark."""
    plot = WIDTH - LABEL_WIDTH - RIGHT
    per_percent = plot / 100
    mark = (_("Target %(percent)s %% · deadline %(date)s", percent=target, date=_fmt(deadline)) if deadline
            else _("Target %(percent)s %%", percent=target))
    desc = _("Bars, one per commune: the share of its villages with a Community Technology Team on %(date)s, "
             "against the target of %(percent)s %%.", date=_fmt(as_of), percent=target)
    if deadline:
        desc += " " + _("Deadline: %(date)s.", date=_fmt(deadline))
    bottom = TOP + ROW * len(rows)
    chart = Chart("coverage", _("Team coverage per commune"), desc, bottom + AXIS,
                  [_("Commune"), _("Villages"), _("With a team"), _("Coverage") + " (%)"],
                  [[row.name, row.villages, row.covered, row.percent] for row in rows])
    _axis(chart, [0, 25, 50, 75, 100], per_percent, bottom, " %")
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        chart.shapes.append(Shape("text", "chart-label", x=LABEL_WIDTH - 6, y=y + BAR - 3,
                                  text=_short(row.name), anchor="end", tip=row.name))
        chart.shapes.append(Shape("rect", "bar track", x=LABEL_WIDTH, y=y, w=plot, h=BAR))
        if row.covered:
            cls = "bar coverage-done" if row.percent >= target else "bar coverage-part"
            chart.shapes.append(Shape("rect", cls, x=LABEL_WIDTH, y=y, w=row.percent * per_percent, h=BAR,
                                      tip=f"{row.name}: {row.covered}/{row.villages} ({row.percent} %)"))
    x = LABEL_WIDTH + target * per_percent
    chart.shapes.append(Shape("line", "target", x=x, y=TOP - 8, x2=x, y2=bottom))
    chart.shapes.append(Shape("text", "target-label", x=x, y=TOP - 12, text=mark, anchor="end"))
    return chart


def _short(name: str) -> str:
    """A commune's name without "UBND xã/thị trấn", which every bar would repeat."""
    for prefix in ("UBND thị trấn ", "UBND xã ", "UBND phường "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def trend_line(key: str, title: str, desc: str, points: list[TrendPoint], value, heading: str,
               axis: tuple[date, date], deadline: date | None = None, percent: bool = False) -> Chart:
    """A line over the period (`axis`: its first and last day), one point per week's end; `value` picks the
    number of each point. A period still running has points up to today only."""
    values = [value(point) for point in points]
    top = 100 if percent else max(_scale_ticks(max(values, default=0)))
    height = 180
    plot_w, plot_h = WIDTH - 48 - RIGHT, height - TOP - AXIS
    span = (axis[1] - axis[0]).days or 1

    def x_of(day: date) -> float:
        return 48 + plot_w * (day - axis[0]).days / span

    xy = [(x_of(point.day), TOP + plot_h - (v / top) * plot_h if top else TOP + plot_h)
          for point, v in zip(points, values, strict=True)]
    chart = Chart(key, title, desc, height, [_("Week ending"), heading],
                  [[_fmt(point.day), v] for point, v in zip(points, values, strict=True)])
    for tick in ([0, 50, 100] if percent else _scale_ticks(int(top))):
        y = TOP + plot_h - (tick / top) * plot_h if top else TOP + plot_h
        chart.shapes.append(Shape("line", "grid", x=48, y=y, x2=WIDTH - RIGHT, y2=y))
        chart.shapes.append(Shape("text", "tick", x=42, y=y + 4, text=f"{tick}{' %' if percent else ''}",
                                  anchor="end"))
    for day, anchor in ((axis[0], "start"), (axis[1], "end")):
        chart.shapes.append(Shape("text", "tick", x=x_of(day), y=height - 6, text=_fmt(day), anchor=anchor))
    if deadline and axis[0] <= deadline <= axis[1]:
        x = x_of(deadline)
        chart.shapes.append(Shape("line", "target", x=x, y=TOP - 8, x2=x, y2=TOP + plot_h))
        chart.shapes.append(Shape("text", "target-label", x=x, y=TOP - 12,
                                  text=_("Deadline %(date)s", date=_fmt(deadline)),
                                  anchor="end" if x > WIDTH / 2 else "start"))
    chart.shapes.append(Shape("polyline", f"line {key}", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)))
    for (x, y), point, v in zip(xy, points, values, strict=True):
        chart.shapes.append(Shape("circle", f"dot {key}", x=x, y=y, tip=f"{_fmt(point.day)}: {v}"))
    return chart


def report_charts(report, trend: list[TrendPoint], deadline: date | None, target: int = 100) -> list[Chart]:
    """The report's four charts: units by class, coverage per commune, and the weekly trends."""
    charts = [unit_bars(report.unit_rows, report.as_of)]
    axis = (report.start, report.end)
    if report.coverage_rows:
        charts.append(coverage_bars(report.coverage_rows, report.as_of, deadline, target))
    if trend:
        charts.append(trend_line("trend-coverage", _("Team coverage week by week"),
                                 _("A line: the share of villages with a team at the end of each week of the period."),
                                 trend, lambda p: p.percent, _("Coverage") + " (%)", axis, deadline, percent=True))
        charts.append(trend_line("trend-overdue", _("Overdue tasks week by week"),
                                 _("A line: the tasks overdue and not done at the end of each week of the period."),
                                 trend, lambda p: p.overdue, _("Overdue tasks"), axis))
    return charts
