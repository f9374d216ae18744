"""Recording directives and items, fanning an item out to units in one transaction, and correcting them."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, submissions
from app.calendar import add_working_days
from app.clock import today
from app.directives import recurring
from app.extensions import db
from app.locking import compare_and_set_all
from app.models import (
    CLOSED_STATUSES,
    COMMUNE_LEVEL,
    Directive,
    DocType,
    Instruction,
    Item,
    Kpi,
    Notification,
    NotificationKind,
    Organization,
    OrgKind,
    OutreachActivity,
    Recurrence,
    Reminder,
    Task,
    TaskStatus,
    TaskUpdate,
    User,
)
from app.notifications import notify
from app.permissions import units_in_scope
from app.rules import RuleError

# Groups an item can be assigned to in one step.
GROUP_KINDS = {
    "communes": COMMUNE_LEVEL,
    "unions": (OrgKind.UNION,),
    "partners": (OrgKind.PARTNER,),
}

DIRECTIVE_FIELDS = ("number", "doc_type", "issuer", "issued_on", "signer", "summary", "body", "final_deadline")
ITEM_FIELDS = ("title", "description", "default_deadline", "kpi", "recurrence", "review_required", "evidence_required")
# Long texts are kept in the audit trail by their beginning.
AUDIT_TEXT_LENGTH = 200

DUPLICATE_NUMBER = _l("This issuer already has a directive with this number.")
OUTSIDE_UNITS = _l("Tasks go to units of your own province or district only (not to an administrative level "
                   "itself). Nothing was created.")
CANCELLED_DIRECTIVE = _l("This directive is cancelled: nothing can be added to it.")
REASON_REQUIRED = _l("Give the reason for the cancellation.")
ITEM_HAS_UPDATES = _l("Units have already reported on this item's tasks: it cannot be deleted. "
                      "Cancel its open tasks instead.")
TASK_HAS_UPDATES = _l("The unit has already reported on this task: it cannot be unassigned. "
                      "A coordinator may cancel it instead.")


def _audit_value(value):
    return value[:AUDIT_TEXT_LENGTH] if isinstance(value, str) else value


def _changes(obj, fields: tuple[str, ...], new_values: dict) -> dict:
    return {name: (_audit_value(getattr(obj, name)), _audit_value(new_values[name])) for name in fields}


def _update(obj, names: tuple[str, ...], fields: dict, actor: User, action: str):
    """Set the named fields, audit the old and new values, commit; the object."""
    changes = _changes(obj, names, fields)
    for name in names:
        setattr(obj, name, fields[name])
    audit.record(action, obj, actor=actor, changes=changes)
    db.session.commit()
    return obj


def save_directive(directive: Directive | None, actor: User, *, submission_key: str | None = None,
                   **fields) -> Directive:
    """Create a directive, or update one; the (issuer, number) pair is unique. A repeated create form
    (the same submission key) returns the directive it created."""
    if directive is None and (earlier := submissions.earlier(actor, submission_key, Directive)) is not None:
        return earlier
    clash = select(Directive.id).where(func.lower(Directive.issuer) == fields["issuer"].lower(),
                                       Directive.number == fields["number"])
    if directive is not None:
        clash = clash.where(Directive.id != directive.id)
    if db.session.scalar(clash) is not None:
        raise RuleError(DUPLICATE_NUMBER, field="number")
    fields = {**fields, "doc_type": DocType(fields["doc_type"]), "body": fields["body"] or ""}
    if directive is None:
        directive = Directive(created_by_id=actor.id, organization_id=actor.organization_id,
                              **{name: fields[name] for name in DIRECTIVE_FIELDS})
        db.session.add(directive)
        db.session.flush()
        audit.record("directive.create", directive, actor=actor, changes={
            name: (None, fields[name]) for name in ("number", "doc_type", "issued_on", "final_deadline")})
        return submissions.commit(actor, submission_key, directive)
    return _update(directive, DIRECTIVE_FIELDS, fields, actor, "directive.update")


def add_item(directive: Directive, actor: User, *, title: str, description: str | None,
             default_deadline: date | None, kpi: str | None, submission_key: str | None = None,
             commit: bool = True, recurrence: str | None = None, review_required: bool = True,
             evidence_required: bool = False) -> Item:
    """Append an item to the directive; a repeated form (the same submission key) returns the item it added.
    With commit=False the caller commits (an import adds many items in one transaction)."""
    if (earlier := submissions.earlier(actor, submission_key, Item)) is not None:
        return earlier
    if directive.cancelled_on is not None:
        raise RuleError(CANCELLED_DIRECTIVE)
    position = (db.session.scalar(select(func.max(Item.position)).where(Item.directive_id == directive.id)) or 0) + 1
    item = Item(directive=directive, position=position, title=title, description=description or "",
                default_deadline=default_deadline, kpi=Kpi(kpi) if kpi else None,
                recurrence=Recurrence(recurrence) if recurrence else None,
                review_required=review_required, evidence_required=evidence_required)
    db.session.add(item)
    db.session.flush()
    audit.record("item.create", item, actor=actor, changes={
        "title": (None, title), "default_deadline": (None, default_deadline), "kpi": (None, item.kpi)})
    if not commit:
        return item
    return submissions.commit(actor, submission_key, item)


def update_item(item: Item, actor: User, **fields) -> Item:
    """Correct an item's title, description, default deadline or indicator (its tasks keep their deadlines)."""
    fields = {**fields, "description": fields["description"] or "",
              "kpi": Kpi(fields["kpi"]) if fields["kpi"] else None,
              "recurrence": Recurrence(fields["recurrence"]) if fields.get("recurrence") else None}
    return _update(item, ITEM_FIELDS, fields, actor, "item.update")


def deadline_of(given_as: str, day: date | None, working_days: int | None) -> date | None:
    """The deadline an assignment stores: the date typed, or N working days from today (app.calendar)."""
    if given_as == "working_days" and working_days:
        return add_working_days(today(), working_days)
    return day


def units_of_group(group: str, actor: User | None) -> list[int]:
    """Ids of the active units of a group ("communes", "unions", "partners") in the actor's subtree."""
    return list(db.session.scalars(units_in_scope(actor, select(Organization.id)).where(
        Organization.kind.in_(GROUP_KINDS[group]), Organization.active.is_(True))))


def _unit_names(unit_ids) -> list[str]:
    return list(db.session.scalars(select(Organization.name).where(Organization.id.in_(unit_ids))
                                   .order_by(*Organization.picker_order())))


def assign_item(item: Item, actor: User, *, lead_unit_ids: list[int], cooperating_unit_ids: list[int],
                deadline: date | None, commit: bool = True) -> list[Task]:
    """One task per lead unit, all or none: a failure part-way leaves no task behind (and, with commit=False,
    nothing of the caller's transaction either: an import's rows)."""
    if item.directive.cancelled_on is not None:
        raise RuleError(CANCELLED_DIRECTIVE)
    lead_unit_ids = list(dict.fromkeys(lead_unit_ids))
    period = ""
    if item.recurrence is not None:  # a periodic report: this period's task, due at its cut-off by default
        current = recurring.period_of(item.recurrence, today())
        period, deadline = recurring.period_key(current), deadline or recurring.default_deadline(current)
    chosen = set(lead_unit_ids) | set(cooperating_unit_ids)
    if len(db.session.scalars(units_in_scope(actor, select(Organization.id)).where(
            Organization.id.in_(chosen), Organization.kind != OrgKind.AREA)).all()) != len(chosen):
        raise RuleError(OUTSIDE_UNITS, field="lead_units")
    cooperating = db.session.scalars(select(Organization).where(Organization.id.in_(cooperating_unit_ids))).all()
    tasks = []
    try:
        for unit_id in lead_unit_ids:
            task = Task(item=item, lead_unit_id=unit_id, deadline=deadline, period=period,
                        status=TaskStatus.ASSIGNED, progress=0,
                        cooperating_units=[unit for unit in cooperating if unit.id != unit_id])
            db.session.add(task)
            db.session.flush()
            db.session.add(TaskUpdate(task=task, author_id=actor.id, old_status=None, new_status=TaskStatus.ASSIGNED,
                                      old_progress=None, new_progress=0, note=""))
            notify(NotificationKind.ASSIGNED, actor=actor, unit_id=unit_id, task=task)
            tasks.append(task)
        audit.record("item.assign", item, actor=actor, changes={
            "lead_units": ([], _unit_names(lead_unit_ids)),
            "cooperating_units": ([], [unit.name for unit in cooperating]), "deadline": (None, deadline)})
        if commit:
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        taken = db.session.scalars(select(Organization.name).join(Task, Task.lead_unit_id == Organization.id)
                                   .where(Task.item_id == item.id, Organization.id.in_(lead_unit_ids))).all()
        raise RuleError(_l("Already assigned to: %(units)s. Nothing was created.", units=", ".join(taken)),
                        field="lead_units") from None
    return tasks


def _reported(task_filter) -> bool:
    """Whether a task matching the filter has been reported on since its assignment: a change of status or
    progress, a note, or an outreach activity logged for it."""
    updated = exists().where(TaskUpdate.task_id == Task.id, TaskUpdate.old_status.is_not(None), task_filter)
    outreach = exists().where(OutreachActivity.task_id == Task.id, task_filter)
    return bool(db.session.scalar(select(updated | outreach)))


def item_has_updates(item: Item) -> bool:
    """Whether any unit has reported on one of the item's tasks."""
    return _reported(Task.item_id == item.id)


def task_has_updates(task: Task) -> bool:
    """Whether the lead or a co-operating unit has reported on the task since it was assigned."""
    return _reported(Task.id == task.id)


def reported_task_ids(item: Item) -> set[int]:
    """The item's tasks that have been reported on (one query for the item's page)."""
    updated = select(TaskUpdate.task_id).join(Task).where(Task.item_id == item.id, TaskUpdate.old_status.is_not(None))
    outreach = select(OutreachActivity.task_id).join(Task).where(Task.item_id == item.id)
    return set(db.session.scalars(updated.union(outreach)))


def _delete_tasks(tasks: list[Task]) -> None:
    """Delete tasks with their assignment rows (only ever called for tasks nobody has reported on), and the
    notifications, reminders and instructions about them."""
    ids = [task.id for task in tasks]
    for model in (Notification, Reminder, Instruction):
        db.session.execute(delete(model).where(model.task_id.in_(ids)))
    for task in tasks:
        for update in task.updates:
            db.session.delete(update)
        db.session.delete(task)


def delete_item(item: Item, actor: User) -> Directive:
    """Delete an item recorded by mistake, with its tasks, while no unit has reported on them."""
    if item_has_updates(item):
        raise RuleError(ITEM_HAS_UPDATES)
    directive = item.directive
    units = [task.lead_unit.name for task in item.tasks]
    audit.record("item.delete", item, actor=actor, changes={"title": (item.title, None), "lead_units": (units, [])})
    _delete_tasks(list(item.tasks))
    db.session.delete(item)
    db.session.commit()
    return directive


def unassign_task(task: Task, actor: User) -> Item:
    """Take a task back from its unit (assigned by mistake) while nobody has reported on it."""
    if task_has_updates(task):
        raise RuleError(TASK_HAS_UPDATES)
    item = task.item
    audit.record("item.unassign", item, actor=actor, changes={"lead_units": ([task.lead_unit.name], [])})
    _delete_tasks([task])
    db.session.commit()
    return item


def _cancel_open_tasks(condition, actor: User, reason: str) -> list[Task]:
    """Cancel the open tasks matching `condition` with the reason (one history row each, one UPDATE for all); the
    caller commits. They come back with their lead units, which the audit row names.

    The task's stored status changes directly: cancelling is a coordinator's decision, not the unit's report. A
    task changed since it was loaded is a Conflict, and nothing is cancelled.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(REASON_REQUIRED, field="reason")
    tasks = db.session.scalars(select(Task).join(Task.item).where(condition, Task.status.not_in(CLOSED_STATUSES))
                               .options(joinedload(Task.lead_unit)).order_by(Task.id)).all()
    db.session.add_all(TaskUpdate(task_id=task.id, author_id=actor.id, old_status=task.status,
                                  new_status=TaskStatus.CANCELLED, old_progress=task.progress,
                                  new_progress=task.progress, note=reason) for task in tasks)
    compare_and_set_all(Task, {task.id: task.version for task in tasks}, status=TaskStatus.CANCELLED)
    return tasks


def cancel_item(item: Item, actor: User, reason: str) -> list[Task]:
    """Cancel the item's open tasks with the reason; done tasks stay as they are."""
    cancelled = _cancel_open_tasks(Task.item_id == item.id, actor, reason)
    audit.record("item.cancel", item, actor=actor, changes={
        "cancel_reason": (None, _audit_value(reason.strip())),
        "cancelled_tasks": ([], sorted(task.lead_unit.name for task in cancelled))})
    db.session.commit()
    return cancelled


def cancel_directive(directive: Directive, actor: User, reason: str, on: date) -> list[Task]:
    """Cancel a directive as a whole: its open tasks are cancelled with the reason, and nothing more is added."""
    if directive.cancelled_on is not None:
        raise RuleError(_l("This directive is already cancelled."))
    cancelled = _cancel_open_tasks(Item.directive_id == directive.id, actor, reason)
    directive.cancelled_on, directive.cancel_reason = on, reason.strip()
    audit.record("directive.cancel", directive, actor=actor, changes={
        "cancel_reason": (None, _audit_value(reason.strip())),
        "cancelled_tasks": ([], sorted(task.lead_unit.name for task in cancelled))})
    db.session.commit()
    return cancelled
