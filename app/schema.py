"""Whether a database holds this code's schema: its Alembic revision is the migrations' head and every table of
the models exists. /healthz asks it of the live database, `restore` of a backup before anything is replaced."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from app.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
VERSION_TABLE = "alembic_version"
VERSION_QUERY = "SELECT version_num FROM alembic_version"  # the revisions a database is at


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The revision(s) the migrations of this code end at."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def expected_tables() -> frozenset[str]:
    """Every table the models describe."""
    return frozenset(db.metadata.tables)


def schema_problem(tables: set[str], revisions: set[str] | None) -> str | None:
    """Why a database with these tables and Alembic revisions (None: no version table) is not at this code's
    schema, as a short code ("no_revision", "behind_or_ahead", "missing_tables"), or None when it is."""
    if revisions is None or not revisions:
        return "no_revision"
    if set(revisions) != set(code_heads()):
        return "behind_or_ahead"
    if not expected_tables() <= set(tables):
        return "missing_tables"
    return None
