"""The words of the portal's emails, always in Vietnamese (the recipients' language), as subject and body."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.labels import label
from app.models import Notification, SupportTicket, Task, User


def _link(path: str) -> str:
    base = current_app.config.get("PORTAL_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def _task_line(task: Task) -> str:
    deadline = task.effective_deadline.strftime("%d/%m/%Y") if task.effective_deadline else _("no deadline")
    link = _link(f"/tasks/{task.id}")
    return f"- {task.item.directive.number}: {task.item.title} ({_('deadline')} {deadline}) {link}"


def notification_email(notification: Notification) -> tuple[str, str]:
    """Subject and body of a notification emailed on its own (an urge)."""
    with force_locale("vi"):
        what = label(notification.kind)
        lines = [_("Dear %(name)s,", name=notification.recipient.full_name), "", what + "."]
        if notification.actor is not None:
            lines.append(_("From: %(name)s (%(unit)s)", name=notification.actor.full_name,
                           unit=notification.actor.organization.name))
        task = db.session.get(Task, notification.task_id) if notification.task_id else None
        if task:
            lines += ["", _task_line(task)]
        if notification.note:
            lines += ["", notification.note]
        lines += ["", _("This message was sent by the Điều hành portal.")]
        subject = f"[Điều hành] {what}"
        if task:
            subject += f": {task.item.title}"
        return subject, "\n".join(lines)


def digest_email(user: User, day: date, *, new: list[Task], due_soon: list[Task], overdue: list[Task],
                 to_confirm: list[SupportTicket]) -> tuple[str, str]:
    """Subject and body of a user's daily digest of the unit's tasks and tickets."""
    with force_locale("vi"):
        lines = [_("Dear %(name)s,", name=user.full_name), "",
                 _("The tasks of %(unit)s on %(day)s:", unit=user.organization.name, day=day.strftime("%d/%m/%Y"))]
        for title, tasks in ((_("New tasks"), new), (_("Due within 3 working days"), due_soon),
                             (_("Overdue, not done"), overdue)):
            if tasks:
                lines += ["", f"{title} ({len(tasks)}):", *(_task_line(task) for task in tasks)]
        if to_confirm:
            lines += ["", f"{_('Support done: waiting for your confirmation')} ({len(to_confirm)}):"]
            lines += [f"- {ticket.partner.name}: {ticket.description[:120]} {_link(f'/support/{ticket.id}')}"
                      for ticket in to_confirm]
        lines += ["", _("You can turn this daily email off under Account in the portal."),
                  _("This message was sent by the Điều hành portal.")]
        return _("[Điều hành] Daily summary for %(day)s", day=day.strftime("%d/%m/%Y")), "\n".join(lines)
