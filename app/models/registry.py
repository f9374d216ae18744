"""What is measured against villages: Community Technology Teams, outreach, partner support tickets."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.directive import Task
from app.models.org import Organization, Village, _enum, unique_where
from app.models.user import User, utcnow


class TeamPosition(enum.StrEnum):
    LEADER = "leader"  # tổ trưởng
    DEPUTY = "deputy"  # tổ phó
    MEMBER = "member"  # tổ viên


class Affiliation(enum.StrEnum):
    COMMUNE_OFFICER = "commune_officer"
    VILLAGE_HEAD = "village_head"
    YOUTH_UNION = "youth_union"
    WOMENS_UNION = "womens_union"
    POLICE = "police"
    PARTNER_STAFF = "partner_staff"
    OTHER = "other"


class Team(db.Model):
    """A village's Community Technology Team (Tổ công nghệ cộng đồng); at most one active per village."""

    __tablename__ = "team"
    __table_args__ = (
        unique_where("uq_team_active_village", "village_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    established_on: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The day the team stopped (coverage "as of" a past date); None while active, or unknown for older rows.
    deactivated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    village: Mapped[Village] = relationship()
    members: Mapped[list[TeamMember]] = relationship(back_populates="team", order_by="TeamMember.id")


class TeamMember(db.Model):
    """A member of a team; deactivated, never deleted."""

    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[TeamPosition] = mapped_column(_enum(TeamPosition, "team_position"))
    affiliation: Mapped[Affiliation] = mapped_column(_enum(Affiliation, "affiliation"))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The member agreed that their name and phone be shown on the public page (/cong-khai); off until they do.
    publish_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    team: Mapped[Team] = relationship(back_populates="members")


class OutreachKind(enum.StrEnum):
    HOUSEHOLD_VISITS = "household_visits"
    MEETING = "meeting"
    TRAINING_CLASS = "training_class"
    LOUDSPEAKER = "loudspeaker"
    SOCIAL_MEDIA = "social_media"
    ECOMMERCE_ONBOARDING = "ecommerce_onboarding"
    PUBLIC_SERVICES_GUIDANCE = "public_services_guidance"


outreach_village = Table(
    "outreach_village", db.metadata,
    Column("activity_id", ForeignKey("outreach_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("village_id", ForeignKey("village.id"), primary_key=True, index=True),
)

# The five basic digital skills the teams help people with.
SKILL_COLUMNS = ("helped_public_services", "helped_online_shopping", "helped_online_payment",
                 "helped_online_safety", "helped_local_platforms")


class OutreachActivity(db.Model):
    """An outreach activity logged by a union or a commune."""

    __tablename__ = "outreach_activity"
    __table_args__ = tuple(
        CheckConstraint(f"{column} >= 0", name=f"{column}_not_negative")
        for column in ("participants", "households_reached", *SKILL_COLUMNS)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[OutreachKind] = mapped_column(_enum(OutreachKind, "outreach_kind"))
    title: Mapped[str] = mapped_column(String(300))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    households_reached: Mapped[int] = mapped_column(Integer, default=0)
    helped_public_services: Mapped[int] = mapped_column(Integer, default=0)
    helped_online_shopping: Mapped[int] = mapped_column(Integer, default=0)
    helped_online_payment: Mapped[int] = mapped_column(Integer, default=0)
    helped_online_safety: Mapped[int] = mapped_column(Integer, default=0)
    helped_local_platforms: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organization: Mapped[Organization] = relationship()
    villages: Mapped[list[Village]] = relationship(secondary=outreach_village, order_by=Village.sort_key)
    task: Mapped[Task | None] = relationship()


class TicketKind(enum.StrEnum):
    SOFTWARE_INSTALL = "software_install"
    ECOMMERCE_SHOP = "ecommerce_shop"
    DIGITAL_SIGNATURE = "digital_signature"
    PUBLIC_SERVICES_ACCOUNT = "public_services_account"
    TRAINING = "training"
    CONNECTIVITY = "connectivity"


class TicketStatus(enum.StrEnum):
    REQUESTED = "requested"
    IN_PROGRESS = "in_progress"
    DONE = "done"  # by the partner
    CONFIRMED = "confirmed"  # by the commune
    REOPENED = "reopened"


class TicketTransition(NamedTuple):
    """Which side moves a ticket, from which statuses, to which, and whether it says why (a note)."""

    by_partner: bool
    sources: frozenset[TicketStatus]
    target: TicketStatus
    needs_note: bool = False


# The ticket's state machine, the one place it is written: app.permissions answers "may this user do this to this
# ticket now" from it, app.support.services applies it. requested → in_progress → done (partner) → confirmed
# (commune), or done → reopened (commune, with a reason) → in_progress again.
TICKET_TRANSITIONS = {
    "take": TicketTransition(True, frozenset({TicketStatus.REQUESTED, TicketStatus.REOPENED}),
                             TicketStatus.IN_PROGRESS),
    "done": TicketTransition(True, frozenset({TicketStatus.IN_PROGRESS}), TicketStatus.DONE, needs_note=True),
    "confirm": TicketTransition(False, frozenset({TicketStatus.DONE}), TicketStatus.CONFIRMED),
    "reopen": TicketTransition(False, frozenset({TicketStatus.DONE}), TicketStatus.REOPENED, needs_note=True),
}


class SupportTicket(db.Model):
    """A commune's request for software support from a partner enterprise."""

    __tablename__ = "support_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    kind: Mapped[TicketKind] = mapped_column(_enum(TicketKind, "ticket_kind"))
    description: Mapped[str] = mapped_column(Text)
    wanted_by: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "ticket_status"),
                                                 default=TicketStatus.REQUESTED, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # changed by locking.compare_and_set only
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    commune: Mapped[Organization] = relationship(foreign_keys=[commune_id])
    partner: Mapped[Organization] = relationship(foreign_keys=[partner_id])
    village: Mapped[Village | None] = relationship()
    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id.desc()")


class TicketEvent(db.Model):
    """One transition of a ticket: who, when, from and to, with the note or reason."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("support_ticket.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_status: Mapped[TicketStatus | None] = mapped_column(_enum(TicketStatus, "from_status"))
    to_status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "to_status"))
    note: Mapped[str] = mapped_column(Text, default="")

    ticket: Mapped[SupportTicket] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

