"""The API's reading views: directives, items, tasks and a task's history, coverage, outreach totals, tickets.

Each loads through scoped() or get_or_404() like the web, so a unit's scope is the same here and there.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import url_for
from sqlalchemy.orm import selectinload

from app.api import bp, schemas
from app.api.auth import token_required
from app.api.cursors import keyset_page
from app.api.etags import with_etag
from app.clock import today
from app.forms import parse_month
from app.models import Directive, Item, SupportTicket, Task, TaskClass, TaskUpdate
from app.outreach import services as outreach
from app.permissions import get_or_404, scoped
from app.tasks import queries
from app.tasks.classes import class_of
from app.teams import coverage

IF_MATCH = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
            "description": "the ETag of the object as last read"}
ETAG = {"ETag": {"description": "the object's version, to send in If-Match when changing it",
                 "schema": {"type": "string"}}}


def operation(permission: str, answer, *, query=None, body=None, one: bool = False, etag: bool = False):
    """One API operation: a token holding `permission`, its query or body schema, its answer, and the problem+json
    answers that follow from them (422 for input, 404 for one object, 409/412/428 for a write), documented."""
    codes = {401, 403, 429} | ({422} if query or body else set()) | ({404} if one else set())
    codes |= {409, 412, 428} if body else set()

    def decorator(view):
        for code in sorted(codes, reverse=True):
            view = bp.alt_response(code, response=HTTPStatus(code).name)(view)
        if body is not None:
            view = bp.doc(parameters=[IF_MATCH])(view)
        view = bp.response(200, answer, headers=ETAG if etag else None)(view)
        if body is not None:
            view = bp.arguments(body)(view)
        if query is not None:
            view = bp.arguments(query, location="query")(view)
        return token_required(permission)(view)
    return decorator


@bp.get("/directives")
@operation("directive.view", schemas.page_of(schemas.DirectiveOut), query=schemas.PageQuery)
def list_directives(args, *, user):
    """Directives in the caller's scope, by id."""
    return keyset_page(scoped(Directive, user), [Directive.id], args)


@bp.get("/directives/<int:directive_id>")
@operation("directive.view", schemas.DirectiveOut, one=True)
def get_directive(directive_id: int, *, user):
    """One directive."""
    return get_or_404(Directive, directive_id, user)


@bp.get("/items")
@operation("directive.view", schemas.page_of(schemas.ItemOut), query=schemas.ItemQuery)
def list_items(args, *, user):
    """Items of the directives in the caller's scope (those its unit has a task in, for an officer), by id."""
    stmt = scoped(Item, user)
    if args.get("directive_id"):
        stmt = stmt.where(Item.directive_id == args["directive_id"])
    return keyset_page(stmt, [Item.id], args)


def _task_out(task: Task, task_class=None) -> Task:
    """A task with its class (computed in SQL for lists, from the loaded task for one)."""
    task.task_class = TaskClass(task_class) if task_class is not None else class_of(task, today())
    return task


@bp.get("/tasks")
@operation("task.view", schemas.page_of(schemas.TaskOut), query=schemas.TaskQuery)
def list_tasks(args, *, user):
    """Tasks in the caller's scope, filtered as on /tasks, oldest change first: poll with updated_since."""
    cls = args.get("task_class")
    filters = queries.TaskFilters(unit_id=args.get("unit_id"), directive_id=args.get("directive_id"),
                                  task_class=cls.value if cls else None,
                                  status=args["status"].value if args.get("status") else None)
    stmt = queries.task_list_query(user, today(), filters)
    if args.get("updated_since"):
        stmt = stmt.where(Task.updated_at >= args["updated_since"])
    page = keyset_page(stmt, [Task.updated_at, Task.id], args, lambda row: [row[0].updated_at, row[0].id],
                       rows=True)
    page["items"] = [_task_out(task, task_class) for task, task_class in page["items"]]
    return page


@bp.get("/tasks/<int:task_id>")
@operation("task.view", schemas.TaskOut, one=True, etag=True)
def get_task(task_id: int, *, user):
    """One task, with its version as the ETag to send in If-Match when changing it."""
    task = _task_out(get_or_404(Task, task_id, user))
    return with_etag(schemas.TaskOut, task, url_for("tasks.show", task_id=task.id))


@bp.get("/tasks/<int:task_id>/history")
@operation("task.view", schemas.page_of(schemas.TaskUpdateOut), query=schemas.PageQuery, one=True)
def task_history(args, task_id: int, *, user):
    """A task's history, newest first."""
    task = get_or_404(Task, task_id, user)
    return keyset_page(queries.history_query(task.id), [TaskUpdate.id], args, descending=True)


@bp.get("/coverage")
@operation("team.view", schemas.CoverageReport)
def team_coverage(*, user):
    """Community technology team coverage: the district and each commune (public figures, as on /cong-khai)."""
    return {"district": coverage.district_coverage(user), "communes": coverage.coverage_by_commune(user)}


@bp.get("/outreach/totals")
@operation("outreach.view", schemas.OutreachReport, query=schemas.OutreachQuery)
def outreach_totals(args, *, user):
    """Outreach activities in the caller's scope, summed overall and per kind; filters as on /outreach."""
    flt = outreach.OutreachFilter(unit_id=args.get("unit_id"), kind=args.get("kind"),
                                  month=parse_month(args.get("month")))
    overall = outreach.overall_totals(user, flt)._asdict()
    return {"overall": {"kind": None, **overall},
            "by_kind": [row._asdict() for row in outreach.totals_by_kind(user, flt)]}


@bp.get("/tickets")
@operation("support.view", schemas.page_of(schemas.TicketOut), query=schemas.TicketQuery)
def list_tickets(args, *, user):
    """Support tickets in the caller's scope (a commune's own, a partner's own), by id."""
    stmt = scoped(SupportTicket, user).options(selectinload(SupportTicket.commune),
                                               selectinload(SupportTicket.partner))
    if args.get("status"):
        stmt = stmt.where(SupportTicket.status == args["status"])
    return keyset_page(stmt, [SupportTicket.id], args)


@bp.get("/tickets/<int:ticket_id>")
@operation("support.view", schemas.TicketOut, one=True, etag=True)
def get_ticket(ticket_id: int, *, user):
    """One support ticket, with its version as the ETag."""
    ticket = get_or_404(SupportTicket, ticket_id, user)
    return with_etag(schemas.TicketOut, ticket, url_for("support.show", ticket_id=ticket.id))

