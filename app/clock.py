"""Today in the district: deadlines are dates in Asia/Ho_Chi_Minh, whatever the server's zone."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import config

DISTRICT_TIMEZONE = ZoneInfo(config.DISTRICT_TIMEZONE)


def today() -> date:
    """The current date in Asia/Ho_Chi_Minh."""
    return datetime.now(DISTRICT_TIMEZONE).date()
