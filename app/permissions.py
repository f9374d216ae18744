"""Who may do what: the role table, object rules, the view decorator and scoped list queries.

Every view is decorated with @require(ACTION) or @public; tests walk app.url_map and fail on a view
that has neither. Views and templates ask the same question through can().
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

from app import audit
from app.extensions import db, login_manager
from app.models import (
    TICKET_TRANSITIONS,
    ApiToken,
    CalendarDay,
    Directive,
    ExtensionRequest,
    Item,
    Organization,
    OrgKind,
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
from app.models.org import TREE_ROOT

PUBLIC = "public"
ADMIN, COORDINATOR, MONITOR, OFFICER = Role.ADMIN, Role.COORDINATOR, Role.MONITOR, Role.OFFICER
EVERYONE = frozenset(Role)
# Roles that see every unit's objects of their subtree (a district, a province); officers see their own unit's.
DISTRICT_WIDE = frozenset({ADMIN, COORDINATOR, MONITOR})
WHOLE_TREE = TREE_ROOT

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
    "notification.view": EVERYONE,  # one's own notifications only: they are loaded by recipient
    "instruction.write": frozenset({ADMIN, COORDINATOR, MONITOR}),  # ý kiến chỉ đạo: leaders and the office
    "task.urge": frozenset({ADMIN, COORDINATOR}),  # đôn đốc
    "calendar.manage": frozenset({ADMIN}),
}


def _own_unit(unit_of: Callable[[Any], int | None]) -> Callable[[User, Any], bool]:
    """An object rule: officers only on objects of their own unit; the other roles the table allows pass."""
    return lambda user, obj: user.role != OFFICER or unit_of(obj) == user.organization_id


def _updates_task(user: User, task: Task) -> bool:
    """The district office on any task; a user of the lead unit while the task is not cancelled."""
    if user.role in (ADMIN, COORDINATOR):
        return True
    return user.organization_id == task.lead_unit_id and task.status != TaskStatus.CANCELLED


def _lead_unit(user: User, task: Task) -> bool:
    return user.organization_id == task.lead_unit_id


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
    "directive.manage": lambda user, obj: issued_in_scope(user, obj),
    "task.assign": lambda user, task: issued_in_scope(user, task),
    "task.cancel": lambda user, task: issued_in_scope(user, task),
    "task.update_status": _updates_task,
    "task.add_note": _task_participant,
    "task.submit": _lead_unit,
    "task.request_extension": _lead_unit,
    "village.edit": _own_unit(_commune_of),
    "team.manage": _own_unit(_commune_of),
    "outreach.log": _own_unit(lambda activity: activity.organization_id),
    "support.request": _own_unit(lambda ticket: ticket.commune_id),
    "support.work": _own_unit(lambda ticket: ticket.partner_id),
    "support.review": _own_unit(lambda ticket: ticket.commune_id),
}


_OPEN = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)

# State rules: action -> predicate(obj), whether the object's state allows the action now, apart from who asks.
# can() asks both (a page offers the form only when it can be used); get_or_404() asks only who (403), so a form
# sent after the state moved on (a double click, a colleague's decision) gets the service's message (422) instead.
STATE_RULES: dict[str, Callable[[Any], bool]] = {
    "task.update_status": lambda task: task.status != TaskStatus.SUBMITTED,  # the review decides it first
    "task.submit": lambda task: task.item.review_required and task.status in _OPEN,
    "task.review": lambda task: task.status == TaskStatus.SUBMITTED,
    "task.request_extension": lambda task: task.effective_deadline is not None and task.status in _OPEN,
    "task.decide_extension": lambda request: request.decision is None,
}


def ticket_side(action: str) -> str:
    """The side a ticket's transition belongs to: the partner's work or the commune's review (a permission, and the
    endpoint that applies it)."""
    return "support.work" if TICKET_TRANSITIONS[action].by_partner else "support.review"


def _ticket_transition(action: str) -> Callable[[User, SupportTicket], bool]:
    transition, side = TICKET_TRANSITIONS[action], OBJECT_RULES[ticket_side(action)]
    return lambda user, ticket: side(user, ticket) and ticket.status in transition.sources


OBJECT_RULES.update({f"support.{action}": _ticket_transition(action) for action in TICKET_TRANSITIONS})


def scope_path(user: User | None) -> str:
    """The path of the root of the user's subtree: the nearest administrative level (a district, a province)
    at or above their unit; WHOLE_TREE when there is none (a one-district install, or a unit at the top).

    Read once per request. No user (the console, a public page): the whole tree."""
    if user is None or not getattr(user, "is_authenticated", False):
        return WHOLE_TREE
    cache = g.setdefault("scope_paths", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = user.organization.level_path()
    return cache[user.id]


def scope_root(user: User) -> Organization | None:
    """The administrative level whose subtree the user works in; None for the whole tree."""
    path = scope_path(user)
    if path == WHOLE_TREE:
        return None
    return db.session.get(Organization, int(path.strip("/").rsplit("/", 1)[-1]))


def area_level(user: User) -> str:
    """The level name of the user's area (huyện, tỉnh, thị xã, ...), the People's Committee its documents and totals
    speak for; "huyện" on a one-district instance, which has no node above its units."""
    root = scope_root(user)
    return root.level_name if root is not None and root.level_name else "huyện"


def holds_every_unit(user: User | None) -> bool:
    """Whether the user's subtree holds every unit: the whole tree, or the subtree of the tree's only root (the
    province office of a province installed alone). Its SQL conditions are then left out: `lead_unit_id IN (the
    province's 250 units)` is true of every task, but it turns the planner from the deadline index to a sort."""
    path = scope_path(user)
    return path == WHOLE_TREE or path == _only_root_path()


def _only_root_path() -> str | None:
    """The path of the tree's root when there is one only (read once per request)."""
    if has_request_context() and "only_root_path" in g:
        return g.only_root_path
    roots = db.session.scalars(select(Organization.path).where(Organization.parent_id.is_(None)).limit(2)).all()
    path = roots[0] if len(roots) == 1 else None
    if has_request_context():
        g.only_root_path = path
    return path


def subtree_units(user: User | None) -> Select:
    """SELECT of the ids of the units in the user's subtree (index range on the path)."""
    stmt = select(Organization.id)
    return stmt if holds_every_unit(user) else stmt.where(Organization.within(scope_path(user)))


def in_subtree(unit_column, user: User | None):
    """SQL: the unit in `unit_column` belongs to the user's subtree (always true when it holds every unit)."""
    if holds_every_unit(user):
        return true()
    return unit_column.in_(subtree_units(user))


def units_in_scope(user: User | None, stmt: Select | None = None) -> Select:
    """A SELECT of the units of the user's subtree (for pickers and unit tables; whatever the role)."""
    stmt = select(Organization) if stmt is None else stmt
    return stmt if holds_every_unit(user) else stmt.where(Organization.within(scope_path(user)))


def assignable_units(user: User) -> Select:
    """The active units of the user's subtree that carry tasks and users (no administrative levels), in picker
    order."""
    return units_in_scope(user).where(Organization.active.is_(True), Organization.kind != OrgKind.AREA).order_by(
        *Organization.picker_order())


def issued_in_scope(user: User, obj: Any) -> bool:
    """Whether the directive (of an item or task) was issued within the user's subtree: only its level manages
    it; a district sees a province's directive through its tasks but does not change it."""
    if isinstance(obj, Task):
        obj = obj.item
    if isinstance(obj, Item):
        obj = obj.directive
    path = scope_path(user)
    if path == WHOLE_TREE:
        return True
    issuer = db.session.get(Organization, obj.organization_id) if obj.organization_id else None
    return issuer is not None and issuer.path.startswith(path)


def _villages_of(user: User):
    return select(Village.id).where(Village.commune_id == user.organization_id)


class _AnyOf(ColumnElement):
    """`column IN (subquery)`, which PostgreSQL writes `column = ANY(ARRAY(subquery))`: the subquery runs once
    (an InitPlan), so an OR beside it becomes a BitmapOr of two index scans; `IN (subquery)` there is a hashed
    SubPlan that makes PostgreSQL scan the whole table. SQLite serves either form with its indexes (MULTI-INDEX OR)."""

    inherit_cache = True
    type = NullType()  # a Boolean type would make SQLite compare it with 1, which no index serves
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("subquery", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, subquery: Select):
        self.column, self.subquery = column, subquery.scalar_subquery()


@compiles(_AnyOf)
def _any_of(element, compiler, **kw):
    return compiler.process(element.column.in_(element.subquery.element), **kw)


@compiles(_AnyOf, "postgresql")
def _any_of_postgresql(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{compiler.process(element.subquery, **kw)})"


def _officer_tasks(user: User):
    """SQL: the user's unit leads the task or co-operates on it, each side served by an index on both databases."""
    return or_(Task.lead_unit_id == user.organization_id, _AnyOf(Task.id, select(task_cooperator.c.task_id).where(
        task_cooperator.c.organization_id == user.organization_id)))


# Model -> SQL condition limiting an officer to their own unit's rows.
SCOPES: dict[type, Callable[[User], Any]] = {
    Village: lambda user: Village.commune_id == user.organization_id,
    Task: _officer_tasks,
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


def _subtree_villages(user: User):
    return select(Village.id).where(in_subtree(Village.commune_id, user))


def _subtree_directives(user: User):
    """Directives issued in the subtree, or carrying a task one of its units leads (a province's directive)."""
    return or_(in_subtree(Directive.organization_id, user), Directive.id.in_(
        select(Item.directive_id).join(Task, Task.item_id == Item.id).where(in_subtree(Task.lead_unit_id, user))))


# Model -> SQL condition limiting admins, coordinators and monitors to their subtree (see scope_path).
SUBTREE_SCOPES: dict[type, Callable[[User], Any]] = {
    Organization: lambda user: Organization.within(scope_path(user)),
    User: lambda user: in_subtree(User.organization_id, user),
    Village: lambda user: in_subtree(Village.commune_id, user),
    Task: lambda user: in_subtree(Task.lead_unit_id, user),
    Team: lambda user: Team.village_id.in_(_subtree_villages(user)),
    TeamMember: lambda user: TeamMember.team_id.in_(
        select(Team.id).where(Team.village_id.in_(_subtree_villages(user)))),
    OutreachActivity: lambda user: in_subtree(OutreachActivity.organization_id, user),
    SupportTicket: lambda user: or_(in_subtree(SupportTicket.commune_id, user),
                                    in_subtree(SupportTicket.partner_id, user)),
    Directive: _subtree_directives,
    Item: lambda user: or_(Item.directive_id.in_(select(Directive.id).where(
        in_subtree(Directive.organization_id, user))), Item.id.in_(
        select(Task.item_id).where(in_subtree(Task.lead_unit_id, user)))),
    ExtensionRequest: lambda user: ExtensionRequest.task_id.in_(
        select(Task.id).where(in_subtree(Task.lead_unit_id, user))),
    ApiToken: lambda user: ApiToken.user_id.in_(select(User.id).where(in_subtree(User.organization_id, user))),
    CalendarDay: lambda user: true(),  # one working-day calendar for the country (public holidays are national)
}
# Every model an officer scope exists for has a subtree scope too (a district reader asks for the same lists).
assert set(SCOPES) <= set(SUBTREE_SCOPES), set(SCOPES) - set(SUBTREE_SCOPES)


def sees_everything(user: User) -> bool:
    """Admins, coordinators and monitors see every unit's objects of their subtree."""
    return user.role in DISTRICT_WIDE


def can(user: Any, action: str, obj: Any = None, *, now: bool = True) -> bool:
    """Whether the user may perform the action (on the object, when one is given, and with `now` in its current
    state)."""
    if action == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS[action]:
        return False
    if obj is None:
        return True
    rule, state = OBJECT_RULES.get(action), STATE_RULES.get(action)
    return (rule is None or rule(user, obj)) and (not now or state is None or state(obj))


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


def subtree_scoped(model: type, user: User | None, stmt: Select | None = None) -> Select:
    """A SELECT of `model` limited to the user's subtree whatever their role: the figures every unit of a district
    shares (team coverage, its targets)."""
    stmt = select(model) if stmt is None else stmt
    return stmt if holds_every_unit(user) else stmt.where(SUBTREE_SCOPES[model](user))


def reported_units(unit_column, user: User):
    """SQL: the unit in `unit_column` is one the user's reports count: an officer's own, or any of the subtree."""
    return in_subtree(unit_column, user) if sees_everything(user) else unit_column == user.organization_id


def child_areas(user: User) -> Select:
    """The administrative levels one step below the root of the user's subtree (a province's districts), in
    name order; the top levels for the whole tree."""
    root = scope_root(user)
    parent = Organization.parent_id.is_(None) if root is None else Organization.parent_id == root.id
    return select(Organization).where(parent, Organization.kind == OrgKind.AREA).order_by(Organization.sort_key)


def scoped(model: type, user: User, stmt: Select | None = None) -> Select:
    """A SELECT of `model` limited to the rows the user may see."""
    stmt = select(model) if stmt is None else stmt
    if sees_everything(user):
        return stmt if holds_every_unit(user) else stmt.where(SUBTREE_SCOPES[model](user))
    if model not in SCOPES:
        raise KeyError(f"no officer scope for {model.__name__}")
    return stmt.where(SCOPES[model](user))


def get_own_or_404(model: type, object_id: int, user: User, owner_column):
    """One of the user's own rows (a notification, an API token) by id; another user's is not found (404)."""
    return db.session.scalar(select(model).where(model.id == object_id, owner_column == user.id)) or abort(404)


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
    if action is not None and not can(user, action, obj, now=False):
        abort(403)
    return obj
