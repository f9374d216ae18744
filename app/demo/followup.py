"""Demo follow-up: the year's moved days, an instruction, an urge, a periodic report, and unread notifications of
every kind for every kind of demo user (written through the same notify() the services use)."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.directives.recurring import default_deadline, period_key, period_of
from app.extensions import db
from app.models import (
    CLOSED_STATUSES,
    CalendarDay,
    Directive,
    Instruction,
    Item,
    NotificationKind,
    Recurrence,
    Role,
    SupportTicket,
    Task,
    TaskStatus,
    TaskUpdate,
    TicketStatus,
    User,
)
from app.notifications import notify
from app.scheduled import create_reminders

# The Government's swap for 2026 (the `holidays` package already has Monday 31/8 off): Saturday 22/8 is worked.
MOVED_DAYS = {2026: [(date(2026, 8, 22), True, "Làm bù cho ngày nghỉ thứ Hai 31/8/2026 (nghỉ lễ Quốc khánh)")]}


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def seed_followup(today: date) -> None:
    """Run after the directives and the registry; the caller commits."""
    office, leader = _user("vanphong"), _user("lanhdao")
    for day, working, note in MOVED_DAYS.get(today.year, []):
        db.session.add(CalendarDay(day=day, is_working_day=working, note=note))
    directive = db.session.scalar(select(Directive).order_by(Directive.id))
    tasks = db.session.scalars(select(Task).order_by(Task.id)).all()
    # Every lead unit's users: "a new task" for the directive's tasks.
    for task in tasks:
        notify(NotificationKind.ASSIGNED, actor=office, unit_id=task.lead_unit_id, task=task)
    # The leadership's instruction on the directive: to every lead unit, shared with the office and the admin.
    body = "Đề nghị các đơn vị tập trung hoàn thành chỉ tiêu 100% thôn, khối phố có Tổ công nghệ cộng đồng."
    db.session.add(Instruction(directive_id=directive.id, author_id=leader.id, body=body))
    district = db.session.scalars(select(User).where(User.role.in_((Role.ADMIN, Role.COORDINATOR)))).all()
    for unit_id in sorted({task.lead_unit_id for task in tasks}):
        notify(NotificationKind.INSTRUCTION, actor=leader, unit_id=unit_id, directive=directive, note=body)
    notify(NotificationKind.INSTRUCTION, actor=leader, recipients=district, directive=directive, note=body)
    # The office's instruction on an overdue task, which the leadership follows.
    overdue = [task for task in tasks if task.status not in CLOSED_STATUSES and task.effective_deadline
               and task.effective_deadline < today]
    if overdue:
        first = overdue[0]
        note = "Đề nghị đơn vị báo cáo tiến độ trước ngày " + (today + timedelta(days=3)).strftime("%d/%m/%Y") + "."
        db.session.add(Instruction(task_id=first.id, author_id=office.id, body=note))
        notify(NotificationKind.INSTRUCTION, actor=office, unit_id=first.lead_unit_id, task=first, note=note)
        notify(NotificationKind.INSTRUCTION, actor=office, recipients=[leader, _user("vhtt")], task=first, note=note)
        # Urged: the first overdue task of each of two units, with its history line.
        first_of_unit = {}
        for task in overdue:
            first_of_unit.setdefault(task.lead_unit_id, task)
        for task in list(first_of_unit.values())[:2]:
            db.session.add(TaskUpdate(task=task, author_id=office.id, old_status=task.status, new_status=task.status,
                                      old_progress=task.progress, new_progress=task.progress,
                                      note="Đề nghị khẩn trương hoàn thành.", changes={"urged": [None, True]}))
            notify(NotificationKind.URGED, actor=office, unit_id=task.lead_unit_id, task=task,
                   note="Đề nghị khẩn trương hoàn thành.")
    # Tickets: partners see their new requests, communes the work waiting for their confirmation.
    for ticket in db.session.scalars(select(SupportTicket).order_by(SupportTicket.id)):
        if ticket.status == TicketStatus.REQUESTED:
            notify(NotificationKind.TICKET_NEW, actor=None, unit_id=ticket.partner_id, ticket=ticket)
        elif ticket.status == TicketStatus.DONE:
            notify(NotificationKind.TICKET_TO_CONFIRM, actor=None, unit_id=ticket.commune_id, ticket=ticket)
    _seed_periodic_report(directive, office, today)
    db.session.flush()
    create_reminders(today)


def _seed_periodic_report(directive: Directive, office: User, today: date) -> None:
    """A monthly report from the communes of the directive's first item, this period's task assigned."""
    position = max(item.position for item in directive.items) + 1
    item = Item(directive=directive, position=position, title="Báo cáo tháng kết quả chuyển đổi số cộng đồng",
                description="Số liệu chốt theo Nghị định 09/2019/NĐ-CP.", recurrence=Recurrence.MONTH)
    db.session.add(item)
    period = period_of(Recurrence.MONTH, today)
    units = sorted({task.lead_unit_id for task in directive.items[0].tasks})
    for unit_id in units:
        task = Task(item=item, lead_unit_id=unit_id, deadline=default_deadline(period), period=period_key(period),
                    status=TaskStatus.ASSIGNED, progress=0)
        db.session.add(task)
        db.session.flush()
        db.session.add(TaskUpdate(task_id=task.id, author_id=office.id, old_status=None,
                                  new_status=TaskStatus.ASSIGNED, old_progress=None, new_progress=0, note=""))
        notify(NotificationKind.ASSIGNED, actor=office, unit_id=unit_id, task=SimpleNamespace(id=task.id))
