"""The dashboard and /healthz."""
from flask import jsonify
from flask_login import current_user
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from app import schema
from app.clock import today
from app.extensions import db
from app.htmx import render
from app.main import bp
from app.permissions import can, public, require, sees_everything
from app.support.services import overdue_ticket_count, overdue_tickets_for
from app.tasks import review
from app.tasks.queries import (
    area_class_table,
    class_counts,
    due_soon_tasks,
    led_class_counts,
    overdue_tasks,
    total_counts,
    unit_class_table,
)

TABLE_UNITS = 25  # the district table's rows: the units with the most overdue tasks (a district has about 20)


@bp.get("/")
@require("dashboard.view")
def dashboard():
    """Counts per class in the user's scope, then overdue tasks, then tasks due soon.

    A district-wide reader counts every task once; a unit counts the tasks it leads (chủ trì) apart from those
    it co-operates on (phối hợp), as the district table does.
    """
    now = today()
    district = sees_everything(current_user)
    unit_id = None if district else current_user.organization_id
    led = led_class_counts(current_user, now) if district else None  # one scan of the tasks for three tables
    unit_rows = unit_class_table(current_user, now, led) if district else None
    reviews = review.awaiting_review(current_user) if can(current_user, "task.review") else None
    requests = review.pending_extensions(current_user) if can(current_user, "task.decide_extension") else None
    return render("main/dashboard.html", today=now, led=led, reviews=reviews, extension_requests=requests,
                  counts=total_counts(led) if district else class_counts(current_user, now, unit_id),
                  cooperating_counts=None if district else class_counts(current_user, now, unit_id, cooperating=True),
                  overdue=overdue_tasks(current_user, now),
                  due_soon=due_soon_tasks(current_user, now),
                  overdue_tickets=overdue_tickets_for(current_user, now),
                  overdue_ticket_count=overdue_ticket_count(current_user, now),
                  unit_rows=unit_rows[:TABLE_UNITS] if district else None, unit_count=len(unit_rows or ()),
                  area_rows=area_class_table(current_user, now) if district else None)


@bp.get("/healthz")
@public
def healthz():
    """200 when the database answers and holds this code's schema; 503 (saying which) otherwise."""
    try:
        tables = set(inspect(db.session.connection()).get_table_names())
        revisions = (set(db.session.scalars(text(schema.VERSION_QUERY)))
                     if schema.VERSION_TABLE in tables else None)
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    problem = schema.schema_problem(tables, revisions)
    if problem:
        return jsonify(status="error", database="ok", schema=problem), 503
    return jsonify(status="ok", database="ok", schema="ok")
