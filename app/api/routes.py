"""The API's reading views: directives, items, tasks and a task's history, coverage, outreach totals, tickets.

Each loads through scoped() or get_or_404() like the web, so a unit's scope is the same here and there.
"""
from __future__ import annotations

from datetime import date
from http import HTTPStatus

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import bp, schemas
from app.api.auth import token_required
from app.api.cursors import keyset_page
from app.api.etags import with_etag
from app.clock import today
from app.models import Directive, Item, SupportTicket, Task, TaskClass, TaskUpdate
from app.outreach import services as outreach
from app.permissions import get_or_404, scoped
from app.tasks import queries
from app.tasks.classes import class_of
from app.teams import coverage

DOCUMENTED_ERRORS = (401, 403, 404, 422, 429)


def documented(*codes: int):
    """Document the problem+json answers of an operation."""
    def decorator(view):
        for code in reversed(codes or DOCUMENTED_ERRORS):
            view = bp.alt_response(code, response=HTTPStatus(code).name)(view)
        return view
    return decorator


def _by_id(row) -> list:
    return [row.id]


@bp.get("/directives")
@token_required("directive.view")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.page_of(schemas.DirectiveOut))
@documented(401, 403, 422, 429)
def list_directives(args, *, user):
    """Directives in the caller's scope, by id."""
    return keyset_page(scoped(Directive, user), [Directive.id], args.get("cursor"), args["limit"], _by_id)


@bp.get("/directives/<int:directive_id>")
@token_required("directive.view")
@bp.response(200, schemas.DirectiveOut)
@documented(401, 403, 404, 429)
def get_directive(directive_id: int, *, user):
    """One directive."""
    return get_or_404(Directive, directive_id, user)


@bp.get("/items")
@token_required("directive.view")
@bp.arguments(schemas.ItemQuery, location="query")
@bp.response(200, schemas.page_of(schemas.ItemOut))
@documented(401, 403, 422, 429)
def list_items(args, *, user):
    """Items of the directives in the caller's scope (those its unit has a task in, for an officer), by id."""
    stmt = scoped(Item, user)
    if args.get("directive_id"):
        stmt = stmt.where(Item.directive_id == args["directive_id"])
    return keyset_page(stmt, [Item.id], args.get("cursor"), args["limit"], _by_id)


def _task_out(task: Task, task_class=None) -> Task:
    """A task with its class (computed in SQL for lists, from the loaded task for one)."""
    task.task_class = TaskClass(task_class) if task_class is not None else class_of(task, today())
    return task


@bp.get("/tasks")
@token_required("task.view")
@bp.arguments(schemas.TaskQuery, location="query")
@bp.response(200, schemas.page_of(schemas.TaskOut))
@documented(401, 403, 422, 429)
def list_tasks(args, *, user):
    """Tasks in the caller's scope, filtered as on /tasks, oldest change first: poll with updated_since."""
    cls = args.get("task_class")
    filters = queries.TaskFilters(unit_id=args.get("unit_id"), directive_id=args.get("directive_id"),
                                  task_class=cls.value if cls else None,
                                  status=args["status"].value if args.get("status") else None)
    stmt = queries.task_list_query(user, today(), filters)
    if args.get("updated_since"):
        stmt = stmt.where(Task.updated_at >= args["updated_since"])
    page = keyset_page(stmt, [Task.updated_at, Task.id], args.get("cursor"), args["limit"],
                       lambda row: [row[0].updated_at, row[0].id], rows=True)
    page["items"] = [_task_out(task, task_class) for task, task_class in page["items"]]
    return page


@bp.get("/tasks/<int:task_id>")
@token_required("task.view")
@bp.response(200, schemas.TaskOut, headers={"ETag": {"description": "the task's version",
                                                          "schema": {"type": "string"}}})
@documented(401, 403, 404, 429)
def get_task(task_id: int, *, user):
    """One task, with its version as the ETag to send in If-Match when changing it."""
    task = _task_out(get_or_404(Task, task_id, user))
    return with_etag(schemas.TaskOut().dump(task), task.version, url_for("tasks.show", task_id=task.id))


@bp.get("/tasks/<int:task_id>/history")
@token_required("task.view")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.page_of(schemas.TaskUpdateOut))
@documented(401, 403, 404, 422, 429)
def task_history(args, task_id: int, *, user):
    """A task's history, newest first."""
    task = get_or_404(Task, task_id, user)
    stmt = (select(TaskUpdate).where(TaskUpdate.task_id == task.id).options(selectinload(TaskUpdate.author)))
    return keyset_page(stmt, [TaskUpdate.id], args.get("cursor"), args["limit"], _by_id, descending=True)


@bp.get("/coverage")
@token_required("team.view")
@bp.response(200, schemas.CoverageReport)
@documented(401, 403, 429)
def team_coverage(*, user):
    """Community technology team coverage: the district and each commune (public figures, as on /cong-khai)."""
    return {"district": coverage.district_coverage(user), "communes": coverage.coverage_by_commune(user)}


@bp.get("/outreach/totals")
@token_required("outreach.view")
@bp.arguments(schemas.OutreachQuery, location="query")
@bp.response(200, schemas.OutreachReport)
@documented(401, 403, 422, 429)
def outreach_totals(args, *, user):
    """Outreach activities in the caller's scope, summed overall and per kind; filters as on /outreach."""
    month = args.get("month")
    flt = outreach.OutreachFilter(unit_id=args.get("unit_id"), kind=args.get("kind"),
                                  month=date(int(month[:4]), int(month[5:]), 1) if month else None)
    overall = outreach.overall_totals(user, flt)._asdict()
    return {"overall": {"kind": None, **overall},
            "by_kind": [row._asdict() for row in outreach.totals_by_kind(user, flt)]}


@bp.get("/tickets")
@token_required("support.view")
@bp.arguments(schemas.TicketQuery, location="query")
@bp.response(200, schemas.page_of(schemas.TicketOut))
@documented(401, 403, 422, 429)
def list_tickets(args, *, user):
    """Support tickets in the caller's scope (a commune's own, a partner's own), by id."""
    stmt = scoped(SupportTicket, user).options(selectinload(SupportTicket.commune),
                                               selectinload(SupportTicket.partner))
    if args.get("status"):
        stmt = stmt.where(SupportTicket.status == args["status"])
    return keyset_page(stmt, [SupportTicket.id], args.get("cursor"), args["limit"], _by_id)


@bp.get("/tickets/<int:ticket_id>")
@token_required("support.view")
@bp.response(200, schemas.TicketOut, headers={"ETag": {"description": "the ticket's version",
                                                            "schema": {"type": "string"}}})
@documented(401, 403, 404, 429)
def get_ticket(ticket_id: int, *, user):
    """One support ticket, with its version as the ETag."""
    ticket = get_or_404(SupportTicket, ticket_id, user)
    return with_etag(schemas.TicketOut().dump(ticket), ticket.version, url_for("support.show", ticket_id=ticket.id))

