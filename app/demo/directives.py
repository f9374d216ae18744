"""Demo: the article's directive, its items fanned out to units, with history (issue: directives)."""
from datetime import date


def seed_directives(today: date) -> None:
    """Dated relative to `today` so every task class is present."""
