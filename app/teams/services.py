"""Registering, changing and deactivating teams and members; each function owns its transaction and audits.

Nothing is deleted: a team or member that stops is deactivated and kept.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.audit import record
from app.coverage import has_active_team
from app.extensions import db
from app.models import Affiliation, Organization, Team, TeamMember, TeamPosition, Village
from app.permissions import scoped
from app.rules import RuleError




ACTIVE_TEAM_EXISTS = _l("This village already has an active Community Technology Team.")
TEAM_INACTIVE = _l("This team has been deactivated and can no longer change.")
MEMBER_INACTIVE = _l("This member has left the team and can no longer change.")
LEADER_EXISTS = _l("The team already has a team leader.")


def register_team(*, actor, village_id: int, established_on: date, decision_number: str) -> Team:
    """A new active team for a village that has none."""
    if db.session.scalar(select(has_active_team(village_id))):
        raise RuleError(ACTIVE_TEAM_EXISTS, "village_id")
    team = Team(village_id=village_id, established_on=established_on, decision_number=decision_number, active=True)
    db.session.add(team)
    try:
        db.session.flush()  # the partial unique index catches a team registered meanwhile
    except IntegrityError as error:
        db.session.rollback()
        raise RuleError(ACTIVE_TEAM_EXISTS, "village_id") from error
    record("team.create", team, actor=actor, detail=f"village {village_id}, {decision_number}")
    db.session.commit()
    return team


def update_team(team: Team, *, actor, established_on: date, decision_number: str) -> Team:
    """Correct a team's date or decision number."""
    if not team.active:
        raise RuleError(TEAM_INACTIVE, "decision_number")
    team.established_on, team.decision_number = established_on, decision_number
    record("team.update", team, actor=actor, detail=decision_number)
    db.session.commit()
    return team


def deactivate_team(team: Team, *, actor) -> None:
    """The team stops; its members stop with it. The village then counts as uncovered."""
    team.active = False
    for member in team.members:
        member.active = False
    record("team.deactivate", team, actor=actor)
    db.session.commit()


def _check_member(team: Team, position: TeamPosition, member: TeamMember | None = None) -> None:
    if not team.active:
        raise RuleError(TEAM_INACTIVE, "full_name")
    if position == TeamPosition.LEADER:
        clash = select(TeamMember.id).where(TeamMember.team_id == team.id, TeamMember.active.is_(True),
                                            TeamMember.position == TeamPosition.LEADER)
        if member is not None:
            clash = clash.where(TeamMember.id != member.id)
        if db.session.scalar(select(exists(clash))):
            raise RuleError(LEADER_EXISTS, "position")


def add_member(team: Team, *, actor, full_name: str, position: str, affiliation: str, phone: str | None) -> TeamMember:
    """A new active member; a team has at most one active leader."""
    _check_member(team, TeamPosition(position))
    member = TeamMember(team=team, full_name=full_name, position=TeamPosition(position),
                        affiliation=Affiliation(affiliation), phone=phone or None, active=True)
    db.session.add(member)
    db.session.flush()
    record("team_member.create", member, actor=actor, detail=f"team {team.id}")
    db.session.commit()
    return member


def update_member(member: TeamMember, *, actor, full_name: str, position: str, affiliation: str,
                  phone: str | None) -> TeamMember:
    """Change a member's details; a member who has left stays as they were."""
    if not member.active:
        raise RuleError(MEMBER_INACTIVE, "full_name")
    _check_member(member.team, TeamPosition(position), member)
    member.full_name, member.position = full_name, TeamPosition(position)
    member.affiliation, member.phone = Affiliation(affiliation), phone or None
    record("team_member.update", member, actor=actor, detail=f"team {member.team_id}")
    db.session.commit()
    return member


def deactivate_member(member: TeamMember, *, actor) -> None:
    """The member leaves the team; the record stays."""
    member.active = False
    record("team_member.deactivate", member, actor=actor, detail=f"team {member.team_id}")
    db.session.commit()


def teams_for(user) -> list[tuple[Team, int]]:
    """The active teams the user may see, with their number of active members, by commune and village."""
    members = (select(func.count(TeamMember.id)).where(TeamMember.team_id == Team.id, TeamMember.active.is_(True))
               .correlate(Team).scalar_subquery())
    stmt = (scoped(Team, user, select(Team, members.label("members")))
            .join(Team.village).join(Village.commune)
            .options(contains_eager(Team.village).contains_eager(Village.commune))
            .where(Team.active.is_(True)).order_by(Organization.sort_key, Village.sort_key))
    return [(team, count) for team, count in db.session.execute(stmt)]

