"""What the public page (/cong-khai) shows, for one district, to anyone: no user, so no user scope.

Every query here is limited by `in_district(district)`, the one place that says which units belong to a district
(the root of its organization tree). Nothing personal leaves this module but a team leader's name and phone, and
only when that member agreed (TeamMember.publish_contact).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, select, true
from sqlalchemy.orm import aliased

from app.models import Organization, Team, TeamMember, TeamPosition, Village
from app.outreach.services import totals_by_kind_held
from app.teams.coverage import (
    CommuneCoverage,
    CoverageTarget,
    coverage_by_commune,
    coverage_targets,
    district_coverage,
    team_counts,
)
from app.vntext import like_contains


def in_district(district: Organization | None):
    """SQL on Organization: the unit belongs to `district`; every unit while there is a single district (None)."""
    return true() if district is None else Organization.within(district.path)


@dataclass(frozen=True)
class PublicOverview:
    """The district's coverage against its target, per commune, and this year's outreach per kind."""

    district: CommuneCoverage
    communes: list[CommuneCoverage]
    target: CoverageTarget | None
    outreach_by_kind: list
    year_start: date
    as_of: date


def overview(district: Organization | None, as_of: date) -> PublicOverview:
    """The figures at the top of the public page, on `as_of` (today)."""
    scope = in_district(district)
    targets = coverage_targets()
    year_start = as_of.replace(month=1, day=1)
    return PublicOverview(district=district_coverage(None, scope), communes=coverage_by_commune(None, scope),
                          target=targets[0] if targets else None,
                          outreach_by_kind=totals_by_kind_held(year_start, as_of, scope),
                          year_start=year_start, as_of=as_of)


@dataclass(frozen=True)
class VillageSearch:
    """The list's filters: part of a village's name (any case, with or without diacritics), a commune."""

    q: str = ""
    commune_id: int | None = None

    def as_args(self) -> dict:
        return {"q": self.q, "commune": self.commune_id}


def villages(district: Organization | None, search: VillageSearch):
    """SELECT of the district's villages by commune and name, each with its active team (if any; a village has one
    at most), whether that team counts toward coverage, and its leader's name and phone when the leader agreed
    to their publication."""
    leader = aliased(TeamMember)
    stmt = (select(Village.name.label("village"), Organization.name.label("commune"),
                   Team.established_on, case((team_counts(Team), True), else_=False).label("covered"),
                   leader.full_name.label("leader_name"), leader.phone.label("leader_phone"))
            .join(Organization, Village.commune_id == Organization.id)
            .outerjoin(Team, and_(Team.village_id == Village.id, Team.active.is_(True)))
            .outerjoin(leader, and_(leader.team_id == Team.id, leader.active.is_(True),
                                    leader.position == TeamPosition.LEADER, leader.publish_contact.is_(True)))
            .where(Organization.active.is_(True), in_district(district))
            .order_by(Organization.sort_key, Village.sort_key, Village.id))
    if search.q:
        stmt = stmt.where(like_contains(Village.search_text, search.q))
    if search.commune_id:
        stmt = stmt.where(Village.commune_id == search.commune_id)
    return stmt
