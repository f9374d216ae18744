"""Reporting periods: the Decree 09/2019 cut-offs (15th to 14th), weeks, custom periods and the one before."""
from datetime import date

import pytest

from app.reports.periods import Period, PeriodKind, period_containing


@pytest.mark.parametrize("day, start, end", [
    (date(2026, 12, 1), date(2026, 11, 15), date(2026, 12, 14)),
    (date(2026, 12, 14), date(2026, 11, 15), date(2026, 12, 14)),
    (date(2026, 12, 15), date(2026, 12, 15), date(2027, 1, 14)),
    (date(2026, 1, 10), date(2025, 12, 15), date(2026, 1, 14)),
])
def test_a_month_runs_from_the_15th_of_the_month_before_to_the_14th(day, start, end):
    assert period_containing(PeriodKind.MONTH, day) == Period(PeriodKind.MONTH, start, end)


@pytest.mark.parametrize("kind, day, start, end", [
    (PeriodKind.QUARTER, date(2026, 2, 2), date(2025, 12, 15), date(2026, 3, 14)),
    (PeriodKind.QUARTER, date(2026, 3, 15), date(2026, 3, 15), date(2026, 6, 14)),
    (PeriodKind.QUARTER, date(2026, 12, 1), date(2026, 9, 15), date(2026, 12, 14)),
    (PeriodKind.HALF_YEAR, date(2026, 6, 14), date(2025, 12, 15), date(2026, 6, 14)),
    (PeriodKind.HALF_YEAR, date(2026, 6, 20), date(2026, 6, 15), date(2026, 12, 14)),
    (PeriodKind.YEAR, date(2026, 12, 1), date(2025, 12, 15), date(2026, 12, 14)),
    (PeriodKind.YEAR, date(2026, 12, 15), date(2026, 12, 15), date(2027, 12, 14)),
])
def test_quarters_halves_and_years_end_on_the_14th_of_their_last_month(kind, day, start, end):
    assert period_containing(kind, day) == Period(kind, start, end)


def test_a_week_runs_from_monday_to_sunday():
    week = period_containing(PeriodKind.WEEK, date(2026, 12, 3))  # a Thursday
    assert (week.start, week.end) == (date(2026, 11, 30), date(2026, 12, 6))


def test_the_previous_month_is_the_cut_off_month_before():
    month = period_containing(PeriodKind.MONTH, date(2026, 12, 1))
    assert month.previous() == Period(PeriodKind.MONTH, date(2026, 10, 15), date(2026, 11, 14))
    assert month.previous().following() == month


def test_the_period_before_a_custom_one_has_as_many_days():
    custom = Period(PeriodKind.CUSTOM, date(2026, 3, 1), date(2026, 3, 10))
    assert custom.previous() == Period(PeriodKind.CUSTOM, date(2026, 2, 19), date(2026, 2, 28))


def test_week_ends_step_by_seven_days_and_close_on_the_last_day():
    month = Period(PeriodKind.MONTH, date(2026, 11, 15), date(2026, 12, 14))
    assert month.week_ends() == [date(2026, 11, 21), date(2026, 11, 28), date(2026, 12, 5), date(2026, 12, 12),
                                 date(2026, 12, 14)]
    assert Period(PeriodKind.CUSTOM, date(2026, 1, 1), date(2026, 1, 3)).week_ends() == [date(2026, 1, 3)]


def test_a_running_period_has_week_ends_up_to_today():
    month = Period(PeriodKind.MONTH, date(2026, 11, 15), date(2026, 12, 14))
    assert month.week_ends(until=date(2026, 12, 1)) == [date(2026, 11, 21), date(2026, 11, 28), date(2026, 12, 1)]
    assert month.week_ends(until=date(2026, 11, 1)) == []
