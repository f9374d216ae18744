"""Community Technology Team coverage: villages with a team that counts ÷ all villages, in SQL (DESIGN §5).

One definition of "a team counts" (`team_counts`), one of "a village is covered" (`village_covered`); the commune
and district figures, the teams page and the progress of team-coverage tasks (`Task.shown_progress`) all use them.
A team counts when it is active and has at least TEAM_MIN_MEMBERS active members, its leader among them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, case, exists, func, select
from sqlalchemy.orm import column_property, contains_eager

from app.extensions import db
from app.models import COMMUNE_LEVEL, Directive, Item, Kpi, Organization, Task, Team, TeamMember, TeamPosition, Village
from app.permissions import scoped


def _min_members() -> int:
    return current_app.config["TEAM_MIN_MEMBERS"]


def active_members(team_id_column=Team.id):
    """SQL: the number of active members of the team."""
    return (select(func.count(TeamMember.id))
            .where(TeamMember.team_id == team_id_column, TeamMember.active.is_(True)).scalar_subquery())


def has_active_leader(team_id_column=Team.id):
    """SQL: the team has an active leader."""
    return exists().where(TeamMember.team_id == team_id_column, TeamMember.active.is_(True),
                          TeamMember.position == TeamPosition.LEADER)


def team_counts(team=Team):
    """SQL: the team counts toward coverage (active, enough active members, one of them its leader)."""
    # Read at execution time, so the setting applies to the column properties built once at import.
    threshold = bindparam("team_min_members", type_=db.Integer, callable_=_min_members, unique=True)
    return and_(team.active.is_(True), active_members(team.id) >= threshold, has_active_leader(team.id))


def village_covered(village_id_column):
    """SQL: the village has a team that counts."""
    return exists().where(Team.village_id == village_id_column, team_counts())


def has_active_team(village_id_column):
    """SQL: the village has an active team, whether or not it counts yet (a second one cannot be registered)."""
    return exists().where(Team.village_id == village_id_column, Team.active.is_(True))


@dataclass(frozen=True)
class CommuneCoverage:
    """How many of a commune's villages (or the district's) have a team that counts."""

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
    """One item carrying the coverage KPI: its own target and deadline."""

    item: Item
    percent: int
    deadline: date | None


def _counts():
    """Columns: all villages, and villages with a team that counts."""
    return (func.count(Village.id).label("villages"),
            func.count(case((village_covered(Village.id), Village.id))).label("covered"))


def _per_unit():
    return (select(Organization.id, Organization.name, Organization.short_name, *_counts())
            .select_from(Organization).outerjoin(Village, Village.commune_id == Organization.id)
            .group_by(Organization.id, Organization.name, Organization.short_name))


def _row_to_coverage(row) -> CommuneCoverage:
    return CommuneCoverage(commune_id=row.id, name=row.name, villages=row.villages, covered=row.covered,
                           short_name=row.short_name)


def _active_commune_level():
    return and_(Organization.kind.in_(COMMUNE_LEVEL), Organization.active.is_(True))


def coverage_by_commune(*within) -> list[CommuneCoverage]:
    """Every active commune-level unit, by name, including one with no villages (0 of 0); `within`: SQL
    conditions on Organization that limit the units (one district's, for the public page)."""
    stmt = _per_unit().where(_active_commune_level(), *within).order_by(Organization.sort_key)
    return [_row_to_coverage(row) for row in db.session.execute(stmt)]


def coverage_of(commune_id: int) -> CommuneCoverage:
    """One unit's coverage; LookupError when no such unit exists."""
    row = db.session.execute(_per_unit().where(Organization.id == commune_id)).one_or_none()
    if row is None:
        raise LookupError(commune_id)
    return _row_to_coverage(row)


def district_coverage(*within) -> CommuneCoverage:
    """All active commune-level units together (those `within` selects, as for coverage_by_commune)."""
    stmt = (select(*_counts()).select_from(Organization).join(Village, Village.commune_id == Organization.id)
            .where(_active_commune_level(), *within))
    row = db.session.execute(stmt).one()
    name = str(_l("Whole district"))
    return CommuneCoverage(commune_id=None, name=name, villages=row.villages, covered=row.covered, short_name=name)


def coverage_targets() -> list[CoverageTarget]:
    """Every item carrying the coverage KPI with its own target and deadline, newest directive first."""
    items = db.session.scalars(select(Item).join(Item.directive).options(contains_eager(Item.directive))
                               .where(Item.kpi == Kpi.TEAM_COVERAGE)
                               .order_by(Directive.issued_on.desc(), Directive.id.desc(), Item.position))
    return [CoverageTarget(item=item, percent=item.kpi_target, deadline=item.default_deadline) for item in items]


def villages_without_team(user) -> list[Village]:
    """The villages the user may see that have no active team, by commune and name."""
    stmt = (scoped(Village, user).join(Village.commune)
            .options(contains_eager(Village.commune))
            .where(Organization.active.is_(True), ~has_active_team(Village.id))
            .order_by(Organization.sort_key, Village.sort_key))
    return list(db.session.scalars(stmt))


def _task_progress():
    """SQL, per task: whether its progress comes from team coverage, and that coverage in whole percent.

    A commune's task for an item carrying Kpi.TEAM_COVERAGE shows its covered villages ÷ all its villages
    (rounded down); every other task shows the progress its unit reports.
    """
    # Correlated to the task only, so the expression also works in queries that join items or villages.
    villages = (select(func.count(Village.id)).where(Village.commune_id == Task.lead_unit_id)
                .correlate(Task).scalar_subquery())
    covered = (select(func.count(Village.id))
               .where(Village.commune_id == Task.lead_unit_id, village_covered(Village.id))
               .correlate(Task).scalar_subquery())
    driven = and_(select(Item.id).where(Item.id == Task.item_id, Item.kpi == Kpi.TEAM_COVERAGE)
                  .correlate(Task).exists(), villages > 0)
    return driven, case((driven, covered * 100 // villages), else_=Task.progress)


_kpi_driven, _shown_progress = _task_progress()
Task.progress_from_coverage = column_property(case((_kpi_driven, True), else_=False))
Task.shown_progress = column_property(_shown_progress)
