"""Reporting periods with the cut-offs of Decree 09/2019 (Điều 12): the 15th of one month to the 14th of the next.

A month's report covers the 15th of the previous month to the 14th of the report month; a quarter runs 15/12, 15/3,
15/6 or 15/9 to the 14th of its last month; six months 15/12 → 14/6 and 15/6 → 14/12; a year 15/12 → 14/12. The
decree sets no weekly cut-off: a week is Monday to Sunday. Custom periods are any two dates at most MAX_DAYS apart.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

# The decree's cut-off: a period starts on this day of a month and ends the day before it.
CUTOFF_DAY = 15
MAX_DAYS = 366 * 2
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class PeriodKind(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    CUSTOM = "custom"


# Months in which each kind of period ends (its report month).
_END_MONTHS = {
    PeriodKind.MONTH: tuple(range(1, 13)),
    PeriodKind.QUARTER: (3, 6, 9, 12),
    PeriodKind.HALF_YEAR: (6, 12),
    PeriodKind.YEAR: (12,),
}


@dataclass(frozen=True)
class Period:
    """A reporting period: its kind and its first and last days (both included)."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous cut-off period, or as many days before a custom one."""
        if self.kind == PeriodKind.CUSTOM:
            end = self.start - timedelta(days=1)
            return Period(self.kind, end - timedelta(days=self.days - 1), end)
        return period_containing(self.kind, self.start - timedelta(days=1))

    def following(self) -> Period:
        """The period just after."""
        if self.kind == PeriodKind.CUSTOM:
            start = self.end + timedelta(days=1)
            return Period(self.kind, start, start + timedelta(days=self.days - 1))
        return period_containing(self.kind, self.end + timedelta(days=1))

    def week_ends(self, until: date | None = None) -> list[date]:
        """The last day of each week of the period (every 7th day from its start) and its end; for a period
        still running (`until` before its end), the week ends up to `until` and `until` itself."""
        last = min(self.end, until) if until else self.end
        ends = [day for day in _days(self.start + timedelta(days=6), last, 7)]
        if last >= self.start and (not ends or ends[-1] != last):
            ends.append(last)
        return ends


def _days(first: date, last: date, step: int):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


def _cutoff(year: int, month: int) -> date:
    """The cut-off day of a month; months before January roll back into the previous year."""
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, CUTOFF_DAY)


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of this kind that contains the day (custom periods have no rule: the day alone)."""
    if kind == PeriodKind.CUSTOM:
        return Period(kind, day, day)
    if kind == PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    # The report month: a day from the 15th on belongs to the next month's report.
    year, month = (day.year, day.month) if day.day < CUTOFF_DAY else (
        (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1))
    end_month = next(m for m in _END_MONTHS[kind] if m >= month)
    length = 12 // len(_END_MONTHS[kind])
    end = date(year, end_month, CUTOFF_DAY - 1)
    return Period(kind, _cutoff(year, end_month - length), end)


def bounded(day: date) -> bool:
    """Whether a date lies within the years the portal reports on."""
    return EARLIEST <= day <= LATEST
