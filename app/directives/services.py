"""Recording directives and items, and fanning an item out to units in one transaction."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.extensions import db
from app.models import (COMMUNE_LEVEL, Directive, DocType, Item, Kpi, Organization, OrgKind, Task, TaskStatus,
                        TaskUpdate, User)

# Groups an item can be assigned to in one step.
GROUP_KINDS = {
    "communes": COMMUNE_LEVEL,
    "unions": (OrgKind.UNION,),
    "partners": (OrgKind.PARTNER,),
}


class DuplicateDirective(Exception):
    """The issuer already has a directive with this number."""


class AlreadyAssigned(Exception):
    """One of the units already leads a task for this item; nothing was created."""

    def __init__(self, unit_names: list[str]):
        super().__init__(", ".join(unit_names))
        self.unit_names = unit_names


DIRECTIVE_FIELDS = ("number", "doc_type", "issuer", "issued_on", "signer", "summary", "body", "final_deadline")


def save_directive(directive: Directive | None, author: User, **fields) -> Directive:
    """Create a directive, or update one; the (issuer, number) pair is unique."""
    clash = select(Directive.id).where(func.lower(Directive.issuer) == fields["issuer"].lower(),
                                       Directive.number == fields["number"])
    if directive is not None:
        clash = clash.where(Directive.id != directive.id)
    if db.session.scalar(clash) is not None:
        raise DuplicateDirective
    created = directive is None
    directive = directive or Directive(created_by_id=author.id)
    for name in DIRECTIVE_FIELDS:
        setattr(directive, name, fields[name])
    directive.doc_type = DocType(fields["doc_type"])
    directive.body = fields["body"] or ""
    db.session.add(directive)
    db.session.flush()
    audit.record("directive.create" if created else "directive.update", directive, actor=author)
    db.session.commit()
    return directive


def add_item(directive: Directive, author: User, *, title: str, description: str | None,
             default_deadline: date | None, kpi: str | None) -> Item:
    """Append an item to the directive."""
    position = (db.session.scalar(select(func.max(Item.position)).where(Item.directive_id == directive.id)) or 0) + 1
    item = Item(directive=directive, position=position, title=title, description=description or "",
                default_deadline=default_deadline, kpi=Kpi(kpi) if kpi else None)
    db.session.add(item)
    db.session.flush()
    audit.record("item.create", item, actor=author)
    db.session.commit()
    return item


def units_of_group(group: str) -> list[int]:
    """Ids of the active units of a group ("communes", "unions", "partners")."""
    return list(db.session.scalars(select(Organization.id).where(
        Organization.kind.in_(GROUP_KINDS[group]), Organization.active.is_(True))))


def assign_item(item: Item, author: User, *, lead_unit_ids: list[int], cooperating_unit_ids: list[int],
                deadline: date | None) -> list[Task]:
    """One task per lead unit, all or none: a failure part-way leaves no task behind."""
    lead_unit_ids = list(dict.fromkeys(lead_unit_ids))
    cooperating = db.session.scalars(select(Organization).where(Organization.id.in_(cooperating_unit_ids))).all()
    tasks = []
    try:
        for unit_id in lead_unit_ids:
            task = Task(item=item, lead_unit_id=unit_id, deadline=deadline, status=TaskStatus.ASSIGNED, progress=0,
                        cooperating_units=[unit for unit in cooperating if unit.id != unit_id])
            db.session.add(task)
            db.session.flush()
            db.session.add(TaskUpdate(task=task, author_id=author.id, old_status=None, new_status=TaskStatus.ASSIGNED,
                                      old_progress=None, new_progress=0, note=""))
            tasks.append(task)
        audit.record("item.assign", item, actor=author, detail=f"{len(tasks)} tasks")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        taken = db.session.scalars(select(Organization.name).join(Task, Task.lead_unit_id == Organization.id)
                                   .where(Task.item_id == item.id, Organization.id.in_(lead_unit_ids))).all()
        raise AlreadyAssigned(list(taken)) from None
    return tasks
