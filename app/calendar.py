"""Working days in Việt Nam: Monday to Friday, less the public holidays of the `holidays` package (Tết included),
with the days an administrator moved for the year (nghỉ bù, làm bù: CalendarDay) taking precedence.

Every "N working days" in the portal is counted here; "due soon" is decided by due_soon_until() alone.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import CalendarDay, User
from app.rules import RuleError

DUE_SOON_WORKING_DAYS = 3
# Deadlines given in working days, and calendar searches, never look further than this.
MAX_WORKING_DAYS = 250
_SPAN = timedelta(days=MAX_WORKING_DAYS * 2 + 60)
DECISION_MISSING = _l("Say which decision moves this day.")


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def public_holidays(year: int) -> list[tuple[date, str]]:
    """The public holidays of a year with the package's (English) names, in date order."""
    return sorted(holidays.country_holidays("VN", years=year).items())


def _moved_days(first: date, last: date) -> dict[date, bool]:
    """The administrator's overrides between two dates: day -> is it a working day."""
    return dict(db.session.execute(select(CalendarDay.day, CalendarDay.is_working_day)
                                   .where(CalendarDay.day.between(first, last))).all())


def _working(day: date, moved: dict[date, bool]) -> bool:
    if day in moved:
        return moved[day]
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Whether offices work on that day."""
    return _working(day, _moved_days(day, day))


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (start itself not counted); n = 0 gives start."""
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise RuleError(_l("Give between 0 and %(most)d working days.", most=MAX_WORKING_DAYS), field="working_days")
    moved = _moved_days(start, start + _SPAN)
    day = start
    while n > 0:
        day += timedelta(days=1)
        if _working(day, moved):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    moved = _moved_days(start, end)
    return sum(_working(start + timedelta(days=offset), moved) for offset in range(1, (end - start).days + 1))


def due_soon_until(today: date) -> date:
    """The last deadline counted as due soon (sắp đến hạn) on `today`: 3 working days ahead.

    An open task whose effective deadline lies between today and this date is due soon, everywhere.
    """
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def moved_days(year: int) -> list[CalendarDay]:
    """The days moved for a year, in date order (at most 366: the list is bounded by the year)."""
    return list(db.session.scalars(select(CalendarDay).where(
        CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))).order_by(CalendarDay.day)))


def set_day(day: date, *, is_working_day: bool, note: str, actor: User) -> CalendarDay:
    """Record that a day is worked (làm bù) or off (nghỉ bù), replacing an earlier decision for it."""
    note = (note or "").strip()
    if not note:
        raise RuleError(DECISION_MISSING, field="note")
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    old = None if row is None else row.is_working_day
    if row is None:
        row = CalendarDay(day=day, created_by_id=actor.id)
        db.session.add(row)
    row.is_working_day, row.note = is_working_day, note[:200]
    db.session.flush()
    audit.record("calendar.set", row, actor=actor, changes={"day": (None, day),
                                                            "is_working_day": (old, is_working_day)})
    db.session.commit()
    return row


def remove_day(row: CalendarDay, *, actor: User) -> date:
    """Take back a moved day: the weekend and public-holiday rules decide it again."""
    audit.record("calendar.remove", row, actor=actor, changes={"day": (row.day, None),
                                                               "is_working_day": (row.is_working_day, None)})
    db.session.delete(row)
    db.session.commit()
    return row.day
