"""SQL for "as of a date": a task's class, a ticket's status and a village's coverage as they were on that day.

Built from the append-only history (TaskUpdate, TicketEvent) and the teams' founding and deactivation dates, never
from today's state relabelled. `day` is a SQL date expression: a bound date, or a column of a series of dates.

A row that has not changed since the day is taken as it is now: then the figures for today are exactly the
dashboard's, and rows made without history (imports, fixtures) still count.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, and_, case, exists, func, literal, or_, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

import config
from app.clock import DISTRICT_TIMEZONE
from app.models import SupportTicket, Task, TaskStatus, TaskUpdate, Team, TicketEvent
from app.tasks.classes import TaskClass
from app.teams.coverage import team_counts


class local_date(FunctionElement):  # noqa: N801 (a SQL function)
    """SQL: the date in the district's time zone of a timestamp stored in UTC."""

    type = Date()
    inherit_cache = True
    name = "local_date"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    # SQLite keeps naive UTC text; Vietnam has kept one offset, without summer time, since 1975.
    hours = int(DISTRICT_TIMEZONE.utcoffset(datetime(2000, 1, 1)).total_seconds() // 3600)
    return f"date({compiler.process(element.clauses, **kw)}, '{hours:+d} hours')"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE '{config.DISTRICT_TIMEZONE}') AS DATE)"


def as_date(day: date):
    """A bound date for the expressions below."""
    return literal(day, Date)


def _text(expr):
    return type_coerce(expr, String)


def task_existed(day):
    """SQL: the task had been assigned by the end of the day."""
    return local_date(Task.created_at) <= day


def _task_as_now(day):
    """SQL: the task is as it was at the end of the day: no change since, and not completed after it."""
    changed = exists().where(TaskUpdate.task_id == Task.id, local_date(TaskUpdate.at) > day)
    return and_(~changed, or_(Task.completed_on.is_(None), Task.completed_on <= day))


def task_status_at(day):
    """SQL: the task's status at the end of the day (its last change up to then, else assigned)."""
    last = (select(_text(TaskUpdate.new_status)).where(TaskUpdate.task_id == Task.id, local_date(TaskUpdate.at) <= day)
            .order_by(TaskUpdate.at.desc(), TaskUpdate.id.desc()).limit(1).correlate_except(TaskUpdate)
            .scalar_subquery())
    return case((_task_as_now(day), _text(Task.status)),
                else_=func.coalesce(last, literal(TaskStatus.ASSIGNED.value)))


def task_done_on_at(day):
    """SQL: for a task done at the end of the day, the day it was completed."""
    became_done = (select(func.max(local_date(TaskUpdate.at)))
                   .where(TaskUpdate.task_id == Task.id, local_date(TaskUpdate.at) <= day,
                          _text(TaskUpdate.new_status) == TaskStatus.DONE.value,
                          or_(TaskUpdate.old_status.is_(None), _text(TaskUpdate.old_status) != TaskStatus.DONE.value))
                   .correlate_except(TaskUpdate).scalar_subquery())
    return case((Task.completed_on <= day, Task.completed_on), else_=became_done)


def deadline_at(day):
    """SQL: the effective deadline at the end of the day: a later decision (extension, adjustment) not yet made."""
    decided = or_(Task.extended_at.is_(None), local_date(Task.extended_at) <= day)
    return case((and_(Task.extended_deadline.is_not(None), decided), Task.extended_deadline), else_=Task.deadline)


def task_class_at(day):
    """SQL: the class a task was in at the end of the day (the rules of app.tasks.classes, on its history)."""
    status = task_status_at(day)
    done_on = task_done_on_at(day)
    deadline = deadline_at(day)
    return case(
        (status == TaskStatus.CANCELLED.value, literal(TaskClass.CANCELLED.value)),
        (deadline.is_(None), literal(TaskClass.NO_DEADLINE.value)),
        (status == TaskStatus.DONE.value,
         case((done_on <= deadline, literal(TaskClass.DONE_ON_TIME.value)),
              else_=literal(TaskClass.DONE_LATE.value))),
        (deadline >= day, literal(TaskClass.OPEN_ON_TIME.value)),
        else_=literal(TaskClass.OPEN_OVERDUE.value),
    )


def done_after_extension_at(day):
    """SQL: done on time at the end of the day only thanks to an extended deadline (hoàn thành đúng hạn có gia hạn)."""
    done_on = task_done_on_at(day)
    return and_(task_status_at(day) == TaskStatus.DONE.value, Task.extended_deadline.is_not(None),
                Task.deadline.is_not(None), done_on > Task.deadline, done_on <= deadline_at(day))


def ticket_existed(day):
    """SQL: the ticket had been filed by the end of the day."""
    return local_date(SupportTicket.created_at) <= day


def ticket_status_at(day):
    """SQL: the ticket's status at the end of the day (its last transition up to then)."""
    changed_after = exists().where(TicketEvent.ticket_id == SupportTicket.id, local_date(TicketEvent.at) > day)
    last = (select(_text(TicketEvent.to_status))
            .where(TicketEvent.ticket_id == SupportTicket.id, local_date(TicketEvent.at) <= day)
            .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()).limit(1).correlate_except(TicketEvent)
            .scalar_subquery())
    return case((~changed_after, _text(SupportTicket.status)), else_=func.coalesce(last, _text(SupportTicket.status)))


def team_existed(day, team=Team):
    """SQL: the team counted on the day: set up by then, and either counting now (app.teams.coverage's rule: active,
    enough members, a leader) or stopped only after the day. Members carry no dates, so a team still active is
    judged by its members now; a stopped team without a date never counts."""
    return and_(team.established_on <= day, or_(team_counts(team), team.deactivated_on > day))


def village_covered_at(village_id_column, day):
    """SQL: the village had a team on the day."""
    return exists().where(Team.village_id == village_id_column, team_existed(day))
