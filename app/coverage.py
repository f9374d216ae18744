"""Community Technology Team coverage: villages with an active team ÷ all villages, counted in SQL (DESIGN §5).

The task pages of the item carrying Kpi.TEAM_COVERAGE show a commune's coverage as its progress.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import COMMUNE_LEVEL, Directive, Item, Kpi, Organization, Team, Village
from app.permissions import scoped

TARGET_PERCENT = 100


@dataclass(frozen=True)
class CommuneCoverage:
    """How many of a commune's villages (or the district's) have an active team."""

    commune_id: int | None
    name: str
    villages: int
    covered: int
    short_name: str = ""

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so that 100 means every village; 0 when there are no villages."""
        return self.covered * 100 // self.villages if self.villages else 0


@dataclass(frozen=True)
class CoverageTarget:
    """The target of the item that carries the coverage KPI, and its deadline."""

    item: Item
    percent: int
    deadline: date | None


def _counts():
    """Columns: all villages, and villages with an active team (at most one per village)."""
    return (func.count(Village.id).label("villages"),
            func.count(func.distinct(Team.village_id)).label("covered"))


def _per_unit():
    return select(Organization.id, Organization.name, Organization.short_name, *_counts()).select_from(Organization)


def _joined(stmt):
    return (stmt.outerjoin(Village, Village.commune_id == Organization.id)
            .outerjoin(Team, and_(Team.village_id == Village.id, Team.active.is_(True))))


def _row_to_coverage(row) -> CommuneCoverage:
    return CommuneCoverage(commune_id=row.id, name=row.name, villages=row.villages, covered=row.covered,
                           short_name=row.short_name)


def coverage_by_commune() -> list[CommuneCoverage]:
    """Every active commune-level unit, by name, including one with no villages (0 of 0)."""
    stmt = (_joined(_per_unit()).where(Organization.kind.in_(COMMUNE_LEVEL), Organization.active.is_(True))
            .group_by(Organization.id, Organization.name, Organization.short_name).order_by(Organization.sort_key))
    return [_row_to_coverage(row) for row in db.session.execute(stmt)]


def coverage_of(commune_id: int) -> CommuneCoverage:
    """One unit's coverage; LookupError when no such unit exists."""
    row = db.session.execute(_joined(_per_unit()).where(Organization.id == commune_id)
                             .group_by(Organization.id, Organization.name, Organization.short_name)).one_or_none()
    if row is None:
        raise LookupError(commune_id)
    return _row_to_coverage(row)


def district_coverage() -> CommuneCoverage:
    """All active commune-level units together."""
    stmt = _joined(select(*_counts()).select_from(Organization))
    row = db.session.execute(stmt.where(Organization.kind.in_(COMMUNE_LEVEL), Organization.active.is_(True))).one()
    name = str(_l("Whole district"))
    return CommuneCoverage(commune_id=None, name=name, villages=row.villages, covered=row.covered, short_name=name)


def coverage_target() -> CoverageTarget | None:
    """The newest item carrying the coverage KPI (target 100%, its deadline), or None when there is none."""
    item = db.session.scalar(select(Item).join(Item.directive).where(Item.kpi == Kpi.TEAM_COVERAGE)
                             .order_by(Directive.issued_on.desc(), Item.id.desc()).limit(1))
    if item is None:
        return None
    return CoverageTarget(item=item, percent=TARGET_PERCENT, deadline=item.default_deadline)


def has_active_team(village_id_column):
    """SQL: the village has an active team."""
    return exists().where(Team.village_id == village_id_column, Team.active.is_(True))


def villages_without_team(user) -> list[Village]:
    """The villages the user may see that have no active team, by commune and name."""
    stmt = (scoped(Village, user).join(Village.commune)
            .options(contains_eager(Village.commune))
            .where(Organization.active.is_(True), ~has_active_team(Village.id))
            .order_by(Organization.sort_key, Village.sort_key))
    return list(db.session.scalars(stmt))
