"""Plain functions that make domain objects with sensible defaults; call inside an app context."""
from __future__ import annotations

import itertools
from datetime import date

from app.extensions import db
from app.models import (
    Affiliation,
    Organization,
    OrgKind,
    OutreachActivity,
    OutreachKind,
    Role,
    SupportTicket,
    Team,
    TeamMember,
    TeamPosition,
    TicketKind,
    TicketStatus,
    User,
    Village,
    VillageKind,
)
from app.models.user import hash_password

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def make_unit(name: str | None = None, kind: OrgKind = OrgKind.COMMUNE, **fields) -> Organization:
    n = next(_seq)
    unit = Organization(name=name or f"UBND xã Thử {n}", short_name=fields.pop("short_name", f"Thử {n}"),
                        kind=kind, active=fields.pop("active", True), **fields)
    db.session.add(unit)
    db.session.commit()
    return unit


def make_village(commune: Organization, name: str | None = None, **fields) -> Village:
    village = Village(name=name or f"Thôn {next(_seq)}", commune=commune,
                      kind=fields.pop("kind", VillageKind.VILLAGE), name_confirmed=True, **fields)
    db.session.add(village)
    db.session.commit()
    return village


def make_user(username: str | None = None, role: Role = Role.OFFICER, unit: Organization | None = None,
              **fields) -> User:
    user = User(username=username or f"user{next(_seq)}", role=role, organization=unit or make_unit(),
                full_name=fields.pop("full_name", "Nguyễn Văn A"), active=fields.pop("active", True),
                session_version=1, password_hash=_password_hash(), **fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_directive(number: str | None = None, **fields):
    from datetime import date

    from sqlalchemy import select

    from app.models import Directive, DocType, Organization, OrgKind
    if "organization_id" not in fields:  # issued by the (first) district office, as the service would record it
        fields["organization_id"] = db.session.scalar(select(Organization.id).where(
            Organization.kind == OrgKind.DISTRICT_OFFICE).order_by(Organization.id).limit(1))
    directive = Directive(number=number or f"{next(_seq)}/UBND-VP",
                          doc_type=fields.pop("doc_type", DocType.OFFICIAL_LETTER),
                          issuer=fields.pop("issuer", "UBND huyện Thử"),
                          issued_on=fields.pop("issued_on", date(2022, 7, 1)),
                          signer=fields.pop("signer", "Trần Văn B"), summary=fields.pop("summary", "V/v thử nghiệm"),
                          body="", **fields)
    db.session.add(directive)
    db.session.commit()
    return directive


def make_item(directive=None, title: str = "Nhiệm vụ thử", **fields):
    from sqlalchemy import func, select

    from app.models import Item
    directive = directive or make_directive()
    position = (db.session.scalar(select(func.max(Item.position)).where(Item.directive_id == directive.id)) or 0) + 1
    item = Item(directive=directive, position=position, title=title, description="", **fields)
    db.session.add(item)
    db.session.commit()
    return item


def make_task(lead_unit: Organization, item=None, cooperating=(), **fields):
    from app.models import Task, TaskStatus
    task = Task(item=item or make_item(), lead_unit=lead_unit, status=fields.pop("status", TaskStatus.ASSIGNED),
                progress=fields.pop("progress", 0), cooperating_units=list(cooperating), **fields)
    db.session.add(task)
    db.session.commit()
    return task


def make_team(village: Village, **fields) -> Team:
    team = Team(village=village, established_on=fields.pop("established_on", date(2022, 6, 1)),
                decision_number=fields.pop("decision_number", "12/QĐ-UBND"), active=fields.pop("active", True),
                **fields)
    db.session.add(team)
    db.session.commit()
    return team


def make_member(team: Team, **fields) -> TeamMember:
    member = TeamMember(team=team, full_name=fields.pop("full_name", "Trần Thị B"),
                        position=fields.pop("position", TeamPosition.MEMBER),
                        affiliation=fields.pop("affiliation", Affiliation.YOUTH_UNION),
                        phone=fields.pop("phone", "0905123456"), active=fields.pop("active", True), **fields)
    db.session.add(member)
    db.session.commit()
    return member


def make_counting_team(village: Village, **fields) -> Team:
    """A team with a leader and two members: it counts toward coverage (TEAM_MIN_MEMBERS = 3)."""
    team = make_team(village, **fields)
    make_member(team, full_name="Lê Văn Trưởng", position=TeamPosition.LEADER, affiliation=Affiliation.VILLAGE_HEAD,
                phone="0905000001")
    make_member(team, full_name="Trần Thị Phó", position=TeamPosition.DEPUTY, phone="0905000002")
    make_member(team, full_name="Phạm Văn Viên", phone="0905000003")
    return team


def make_activity(unit: Organization, **fields) -> OutreachActivity:
    activity = OutreachActivity(organization=unit, held_on=fields.pop("held_on", date(2022, 7, 15)),
                                kind=fields.pop("kind", OutreachKind.MEETING), title=fields.pop("title", "Họp dân"),
                                **fields)
    db.session.add(activity)
    db.session.commit()
    return activity


def make_ticket(commune: Organization, partner: Organization, **fields) -> SupportTicket:
    ticket = SupportTicket(commune=commune, partner=partner, kind=fields.pop("kind", TicketKind.TRAINING),
                           description=fields.pop("description", "Tập huấn cho tổ công nghệ"),
                           wanted_by=fields.pop("wanted_by", date(2030, 1, 1)),
                           status=fields.pop("status", TicketStatus.REQUESTED), **fields)
    db.session.add(ticket)
    db.session.commit()
    return ticket
