"""Registering, changing and deactivating teams and members; each function owns its transaction and audits.

Nothing is deleted: a team or member that stops is deactivated and kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.audit import record
from app.clock import today
from app.extensions import db
from app.models import Affiliation, Organization, Team, TeamMember, TeamPosition, Village
from app.permissions import scoped
from app.rules import FUTURE_DATE, RuleError
from app.teams.coverage import active_members, has_active_leader, has_active_team, team_counts

# The Prime Minister's decision 749/QĐ-TTg of 03/06/2020 started the national digital transformation programme:
# no Community Technology Team was set up before it.
PROGRAMME_START = date(2020, 6, 3)

ACTIVE_TEAM_EXISTS = _l("This village already has an active Community Technology Team.")
TEAM_INACTIVE = _l("This team has been deactivated and can no longer change.")
MEMBER_INACTIVE = _l("This member has left the team and can no longer change.")
LEADER_EXISTS = _l("The team already has a team leader.")
FOUNDED_TOO_EARLY = _l("A team cannot be set up before 03/06/2020, when the national digital transformation "
                       "programme began.")
SAME_PERSON = _l("This person (same name and phone) is already a member of the team.")


def _check_founding(established_on: date) -> None:
    if established_on < PROGRAMME_START:
        raise RuleError(FOUNDED_TOO_EARLY, "established_on")
    if established_on > today():
        raise RuleError(FUTURE_DATE, "established_on")


def register_team(*, actor, village_id: int, established_on: date, decision_number: str) -> Team:
    """A new active team for a village that has none."""
    _check_founding(established_on)
    if db.session.scalar(select(has_active_team(village_id))):
        raise RuleError(ACTIVE_TEAM_EXISTS, "village_id")
    team = Team(village_id=village_id, established_on=established_on, decision_number=decision_number, active=True)
    db.session.add(team)
    try:
        db.session.flush()  # the partial unique index catches a team registered meanwhile
    except IntegrityError as error:
        db.session.rollback()
        raise RuleError(ACTIVE_TEAM_EXISTS, "village_id") from error
    record("team.create", team, actor=actor, changes={"village": (None, db.session.get(Village, village_id)),
                                                      "established_on": (None, established_on),
                                                      "decision_number": (None, decision_number)})
    db.session.commit()
    return team


def update_team(team: Team, *, actor, established_on: date, decision_number: str) -> Team:
    """Correct a team's date or decision number."""
    if not team.active:
        raise RuleError(TEAM_INACTIVE)
    _check_founding(established_on)
    changes = {"established_on": (team.established_on, established_on),
               "decision_number": (team.decision_number, decision_number)}
    team.established_on, team.decision_number = established_on, decision_number
    record("team.update", team, actor=actor, changes=changes)
    db.session.commit()
    return team


def deactivate_team(team: Team, *, actor) -> None:
    """The team stops; its members stop with it. The village then counts as uncovered."""
    team.active = False
    team.deactivated_on = today()
    for member in team.members:
        member.active = False
    record("team.deactivate", team, actor=actor)
    db.session.commit()


def _same_name(a: str, b: str) -> bool:
    """Case and spacing do not make another person; diacritics do (Hùng and Hưng are two people)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_member(team: Team, position: TeamPosition, full_name: str, phone: str | None,
                  member: TeamMember | None = None) -> None:
    if not team.active:
        raise RuleError(TEAM_INACTIVE)
    others = [other for other in team.members if other.active and other is not member]
    if any(_same_name(other.full_name, full_name) and (other.phone or None) == (phone or None) for other in others):
        raise RuleError(SAME_PERSON, "full_name")
    if position == TeamPosition.LEADER:
        clash = select(TeamMember.id).where(TeamMember.team_id == team.id, TeamMember.active.is_(True),
                                            TeamMember.position == TeamPosition.LEADER)
        if member is not None:
            clash = clash.where(TeamMember.id != member.id)
        if db.session.scalar(select(exists(clash))):
            raise RuleError(LEADER_EXISTS, "position")


def _member_changes(member: TeamMember | None, full_name: str, position: str, affiliation: str,
                    phone: str | None, publish_contact: bool) -> dict:
    """field -> (old, new) for the audit trail; the team is the member's own and never changes."""
    new = {"full_name": full_name, "position": TeamPosition(position), "affiliation": Affiliation(affiliation),
           "phone": phone or None, "publish_contact": bool(publish_contact)}
    return {name: (getattr(member, name) if member else None, value) for name, value in new.items()}


def add_member(team: Team, *, actor, full_name: str, position: str, affiliation: str, phone: str | None,
               publish_contact: bool = False) -> TeamMember:
    """A new active member; a team has at most one active leader. Their name and phone are published only with
    their consent (`publish_contact`)."""
    _check_member(team, TeamPosition(position), full_name, phone)
    member = TeamMember(team=team, full_name=full_name, position=TeamPosition(position),
                        affiliation=Affiliation(affiliation), phone=phone or None, active=True,
                        publish_contact=bool(publish_contact))
    db.session.add(member)
    db.session.flush()
    record("team_member.create", member, actor=actor, changes=_member_changes(
        None, full_name, position, affiliation, phone, publish_contact))
    db.session.commit()
    return member


def update_member(member: TeamMember, *, actor, full_name: str, position: str, affiliation: str,
                  phone: str | None, publish_contact: bool = False) -> TeamMember:
    """Change a member's details or consent to publication; a member who has left stays as they were."""
    if not member.active:
        raise RuleError(MEMBER_INACTIVE, "full_name")
    _check_member(member.team, TeamPosition(position), full_name, phone, member)
    changes = _member_changes(member, full_name, position, affiliation, phone, publish_contact)
    member.full_name, member.position = full_name, TeamPosition(position)
    member.affiliation, member.phone = Affiliation(affiliation), phone or None
    member.publish_contact = bool(publish_contact)
    record("team_member.update", member, actor=actor, changes=changes)
    db.session.commit()
    return member


def deactivate_member(member: TeamMember, *, actor) -> None:
    """The member leaves the team; the record stays."""
    member.active = False
    record("team_member.deactivate", member, actor=actor, detail=f"team {member.team_id}")
    db.session.commit()


@dataclass(frozen=True)
class TeamRow:
    """An active team as the teams page lists it, with why it does not count yet (if it does not)."""

    team: Team
    members: int
    has_leader: bool
    counts: bool


def _rows():
    return select(Team, active_members().label("members"), has_active_leader().label("leader"),
                  team_counts().label("counts"))


def standing_of(team: Team) -> TeamRow:
    """One team's members and whether it counts toward coverage, by the same SQL as the teams page."""
    _, members, leader, counts = db.session.execute(_rows().where(Team.id == team.id)).one()
    return TeamRow(team, members, bool(leader), bool(counts))


def teams_for(user, commune_ids=None) -> list[TeamRow]:
    """The active teams the user may see, by commune and village, each with whether it counts toward coverage
    (of these communes only)."""
    stmt = (scoped(Team, user, _rows())
            .join(Team.village).join(Village.commune)
            .options(contains_eager(Team.village).contains_eager(Village.commune))
            .where(Team.active.is_(True)).order_by(Organization.sort_key, Village.sort_key))
    if commune_ids is not None:
        stmt = stmt.where(Village.commune_id.in_(commune_ids))
    return [TeamRow(team, members, bool(leader), bool(counts)) for team, members, leader, counts
            in db.session.execute(stmt)]
