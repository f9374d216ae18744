"""Logging outreach activities, listing them by filter, and their totals per unit and kind (in SQL)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app import submissions
from app.audit import record
from app.extensions import db
from app.models import (
    COMMUNE_LEVEL,
    SKILL_COLUMNS,
    Organization,
    OrgKind,
    OutreachActivity,
    OutreachKind,
    Task,
    TaskStatus,
    User,
    Village,
    task_cooperator,
)
from app.permissions import can, scoped, units_in_scope
from app.rules import RuleError

# The units that carry out outreach: the unions and the commune-level units.
OUTREACH_UNIT_KINDS = (OrgKind.UNION, *COMMUNE_LEVEL)
VILLAGES_NOT_LISTED = _l("Choose only from the villages listed.")


@dataclass(frozen=True)
class OutreachFilter:
    """What the list and the totals are limited to: a unit, a kind, a month (its first day)."""

    unit_id: int | None = None
    kind: OutreachKind | None = None
    month: date | None = None

    def as_args(self) -> dict:
        """Query-string arguments that reproduce the filter."""
        args = {"unit": self.unit_id, "kind": self.kind.value if self.kind else None,
                "month": self.month.strftime("%Y-%m") if self.month else None}
        return {key: value for key, value in args.items() if value}

    def apply(self, stmt: Select) -> Select:
        if self.unit_id:
            stmt = stmt.where(OutreachActivity.organization_id == self.unit_id)
        if self.kind:
            stmt = stmt.where(OutreachActivity.kind == self.kind)
        if self.month:
            last = calendar.monthrange(self.month.year, self.month.month)[1]
            stmt = stmt.where(OutreachActivity.held_on.between(self.month, self.month.replace(day=last)))
        return stmt


def activities(user: User, flt: OutreachFilter) -> Select:
    """The activities the user may see, newest first."""
    return (flt.apply(scoped(OutreachActivity, user))
            .options(selectinload(OutreachActivity.organization), selectinload(OutreachActivity.villages))
            .order_by(OutreachActivity.held_on.desc(), OutreachActivity.id.desc()))


def _sums():
    return (func.count(OutreachActivity.id).label("activities"),
            func.coalesce(func.sum(OutreachActivity.participants), 0).label("participants"),
            func.coalesce(func.sum(OutreachActivity.households_reached), 0).label("households"),
            *(func.coalesce(func.sum(getattr(OutreachActivity, column)), 0).label(column)
              for column in SKILL_COLUMNS))


def totals_by_unit(user: User, flt: OutreachFilter, limit: int | None = None):
    """Per unit: activities, participants, households, people helped per skill; most active first (the first
    `limit` units)."""
    stmt = flt.apply(scoped(OutreachActivity, user, select(Organization.name, *_sums())
                            .join(OutreachActivity.organization)))
    stmt = stmt.group_by(Organization.id, Organization.name).order_by(func.count(OutreachActivity.id).desc(),
                                                                       Organization.name, Organization.id)
    return db.session.execute(stmt.limit(limit)).all()


def _by_kind(stmt: Select):
    return db.session.execute(stmt.group_by(OutreachActivity.kind)
                              .order_by(func.count(OutreachActivity.id).desc())).all()


def totals_by_kind(user: User, flt: OutreachFilter):
    """Per kind of activity: the same sums."""
    return _by_kind(flt.apply(scoped(OutreachActivity, user, select(OutreachActivity.kind, *_sums()))))


def totals_by_kind_held(start: date, end: date, *within):
    """Per kind, the sums of every unit's activities held from start to end; `within`: SQL conditions on
    Organization limiting the units (one district's, for the public page, which has no user to scope by)."""
    return _by_kind(select(OutreachActivity.kind, *_sums()).join(OutreachActivity.organization)
                    .where(OutreachActivity.held_on.between(start, end), *within))


def overall_totals(user: User, flt: OutreachFilter):
    """All the activities the filter selects, summed."""
    return db.session.execute(flt.apply(scoped(OutreachActivity, user, select(*_sums())))).one()


def outreach_units(user: User) -> list[Organization]:
    """Active unions and commune-level units of the user's subtree, by name."""
    return list(db.session.scalars(units_in_scope(user).where(
        Organization.kind.in_(OUTREACH_UNIT_KINDS), Organization.active.is_(True)).order_by(Organization.sort_key)))


def loggable_units(user: User) -> list[Organization]:
    """The outreach units the user may log activities for: an officer's own unit, or any for district staff."""
    return [unit for unit in outreach_units(user)
            if can(user, "outreach.log", OutreachActivity(organization_id=unit.id))]


def villages_for(unit: Organization) -> list[Village]:
    """The villages the form offers for an activity of this unit: a commune's own villages; for a union, those of
    the communes beside it in the tree (its district), never every village of the province."""
    stmt = (select(Village).join(Village.commune).options(contains_eager(Village.commune))
            .where(Organization.active.is_(True)))
    if unit.is_commune_level:
        stmt = stmt.where(Village.commune_id == unit.id)
    else:
        same_parent = (Organization.parent_id.is_(None) if unit.parent_id is None
                       else Organization.parent_id == unit.parent_id)
        stmt = stmt.where(same_parent, Organization.kind.in_(COMMUNE_LEVEL))
    return list(db.session.scalars(stmt.order_by(Organization.sort_key, Village.sort_key)))


def _tasks_of(unit_ids):
    cooperating = select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id.in_(unit_ids))
    return (select(Task).where(or_(Task.lead_unit_id.in_(unit_ids), Task.id.in_(cooperating)),
                               Task.status != TaskStatus.CANCELLED))


TASK_CHOICES = 30  # the task select offers this unit's open tasks nearest their deadline, and the current one


def task_choices(unit: Organization, current_task_id: int | None = None) -> list[Task]:
    """Tasks the form offers for an activity of this unit: its open tasks (led or co-operated on) nearest their
    deadline, at most TASK_CHOICES, plus the activity's current task; any task of the unit is accepted."""
    stmt = (_tasks_of([unit.id]).where(Task.open_deadline.is_not(None))
            .options(selectinload(Task.item), selectinload(Task.lead_unit))
            .order_by(Task.open_deadline, Task.id).limit(TASK_CHOICES))
    tasks = list(db.session.scalars(stmt))
    if current_task_id and all(task.id != current_task_id for task in tasks):
        current = db.session.scalar(_tasks_of([unit.id]).where(Task.id == current_task_id))
        tasks += [current] if current else []
    return tasks


def _checked(organization_id: int, village_ids: list[int], task_id: int | None):
    unit = db.session.get(Organization, organization_id)
    if unit is None or unit.kind not in OUTREACH_UNIT_KINDS:
        raise RuleError(_l("Choose a union or a commune."), "organization_id")
    villages = list(db.session.scalars(select(Village).where(Village.id.in_(village_ids)))) if village_ids else []
    if len(villages) != len(set(village_ids)):
        raise RuleError(VILLAGES_NOT_LISTED, "village_ids")
    if unit.is_commune_level and any(village.commune_id != unit.id for village in villages):
        raise RuleError(_l("A commune's activity can only name its own villages."), "village_ids")
    if task_id and db.session.scalar(_tasks_of([unit.id]).where(Task.id == task_id)) is None:
        raise RuleError(_l("Choose a task of this unit."), "task_id")
    return villages


def log_activity(*, actor: User, organization_id: int, village_ids: list[int], task_id: int | None,
                 submission_key: str | None = None, **fields) -> OutreachActivity:
    """Record a new activity of a unit (counts left empty are 0); the same form sent twice logs it once."""
    if (earlier := submissions.earlier(actor, submission_key, OutreachActivity)) is not None:
        return earlier
    villages = _checked(organization_id, village_ids, task_id)
    activity = OutreachActivity(organization_id=organization_id, created_by_id=actor.id)
    _assign(activity, villages, task_id, **fields)
    db.session.add(activity)
    db.session.flush()
    record("outreach.create", activity, actor=actor, changes={"title": (None, activity.title),
                                                              "held_on": (None, activity.held_on),
                                                              "kind": (None, activity.kind)})
    return submissions.commit(actor, submission_key, activity)


def update_activity(activity: OutreachActivity, *, actor: User, village_ids: list[int], task_id: int | None,
                    **fields) -> OutreachActivity:
    """Correct an activity; it stays with its unit."""
    villages = _checked(activity.organization_id, village_ids, task_id)
    before = {name: getattr(activity, name) for name in ("title", "held_on", "kind")}
    _assign(activity, villages, task_id, **fields)
    record("outreach.update", activity, actor=actor,
           changes={name: (old, getattr(activity, name)) for name, old in before.items()})
    db.session.commit()
    return activity


def _assign(activity: OutreachActivity, villages: list[Village], task_id: int | None, *, held_on: date, kind: str,
            title: str, note: str, **counts: int | None) -> None:
    activity.held_on, activity.kind, activity.title, activity.note = held_on, OutreachKind(kind), title, note or ""
    activity.villages = villages
    activity.task_id = task_id or None
    for column, value in counts.items():
        setattr(activity, column, value or 0)

