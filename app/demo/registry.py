"""Demo: teams and members, outreach, support tickets (issue: teams, outreach, support)."""
from datetime import date


def seed_registry(today: date) -> None:
    """Dated relative to `today`."""
