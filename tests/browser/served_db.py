"""The served database, read and prepared from the test process: ids that screen paths name (e.g.
"/tasks/{overdue_task}") and the state a flow starts from (a task just assigned to a unit)."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from app.clock import today
from app.directives import services as directives
from app.extensions import db
from app.models import (
    Directive,
    DocType,
    Item,
    Kpi,
    Organization,
    Role,
    SupportTicket,
    Task,
    TaskStatus,
    Team,
    User,
    Village,
    task_cooperator,
)
from tests.conftest import make_app

OPEN = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


def _unit_of(username: str):
    return select(User.organization_id).where(User.username == username).scalar_subquery()


def _first_task_led_by(username: str):
    return select(Task.id).where(Task.lead_unit_id == _unit_of(username)).order_by(Task.id).limit(1)


def _task_not_visible_to(username: str):
    return (select(Task.id).where(Task.lead_unit_id != _unit_of(username),
                                  Task.id.not_in(select(task_cooperator.c.task_id).where(
                                      task_cooperator.c.organization_id == _unit_of(username))))
            .order_by(Task.id).limit(1))


# Name -> query returning one id. Add a row when a screen needs a new object.
LOOKUPS: dict[str, Callable[[], object]] = {
    "demo_directive": lambda: select(Directive.id).where(Directive.number == "1234/UBND-VP"),
    "demo_item": lambda: select(Item.id).join(Directive).where(Directive.number == "1234/UBND-VP")
    .order_by(Item.position).limit(1),
    "overdue_task": lambda: select(Task.id).where(Task.status.in_(OPEN), Task.effective_deadline_expr() < today())
    .order_by(Task.id).limit(1),
    "task_of_tamphuoc": lambda: _first_task_led_by("tamphuoc"),
    "task_of_vnpt": lambda: _first_task_led_by("vnpt"),
    "task_hidden_from_tamphuoc": lambda: _task_not_visible_to("tamphuoc"),
    "task_hoiphunu_cooperates_on": lambda: select(task_cooperator.c.task_id)
    .where(task_cooperator.c.organization_id == _unit_of("hoiphunu")).order_by(task_cooperator.c.task_id).limit(1),
    "team_coverage_task_of_tamdann": lambda: select(Task.id).join(Item).join(Directive)
    .where(Directive.number == "1234/UBND-VP", Item.kpi == Kpi.TEAM_COVERAGE, Task.lead_unit_id == _unit_of("tamdann")),
    "team_of_tamphuoc": lambda: select(Team.id).join(Village)
    .where(Village.commune_id == _unit_of("tamphuoc"), Team.active.is_(True)).order_by(Team.id).limit(1),
    "village_of_tamphuoc": lambda: select(Village.id).where(Village.commune_id == _unit_of("tamphuoc"))
    .order_by(Village.id).limit(1),
    "ticket_of_viettel": lambda: select(SupportTicket.id).where(SupportTicket.partner_id == _unit_of("viettel"))
    .order_by(SupportTicket.id).limit(1),
}


def resolve_lookups(database_url: str) -> dict[str, int]:
    """Every lookup's id in the database at `database_url`; a missing object fails loudly."""
    app = make_app(database_url)
    with app.app_context():
        ids = {name: db.session.scalar(query()) for name, query in LOOKUPS.items()}
        db.engine.dispose()
    missing = [name for name, value in ids.items() if value is None]
    if missing:
        raise LookupError(f"the demo has no object for {missing}")
    return ids


_numbers = itertools.count(1)


def assign_new_task(database_url: str, username: str, title: str, deadline_in_days: int = 10,
                    review_required: bool = False) -> int:
    """Have the district office assign a new one-item directive to `username`'s unit; the new task's id (its item
    needs no review unless asked: the flows that mark a task done predate completion review)."""
    app = make_app(database_url)
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "vanphong"))
        unit_id = db.session.scalar(select(User.organization_id).where(User.username == username))
        directive = directives.save_directive(
            None, office, number=f"{next(_numbers)}/TB-UBND", doc_type=DocType.NOTICE, issuer="UBND huyện Phú Ninh",
            issued_on=today(), signer="Trần Văn Minh", summary=title, body="", final_deadline=None)
        item = directives.add_item(directive, office, title=title, description="", kpi=None,
                                   default_deadline=today() + timedelta(days=deadline_in_days),
                                   review_required=review_required)
        [task] = directives.assign_item(item, office, lead_unit_ids=[unit_id], cooperating_unit_ids=[],
                                        deadline=item.default_deadline)
        task_id = task.id
        db.engine.dispose()
    return task_id


def officer_of_commune(database_url: str, ticket_id: int) -> str:
    """The username of the officer of the commune that filed this ticket."""
    app = make_app(database_url)
    with app.app_context():
        username = db.session.scalar(
            select(User.username).join(Organization, User.organization_id == Organization.id)
            .join(SupportTicket, SupportTicket.commune_id == Organization.id)
            .where(SupportTicket.id == ticket_id, User.role != Role.ADMIN).order_by(User.id).limit(1))
        db.engine.dispose()
    return username
