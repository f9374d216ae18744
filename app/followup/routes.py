"""The bell and /notifications, the account's email setting, instructions, urging, the calendar, email status."""
from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import calendar, delivery, mail
from app.clock import today
from app.followup import bp, services
from app.followup.forms import CalendarDayForm, InstructionForm, UrgeForm
from app.forms import ConfirmForm, form_status, submit
from app.htmx import redirect_to, render
from app.models import CalendarDay, Directive, Notification, Organization, Task
from app.notifications import mark_read, recent, subject_url, unread_count
from app.pager import paginate
from app.permissions import get_or_404, get_own_or_404, require


@bp.get("/notifications")
@require("notification.view")
def notifications():
    """The user's notifications, newest first, unread ones marked."""
    page = paginate(recent(current_user))
    return render("followup/notifications.html", page=page, form=ConfirmForm(), unread=unread_count(current_user))


@bp.get("/notifications/badge")
@require("notification.view")
def badge():
    """Only the bell (htmx polls it)."""
    return render("followup/badge.html", unread=unread_count(current_user))


@bp.post("/notifications/<int:notification_id>/read")
@require("notification.view")
def read_one(notification_id: int):
    """Mark one of one's notifications read, then open what it is about (`open` sent) or go back to the list."""
    notification = get_own_or_404(Notification, notification_id, current_user, Notification.recipient_id)
    if submit(ConfirmForm(), lambda: mark_read(current_user, notification.id)) is not None \
            and request.form.get("open"):
        return redirect_to(subject_url(notification))
    return redirect_to(url_for("followup.notifications"))


@bp.post("/notifications/read")
@require("notification.view")
def read_all():
    """Mark every notification read."""
    submit(ConfirmForm(), lambda: mark_read(current_user))
    return redirect_to(url_for("followup.notifications"))


@bp.post("/tasks/<int:task_id>/instructions")
@require("instruction.write")
def instruct_task(task_id: int):
    """Write an instruction on a task; its lead unit is notified."""
    task = get_or_404(Task, task_id, current_user)
    return _instruct(url_for("tasks.show", task_id=task.id), task=task)


@bp.post("/directives/<int:directive_id>/instructions")
@require("instruction.write")
def instruct_directive(directive_id: int):
    """Write an instruction on a directive; the lead units of its open tasks are notified."""
    directive = get_or_404(Directive, directive_id, current_user)
    return _instruct(url_for("directives.show", directive_id=directive.id), directive=directive)


def _instruct(back: str, **target):
    form = InstructionForm()
    if submit(form, lambda: services.instruct(actor=current_user, body=form.body.data, **target)):
        flash(_("Instruction sent."), "success")
        return redirect_to(back)
    return render("followup/instruction.html", form=form, back=back, status=form_status(form), **target)


@bp.route("/tasks/<int:task_id>/urge", methods=["GET", "POST"])
@require("task.urge")
def urge_task(task_id: int):
    """Confirm, then urge the unit on one overdue task."""
    task = get_or_404(Task, task_id, current_user)
    return _urge([task], url_for("tasks.show", task_id=task.id), task=task, unit=task.lead_unit)


@bp.route("/units/<int:unit_id>/urge", methods=["GET", "POST"])
@require("task.urge")
def urge_unit(unit_id: int):
    """Confirm, then urge a unit on all its overdue tasks."""
    unit = get_or_404(Organization, unit_id, current_user)  # of the user's own district or province
    tasks = services.overdue_of_unit(unit)
    return _urge(tasks, url_for("tasks.index", unit=unit.id), unit=unit, overdue=tasks)


def _urge(chosen: list[Task], back: str, **context):
    form = UrgeForm()
    urged = submit(form, lambda: services.urge(chosen, actor=current_user, note=form.note.data))
    if urged:
        flash(_("%(count)d overdue task(s) urged; the unit's users are notified.", count=len(urged)), "success")
        return redirect_to(back)
    return render("followup/urge.html", form=form, back=back, status=form_status(form), **context)


@bp.route("/admin/calendar", methods=["GET", "POST"])
@require("calendar.manage")
def calendar_days():
    """The working-day calendar of a year: public holidays, and the days moved by decision (add one here)."""
    year = request.args.get("year", type=int) or today().year
    if not 2000 <= year <= 2100:
        abort(404)
    form = CalendarDayForm()
    if submit(form, lambda: calendar.set_day(form.day.data, is_working_day=form.is_working_day.data == "1",
                                             note=form.note.data, actor=current_user)):
        flash(_("Calendar saved."), "success")
        return redirect_to(url_for("followup.calendar_days", year=form.day.data.year))
    return render("followup/calendar.html", form=form, year=year, moved=calendar.moved_days(year),
                  holidays=calendar.public_holidays(year), delete_form=ConfirmForm(), status=form_status(form))


@bp.post("/admin/calendar/<int:day_id>/delete")
@require("calendar.manage")
def remove_calendar_day(day_id: int):
    """Take back a moved day."""
    row = get_or_404(CalendarDay, day_id, current_user)
    year = row.day.year
    if submit(ConfirmForm(), lambda: calendar.remove_day(row, actor=current_user)) is not None:
        flash(_("Calendar saved."), "success")
    return redirect_to(url_for("followup.calendar_days", year=year))


@bp.get("/admin/email")
@require("admin.manage")
def email_status():
    """Whether email is configured, and the messages given up on after the last attempt."""
    failed, total = delivery.failed_messages()
    config = current_app.config
    return render("followup/email.html", mail_on=mail.configured(), failed=failed, total=total,
                  smtp_host=config.get("SMTP_HOST"), mail_from=config.get("MAIL_FROM"),
                  digest_time=config.get("DIGEST_TIME"), form=ConfirmForm())


@bp.post("/admin/email/retry")
@require("admin.manage")
def retry_email():
    """Queue the failed messages again (after the SMTP settings are corrected)."""
    count = submit(ConfirmForm(), lambda: delivery.retry_failed(actor=current_user))
    if count is not None:
        flash(_("%(count)d message(s) queued again.", count=count or 0), "success")
    return redirect_to(url_for("followup.email_status"))
