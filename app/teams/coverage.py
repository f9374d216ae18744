"""Community Technology Team coverage: villages with a team that counts ÷ all villages, in SQL (DESIGN §5).

One definition of "a team counts" (`team_counts`), one of "a village is covered" (`village_covered`); the commune
and district figures, the teams page and the progress of team-coverage tasks (`Task.shown_progress`, read per page by
`prime_progress`) all use them.
A team counts when it is active and has at least TEAM_MIN_MEMBERS active members, its leader among them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, case, event, exists, func, select
from sqlalchemy.orm import Session, contains_eager, object_session

from app.extensions import db
from app.models import COMMUNE_LEVEL, Directive, Item, Kpi, Organization, Task, Team, TeamMember, TeamPosition, Village
from app.permissions import area_level, scope_root, scoped, subtree_scoped


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


def coverage_percent(covered: int, villages: int) -> int:
    """Whole percent, rounded down so that 100 means every village; 0 when there are no villages."""
    return covered * 100 // villages if villages else 0


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
        return coverage_percent(self.covered, self.villages)


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


def coverage_by_commune_query(user=None, *within):
    """SQL rows: every active commune-level unit of the user's subtree, by name, including one with no villages
    (0 of 0); to page. `within`: further SQL conditions on Organization (one district's units, for the public page)."""
    return subtree_scoped(Organization, user, _per_unit()).where(_active_commune_level(), *within).order_by(
        Organization.sort_key, Organization.id)


def coverage_rows(rows) -> list[CommuneCoverage]:
    """The rows of coverage_by_commune_query() as figures."""
    return [_row_to_coverage(row) for row in rows]


def coverage_by_commune(user=None, *within) -> list[CommuneCoverage]:
    """Every active commune-level unit of the user's subtree, by name, including one with no villages (0 of 0)."""
    return coverage_rows(db.session.execute(coverage_by_commune_query(user, *within)))


def coverage_of(commune_id: int) -> CommuneCoverage:
    """One unit's coverage; LookupError when no such unit exists."""
    row = db.session.execute(_per_unit().where(Organization.id == commune_id)).one_or_none()
    if row is None:
        raise LookupError(commune_id)
    return _row_to_coverage(row)


def district_coverage(user=None, *within) -> CommuneCoverage:
    """All active commune-level units of the user's subtree together (those `within` selects, as above)."""
    stmt = subtree_scoped(Organization, user, select(*_counts()).select_from(Organization).join(
        Village, Village.commune_id == Organization.id)).where(_active_commune_level(), *within)
    row = db.session.execute(stmt).one()
    name = area_name(user)
    return CommuneCoverage(commune_id=None, name=name, villages=row.villages, covered=row.covered, short_name=name)


def area_total_label(user) -> str:
    """The total row of a table of the user's area, as reports write it: "Toàn huyện", "Toàn tỉnh" (its level)."""
    return str(_l("Whole %(level)s", level=area_level(user)))


def area_name(user) -> str:
    """The name of the area whose figures these are: the user's district or province (its node's name), or the
    whole district of a one-district instance (no node above its units)."""
    root = scope_root(user)
    return root.name if root is not None else str(_l("Whole district"))


def coverage_targets(user=None) -> list[CoverageTarget]:
    """Every item of the user's subtree carrying the coverage KPI with its own target and deadline, newest
    directive first."""
    items = db.session.scalars(subtree_scoped(Item, user).join(Item.directive).options(contains_eager(Item.directive))
                               .where(Item.kpi == Kpi.TEAM_COVERAGE)
                               .order_by(Directive.issued_on.desc(), Directive.id.desc(), Item.position))
    return [CoverageTarget(item=item, percent=item.kpi_target, deadline=item.default_deadline) for item in items]


def villages_without_team(user, commune_ids=None) -> list[Village]:
    """The villages the user may see that have no active team, by commune and name (of these communes only)."""
    stmt = (scoped(Village, user).join(Village.commune)
            .options(contains_eager(Village.commune))
            .where(Organization.active.is_(True), ~has_active_team(Village.id))
            .order_by(Organization.sort_key, Village.sort_key))
    if commune_ids is not None:
        stmt = stmt.where(Village.commune_id.in_(commune_ids))
    return list(db.session.scalars(stmt))


# The progress of a team-coverage task is its commune's coverage, read for all tasks of a page in one grouped query
# (prime_progress) and kept for the session's transaction: no per-task subquery in every task query.
_CACHE_KEY = "coverage_by_unit"


def _cache(session: Session) -> dict[int, CommuneCoverage]:
    return session.info.setdefault(_CACHE_KEY, {})


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_coverage(session, *args) -> None:
    """A write may change a team, a member or a village: read coverage again after it."""
    session.info.pop(_CACHE_KEY, None)


def _kpi_driven_item(task: Task) -> bool:
    return task.item.kpi == Kpi.TEAM_COVERAGE


def prime_progress(tasks) -> None:
    """Read, in one grouped query, the coverage of every lead unit of these tasks whose item carries the KPI."""
    tasks = list(tasks)
    if not tasks:
        return
    session = object_session(tasks[0]) or db.session
    cache = _cache(session)
    wanted = {task.lead_unit_id for task in tasks if _kpi_driven_item(task)} - cache.keys()
    if wanted:
        for row in session.execute(_per_unit().where(Organization.id.in_(wanted))):
            cache[row.id] = _row_to_coverage(row)


def _coverage_for(task: Task) -> CommuneCoverage:
    cache = _cache(object_session(task) or db.session)
    if task.lead_unit_id not in cache:
        prime_progress([task])
    return cache[task.lead_unit_id]


def _progress_from_coverage(task: Task) -> bool:
    """A commune's task for an item carrying Kpi.TEAM_COVERAGE, in a unit with villages: progress is computed."""
    return _kpi_driven_item(task) and _coverage_for(task).villages > 0


def _shown_progress(task: Task) -> int:
    """Covered villages ÷ all villages of the lead unit (rounded down) for a coverage task, else the typed progress."""
    return _coverage_for(task).percent if _progress_from_coverage(task) else task.progress


Task.progress_from_coverage = property(_progress_from_coverage)
Task.shown_progress = property(_shown_progress)
