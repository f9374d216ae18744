"""Support tickets: filing, the partner's and the commune's transitions (each one a TicketEvent), overdue ones.

requested → in_progress → done (partner) → confirmed (commune), or done → reopened (commune, with a reason)
→ in_progress again. The `version` column makes a transition based on an outdated page fail instead of overwriting.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.audit import record
from app.clock import today as district_today
from app.extensions import db
from app.models import (Organization, OrgKind, SupportTicket, TicketEvent, TicketKind, TicketStatus, User,
                        Village)
from app.permissions import can, scoped
from app.rules import RuleError

# Statuses in which the partner still owes the work: past the wanted-by date, these are overdue.
OPEN_STATUSES = (TicketStatus.REQUESTED, TicketStatus.IN_PROGRESS, TicketStatus.REOPENED)


@dataclass(frozen=True)
class Transition:
    permission: str
    sources: frozenset[TicketStatus]
    target: TicketStatus
    note_required: object = None  # the message shown when a note is needed and missing


TRANSITIONS = {
    "take": Transition("support.work", frozenset({TicketStatus.REQUESTED, TicketStatus.REOPENED}),
                       TicketStatus.IN_PROGRESS),
    "done": Transition("support.work", frozenset({TicketStatus.IN_PROGRESS}), TicketStatus.DONE,
                       _l("Say what was done.")),
    "confirm": Transition("support.confirm", frozenset({TicketStatus.DONE}), TicketStatus.CONFIRMED),
    "reopen": Transition("support.confirm", frozenset({TicketStatus.DONE}), TicketStatus.REOPENED,
                         _l("Give the reason for reopening.")),
}




class StaleTicket(Exception):
    """The ticket changed since the page was shown (another user moved it): nothing was written."""


def overdue_condition(today: date):
    """SQL: past its wanted-by date and still owed by the partner."""
    return and_(SupportTicket.wanted_by < today, SupportTicket.status.in_(OPEN_STATUSES))


def is_overdue(ticket: SupportTicket, today: date) -> bool:
    """The same rule for one loaded ticket; lists use overdue_condition()."""
    return bool(ticket.wanted_by and ticket.wanted_by < today and ticket.status in OPEN_STATUSES)


def tickets_for(user: User, status: str | None = None, today: date | None = None):
    """(ticket, overdue) pairs the user may see: open ones first, then by wanted-by date, newest first."""
    today = today or district_today()
    overdue = overdue_condition(today)
    stmt = (scoped(SupportTicket, user, select(SupportTicket, overdue.label("overdue")))
            .options(selectinload(SupportTicket.commune), selectinload(SupportTicket.partner),
                     selectinload(SupportTicket.village))
            .order_by(case((SupportTicket.status.in_(OPEN_STATUSES), 0), else_=1),
                      SupportTicket.wanted_by, SupportTicket.id.desc()))
    if status == "overdue":
        stmt = stmt.where(overdue)
    elif status in set(TicketStatus):
        stmt = stmt.where(SupportTicket.status == status)
    return [(ticket, bool(flag)) for ticket, flag in db.session.execute(stmt)]


def overdue_tickets_for(user: User, today: date | None = None) -> list[SupportTicket]:
    """Overdue tickets the user may see (a commune's own, a partner's own, all for district staff), oldest first."""
    stmt = (scoped(SupportTicket, user).where(overdue_condition(today or district_today()))
            .options(selectinload(SupportTicket.commune), selectinload(SupportTicket.partner))
            .order_by(SupportTicket.wanted_by, SupportTicket.id))
    return list(db.session.scalars(stmt))


def requesting_units(user: User) -> list[Organization]:
    """The communes the user may file tickets for: an officer's own commune, every commune for an admin."""
    return [unit for unit in db.session.scalars(Organization.communes_query())
            if can(user, "support.request", SupportTicket(commune_id=unit.id))]


def partners() -> list[Organization]:
    """Active partner enterprises, by name."""
    return list(db.session.scalars(select(Organization).where(
        Organization.kind == OrgKind.PARTNER, Organization.active.is_(True)).order_by(Organization.sort_key)))


def villages_of(commune_ids: list[int]) -> list[Village]:
    """The villages of these communes, by commune and name."""
    return list(db.session.scalars(select(Village).join(Village.commune).where(Village.commune_id.in_(commune_ids))
                                   .order_by(Organization.sort_key, Village.sort_key)))


def file_ticket(*, actor: User, commune_id: int, partner_id: int, kind: str, village_id: int | None,
                description: str, wanted_by: date) -> SupportTicket:
    """A commune's new request to a partner, with its first event."""
    partner = db.session.get(Organization, partner_id)
    if partner is None or partner.kind != OrgKind.PARTNER or not partner.active:
        raise RuleError(_l("Choose VNPT, Viettel or the Post Office."), "partner_id")
    if village_id:
        village = db.session.get(Village, village_id)
        if village is None or village.commune_id != commune_id:
            raise RuleError(_l("Choose a village of the commune."), "village_id")
    ticket = SupportTicket(commune_id=commune_id, partner_id=partner_id, village_id=village_id or None,
                           kind=TicketKind(kind), description=description, wanted_by=wanted_by,
                           status=TicketStatus.REQUESTED, created_by_id=actor.id)
    db.session.add(ticket)
    db.session.add(TicketEvent(ticket=ticket, actor_id=actor.id, from_status=None, to_status=TicketStatus.REQUESTED,
                               note=""))
    db.session.flush()
    record("ticket.create", ticket, actor=actor, detail=f"to {partner.short_name}, wanted by {wanted_by.isoformat()}")
    db.session.commit()
    return ticket


def move(ticket: SupportTicket, action: str, *, actor: User, version: int, note: str = "") -> SupportTicket:
    """Apply one transition seen on a page showing `version`; StaleTicket when the ticket has moved since."""
    transition = TRANSITIONS[action]
    if version != ticket.version or ticket.status not in transition.sources:
        raise StaleTicket
    note = (note or "").strip()
    if transition.note_required and not note:
        raise RuleError(transition.note_required, "note")
    before = ticket.status
    ticket.status = transition.target
    db.session.add(TicketEvent(ticket=ticket, actor_id=actor.id, from_status=before, to_status=transition.target,
                               note=note))
    record(f"ticket.{action}", ticket, actor=actor, detail=f"{before.value} -> {transition.target.value}")
    try:
        db.session.commit()  # UPDATE ... WHERE version = :seen: a concurrent change makes it match nothing
    except StaleDataError as error:
        db.session.rollback()
        raise StaleTicket from error
    return ticket
