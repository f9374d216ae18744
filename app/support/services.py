"""Support tickets: filing, the partner's and the commune's transitions (each one a TicketEvent), overdue ones.

The state machine is TICKET_TRANSITIONS (app/models/registry.py). The `version` column makes a transition based on
an outdated page fail instead of overwriting.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import selectinload

from app import submissions
from app.audit import record
from app.clock import today as district_today
from app.extensions import db
from app.locking import compare_and_set
from app.models import (
    TICKET_TRANSITIONS,
    NotificationKind,
    Organization,
    OrgKind,
    SupportTicket,
    TicketEvent,
    TicketKind,
    TicketStatus,
    User,
    Village,
)
from app.notifications import notify
from app.permissions import can, scoped, units_in_scope
from app.rules import Conflict, RuleError

# Statuses in which the partner still owes the work: past the wanted-by date, these are overdue.
OPEN_STATUSES = (TicketStatus.REQUESTED, TicketStatus.IN_PROGRESS, TicketStatus.REOPENED)


# The transitions that need a note, with the message shown when it is missing.
NOTE_MESSAGES = {"done": _l("Say what was done."), "reopen": _l("Give the reason for reopening.")}
# One message for each transition that needs a note, and none for another (a missing one would be a KeyError).
assert set(NOTE_MESSAGES) == {action for action, t in TICKET_TRANSITIONS.items() if t.needs_note}, NOTE_MESSAGES


def overdue_condition(today: date):
    """SQL: past its wanted-by date and still owed by the partner."""
    return and_(SupportTicket.wanted_by < today, SupportTicket.status.in_(OPEN_STATUSES))


def is_overdue(ticket: SupportTicket, today: date) -> bool:
    """The same rule for one loaded ticket; lists use overdue_condition()."""
    return bool(ticket.wanted_by and ticket.wanted_by < today and ticket.status in OPEN_STATUSES)


def tickets_for(user: User, status: str | None = None, today: date | None = None) -> Select:
    """Rows of (ticket, overdue) the user may see: open ones first, then by wanted-by date, newest first (to page)."""
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
    return stmt


OVERDUE_TICKETS_SHOWN = 20  # the dashboard's list; /support?status=overdue pages through all of them


def overdue_tickets_for(user: User, today: date | None = None,
                        limit: int | None = OVERDUE_TICKETS_SHOWN) -> list[SupportTicket]:
    """Overdue tickets the user may see (a commune's own, a partner's own, all for district staff), oldest first;
    the first `limit` of them."""
    stmt = (scoped(SupportTicket, user).where(overdue_condition(today or district_today()))
            .options(selectinload(SupportTicket.commune), selectinload(SupportTicket.partner))
            .order_by(SupportTicket.wanted_by, SupportTicket.id).limit(limit))
    return list(db.session.scalars(stmt))


def overdue_ticket_count(user: User, today: date | None = None) -> int:
    """How many tickets overdue_tickets_for() would list without a limit."""
    stmt = scoped(SupportTicket, user, select(func.count(SupportTicket.id))).where(
        overdue_condition(today or district_today()))
    return db.session.scalar(stmt)


def requesting_units(user: User) -> list[Organization]:
    """The communes the user may file tickets for: an officer's own commune, every commune for an admin."""
    return [unit for unit in db.session.scalars(units_in_scope(user, Organization.communes_query()))
            if can(user, "support.request", SupportTicket(commune_id=unit.id))]


def partners(user: User) -> list[Organization]:
    """Active partner enterprises of the user's subtree, by name."""
    return list(db.session.scalars(units_in_scope(user).where(
        Organization.kind == OrgKind.PARTNER, Organization.active.is_(True)).order_by(Organization.sort_key)))


def villages_of(commune_ids: list[int]) -> list[Village]:
    """The villages of these communes, by commune and name."""
    return list(db.session.scalars(select(Village).join(Village.commune).where(Village.commune_id.in_(commune_ids))
                                   .order_by(Organization.sort_key, Village.sort_key)))


def file_ticket(*, actor: User, commune_id: int, partner_id: int, kind: str, village_id: int | None,
                description: str, wanted_by: date, submission_key: str | None = None) -> SupportTicket:
    """A commune's new request to a partner, with its first event; the same form sent twice files it once."""
    if (earlier := submissions.earlier(actor, submission_key, SupportTicket)) is not None:
        return earlier
    partner = db.session.get(Organization, partner_id)
    if partner is None or partner.kind != OrgKind.PARTNER or not partner.active:
        raise RuleError(_l("Choose one of the partners listed."), "partner_id")
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
    notify(NotificationKind.TICKET_NEW, actor=actor, unit_id=partner_id, ticket=ticket)
    record("ticket.create", ticket, actor=actor, changes={"partner": (None, partner), "wanted_by": (None, wanted_by)})
    return submissions.commit(actor, submission_key, ticket)


def move(ticket: SupportTicket, action: str, *, actor: User, version: int, note: str = "") -> SupportTicket:
    """Apply one transition seen on a page showing `version`; Conflict when the ticket has moved since."""
    transition = TICKET_TRANSITIONS[action]
    if ticket.status not in transition.sources:
        raise Conflict()
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise RuleError(NOTE_MESSAGES[action], "note")
    before = ticket.status
    compare_and_set(SupportTicket, ticket.id, version, status=transition.target)
    db.session.add(TicketEvent(ticket_id=ticket.id, actor_id=actor.id, from_status=before,
                               to_status=transition.target, note=note))
    if transition.target == TicketStatus.DONE:  # the commune confirms (or reopens) what the partner did
        notify(NotificationKind.TICKET_TO_CONFIRM, actor=actor, unit_id=ticket.commune_id, ticket=ticket, note=note)
    record(f"ticket.{action}", ticket, actor=actor, changes={"status": (before, transition.target)})
    db.session.commit()
    db.session.refresh(ticket)
    return ticket
