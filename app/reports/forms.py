"""The report's choice (directives and period) read from the query string: a GET form that works without JavaScript.

Anything that does not parse gives a message and the default (the current month by Decree 09/2019), never an error.
"""
from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app import labels
from app.forms import db_id, parse_date
from app.reports.figures import MAX_DIRECTIVES
from app.reports.periods import MAX_DAYS, Period, PeriodKind, bounded, period_containing

labels.register(PeriodKind, {
    PeriodKind.WEEK: _l("Week"),
    PeriodKind.MONTH: _l("Month"),
    PeriodKind.QUARTER: _l("Quarter"),
    PeriodKind.HALF_YEAR: _l("6 months"),
    PeriodKind.YEAR: _l("Year"),
    PeriodKind.CUSTOM: _l("Custom dates"),
})
DEFAULT_KIND = PeriodKind.MONTH
MAX_TEXT = 40


def parse_day(text: str) -> date | None:
    """dd/mm/yyyy (as people type) or yyyy-mm-dd (as links carry it); None when it is neither or out of range."""
    day = parse_date((text or "")[:MAX_TEXT])
    return day if day is not None and bounded(day) else None


def _ids(values: list[str]) -> list[int]:
    """The values that are ids (as forms.db_id reads them), the first MAX_DIRECTIVES of them."""
    ids = []
    for value in values[:MAX_DIRECTIVES]:
        with suppress(ValueError):
            ids.append(db_id(value))
    return ids


@dataclass
class ReportChoice:
    """What the report is about: its period and directives (none = all), and what was refused on the way."""

    period: Period
    directive_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def args(self, period: Period | None = None) -> dict:
        """Query-string arguments that reproduce the choice (for another period when one is given)."""
        period = period or self.period
        args: dict = {"period": period.kind.value, "directive": self.directive_ids}
        if period.kind == PeriodKind.CUSTOM:
            args.update(start=period.start.isoformat(), end=period.end.isoformat())
        else:
            args["on"] = period.end.isoformat()
        return args


def read_choice(args, today: date) -> ReportChoice:
    """The choice in the query string; what does not parse falls back to the default with a message."""
    errors: list[str] = []
    directive_ids = _ids(args.getlist("directive"))
    if len(directive_ids) != len([v for v in args.getlist("directive") if v]):
        errors.append(str(_l("Some of the chosen directives were not understood and were left out.")))
    kind_text = args.get("period", DEFAULT_KIND.value)
    if kind_text not in set(PeriodKind):
        errors.append(str(_l("Choose a period from the list; the current month is shown.")))
        return ReportChoice(period_containing(DEFAULT_KIND, today), directive_ids, errors)
    kind = PeriodKind(kind_text)
    if kind == PeriodKind.CUSTOM:
        return _custom(args, today, directive_ids, errors)
    on = args.get("on", "")
    day = parse_day(on) if on else today
    if day is None:
        errors.append(str(_l("The date was not understood (type it as dd/mm/yyyy); the current period is shown.")))
        day = today
    return ReportChoice(period_containing(kind, day), directive_ids, errors)


def _custom(args, today: date, directive_ids: list[int], errors: list[str]) -> ReportChoice:
    start, end = parse_day(args.get("start", "")), parse_day(args.get("end", ""))
    message = None
    if start is None or end is None:
        message = _l("Enter both dates of the custom period as dd/mm/yyyy; the current month is shown.")
    elif start > end:
        message = _l("The start date comes after the end date; the current month is shown.")
    elif (end - start).days + 1 > MAX_DAYS:
        message = _l("A custom period can be at most two years long; the current month is shown.")
    if message is not None:
        errors.append(str(message))
        return ReportChoice(period_containing(DEFAULT_KIND, today), directive_ids, errors)
    return ReportChoice(Period(PeriodKind.CUSTOM, start, end), directive_ids, errors)
