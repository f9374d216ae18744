"""Today in the district: deadlines are dates in Asia/Ho_Chi_Minh, whatever the server's zone. Stored times are UTC."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import config

DISTRICT_TIMEZONE = ZoneInfo(config.DISTRICT_TIMEZONE)


def today() -> date:
    """The current date in Asia/Ho_Chi_Minh."""
    return datetime.now(DISTRICT_TIMEZONE).date()


def as_utc(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite hands times back naive, and every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> datetime:
    """A stored time in the district's time zone."""
    return as_utc(moment).astimezone(DISTRICT_TIMEZONE)
