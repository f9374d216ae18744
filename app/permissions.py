"""Who may do what: the role table, object rules, the view decorator and scoped list queries.

Every view is decorated with @require(ACTION) or @public; tests walk app.url_map and fail on a view
that has neither. Views and templates ask the same question through can().
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request
from flask_login import current_user
from sqlalchemy import Select, or_, select

from app import audit
from app.extensions import db, login_manager
from app.models import (
    TICKET_TRANSITIONS,
    Directive,
    ExtensionRequest,
    Item,
    OutreachActivity,
    Role,
    SupportTicket,
    Task,
    TaskStatus,
    Team,
    TeamMember,
    User,
    Village,
    task_cooperator,
)

PUBLIC = "public"
ADMIN, COORDINATOR, MONITOR, OFFICER = Role.ADMIN, Role.COORDINATOR, Role.MONITOR, Role.OFFICER
EVERYONE = frozenset(Role)
# Roles that see every unit's objects; officers see only their own unit's.
DISTRICT_WIDE = frozenset({ADMIN, COORDINATOR, MONITOR})

# Permission name -> roles that hold it. The only place roles are mapped to actions.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "dashboard.view": EVERYONE,
    "account.use": EVERYONE,
    "admin.manage": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN}),
    # Officers open the directives in which their unit has a task (the Directive scope), read-only.
    "directive.view": EVERYONE,
    "directive.manage": frozenset({ADMIN, COORDINATOR}),
    "task.view": EVERYONE,
    # Any role: the lead unit's users update its tasks (Phòng VH-TT is a monitor and carries its own); the object
    # rule below decides. Reading every unit's tasks is a separate power (DISTRICT_WIDE).
    "task.update_status": EVERYONE,
    "task.cancel": frozenset({ADMIN, COORDINATOR}),
    "task.assign": frozenset({ADMIN, COORDINATOR}),
    "task.add_note": EVERYONE,
    # Completion review and extensions: the lead unit reports and asks (object rules), the district office decides.
    "task.submit": EVERYONE,
    "task.review": frozenset({ADMIN, COORDINATOR}),
    "task.request_extension": EVERYONE,
    "task.decide_extension": frozenset({ADMIN, COORDINATOR}),
    # Opening an evidence file: whoever sees the object it belongs to (checked on that object).
    "attachment.view": EVERYONE,
    "village.view": EVERYONE,
    "village.edit": frozenset({ADMIN, COORDINATOR, OFFICER}),
    "village.create": frozenset({ADMIN}),
    "village.move": frozenset({ADMIN}),  # to another commune
    "team.view": EVERYONE,
    "team.manage": frozenset({ADMIN, COORDINATOR, OFFICER}),
    "outreach.view": EVERYONE,
    "outreach.log": frozenset({ADMIN, COORDINATOR, OFFICER}),
    "support.view": EVERYONE,
    "support.request": frozenset({ADMIN, OFFICER}),
    "support.work": frozenset({ADMIN, OFFICER}),  # the partner's side of a ticket
    "support.review": frozenset({ADMIN, OFFICER}),  # the commune's side: confirm or reopen
    # One per transition of TICKET_TRANSITIONS: that side, and the ticket's status allows it now.
    **{f"support.{action}": frozenset({ADMIN, OFFICER}) for action in TICKET_TRANSITIONS},
    "report.view": EVERYONE,
    "document.issue": frozenset({ADMIN, COORDINATOR}),
    "report.document": frozenset({ADMIN, COORDINATOR, MONITOR}),
}


def _own_unit(unit_of: Callable[[Any], int | None]) -> Callable[[User, Any], bool]:
    """An object rule: officers only on objects of their own unit; the other roles the table allows pass."""
    return lambda user, obj: user.role != OFFICER or unit_of(obj) == user.organization_id


def _updates_task(user: User, task: Task) -> bool:
    """The district office on any task; a user of the lead unit while the task is not cancelled."""
    if user.role in (ADMIN, COORDINATOR):
        return True
    return user.organization_id == task.lead_unit_id and task.status != TaskStatus.CANCELLED


def _reports_completion(user: User, task: Task) -> bool:
    """A user of the lead unit, on an open task whose item asks for review."""
    return (user.organization_id == task.lead_unit_id and task.item.review_required
            and task.status in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS))


def _asks_extension(user: User, task: Task) -> bool:
    """A user of the lead unit, on a task with a deadline that is not finished."""
    return (user.organization_id == task.lead_unit_id and task.effective_deadline is not None
            and task.status in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS))


def _task_participant(user: User, task: Task) -> bool:
    return user.role != OFFICER or user.organization_id == task.lead_unit_id or any(
        unit.id == user.organization_id for unit in task.cooperating_units)


def _commune_of(obj: Any) -> int | None:
    """The commune a village, team or team member belongs to."""
    if isinstance(obj, TeamMember):
        obj = obj.team
    if isinstance(obj, Team):
        obj = obj.village
    return obj.commune_id


# Object rules: action -> predicate(user, obj), checked after the role table when an object is given.
OBJECT_RULES: dict[str, Callable[[User, Any], bool]] = {
    "task.update_status": _updates_task,
    "task.add_note": _task_participant,
    "task.submit": _reports_completion,
    "task.review": lambda user, task: task.status == TaskStatus.SUBMITTED,
    "task.request_extension": _asks_extension,
    "task.decide_extension": lambda user, request: request.decision is None,
    "village.edit": _own_unit(_commune_of),
    "team.manage": _own_unit(_commune_of),
    "outreach.log": _own_unit(lambda activity: activity.organization_id),
    "support.request": _own_unit(lambda ticket: ticket.commune_id),
    "support.work": _own_unit(lambda ticket: ticket.partner_id),
    "support.review": _own_unit(lambda ticket: ticket.commune_id),
}


def _ticket_transition(action: str) -> Callable[[User, SupportTicket], bool]:
    transition = TICKET_TRANSITIONS[action]
    side = OBJECT_RULES["support.work" if transition.by_partner else "support.review"]
    return lambda user, ticket: side(user, ticket) and ticket.status in transition.sources


OBJECT_RULES.update({f"support.{action}": _ticket_transition(action) for action in TICKET_TRANSITIONS})


def _villages_of(user: User):
    return select(Village.id).where(Village.commune_id == user.organization_id)


# Model -> SQL condition limiting an officer to their own unit's rows.
SCOPES: dict[type, Callable[[User], Any]] = {
    Village: lambda user: Village.commune_id == user.organization_id,
    Task: lambda user: or_(Task.lead_unit_id == user.organization_id, Task.id.in_(
        select(task_cooperator.c.task_id).where(task_cooperator.c.organization_id == user.organization_id))),
    Team: lambda user: Team.village_id.in_(_villages_of(user)),
    TeamMember: lambda user: TeamMember.team_id.in_(select(Team.id).where(Team.village_id.in_(_villages_of(user)))),
    OutreachActivity: lambda user: OutreachActivity.organization_id == user.organization_id,
    SupportTicket: lambda user: or_(SupportTicket.commune_id == user.organization_id,
                                    SupportTicket.partner_id == user.organization_id),
    # A directive or an item in which the user's unit has a task it may see (lead or co-operating).
    Directive: lambda user: Directive.id.in_(
        select(Item.directive_id).join(Task, Task.item_id == Item.id).where(SCOPES[Task](user))),
    Item: lambda user: Item.id.in_(select(Task.item_id).where(SCOPES[Task](user))),
    ExtensionRequest: lambda user: ExtensionRequest.task_id.in_(select(Task.id).where(SCOPES[Task](user))),
}


def sees_everything(user: User) -> bool:
    """Admins, coordinators and monitors see every unit's objects."""
    return user.role in DISTRICT_WIDE


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether the user may perform the action (on the object, when one is given)."""
    if action == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS[action]:
        return False
    rule = OBJECT_RULES.get(action)
    return obj is None or rule is None or rule(user, obj)


def require(action: str):
    """View decorator: sign-in, then the role table; 403 when the role lacks the permission."""
    if action != PUBLIC and action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if action != PUBLIC:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if not can(current_user, action):
                    abort(403)
            return view(*args, **kwargs)

        wrapped.policy = action
        return wrapped

    return decorator


public = require(PUBLIC)


def scoped(model: type, user: User, stmt: Select | None = None) -> Select:
    """A SELECT of `model` limited to the rows the user may see."""
    stmt = select(model) if stmt is None else stmt
    if sees_everything(user):
        return stmt
    if model not in SCOPES:
        raise KeyError(f"no officer scope for {model.__name__}")
    return stmt.where(SCOPES[model](user))


def get_or_404(model: type, object_id: int, user: User, action: str | None = None):
    """Load an object and authorise: 404 when the user may not see it (so its existence is not revealed),
    403 when they see it but may not do `action` to it.

    Asking for another unit's object is audited; asking for an id that does not exist is not.
    """
    obj = db.session.scalar(scoped(model, user).where(model.id == object_id))
    if obj is None:
        hidden = db.session.get(model, object_id)
        if hidden is not None:
            audit.record_refusal("access.hidden_object", hidden, actor=user,
                                 detail=f"{request.method} {request.path}")
        abort(404)
    if action is not None and not can(user, action, obj):
        abort(403)
    return obj
