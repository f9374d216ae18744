"""Task list, task page, status and note updates, assignment."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_
from werkzeug.datastructures import CombinedMultiDict

from app.clock import today
from app.evidence.forms import upload_body_limit, uploads_of
from app.extensions import db
from app.forms import flash_errors, form_status, id_arg, submit
from app.htmx import is_fragment_request, redirect_to, render
from app.models import Organization, OrgKind, Task, TaskStatus, TaskUpdate
from app.pager import paginate, paginate_keyset
from app.permissions import can, get_or_404, require, units_in_scope
from app.request_limits import body_limit
from app.tasks import bp, queries, services
from app.tasks.classes import class_of
from app.tasks.forms import AssignmentForm, CoverageStatusForm, NoteForm, StatusForm, TaskFilterForm
from app.tasks.review_routes import review_context
from app.teams.coverage import prime_progress

HISTORY_SHOWN = 30  # the task page's latest changes; an htmx change sends back only the new one

FILTERS = (("unit_id", "unit"), ("directive_id", "directive"), ("task_class", "task_class"), ("status", "status"),
           ("q", "q"))


@bp.get("/tasks")
@require("task.view")
def index():
    """Tasks in the user's scope, filtered and paginated; htmx swaps only the results."""
    form = TaskFilterForm(request.args)
    form.offer(queries.visible_lead_units(current_user),
               queries.visible_directives(current_user, include=id_arg("directive")))
    valid = form.validate()
    kept = {field: form[field].data for _name, field in FILTERS if not form[field].errors}
    filters = queries.TaskFilters(**{name: kept[field] for name, field in FILTERS if field in kept})
    stmt = queries.task_list_query(current_user, today(), filters)
    keyset = queries.task_list_keyset(filters)
    page = paginate_keyset(stmt, keyset, args=kept, rows=True) if keyset else paginate(stmt, args=kept, rows=True)
    prime_progress(task for task, _class in page.items)
    return render("tasks/index.html", "results", form=form, page=page, valid=valid)


def _status_form(task: Task, formdata=None) -> StatusForm:
    """The status form for this task and reader; from the request when posted, else the task's state."""
    form_class = CoverageStatusForm if task.progress_from_coverage else StatusForm
    may_mark_done = services.may_mark_done(task, current_user)
    if formdata is None:
        # At the coverage target "done" is chosen, where it is final at once (else the completion report is the way).
        offered = TaskStatus.DONE if (services.coverage_reached(task) and task.status != TaskStatus.DONE
                                      and may_mark_done) else task.status
        form = form_class(formdata=None, status=offered.value, progress=task.progress, version=task.version)
    else:
        form = form_class(formdata)
    form.offer_statuses(can(current_user, "task.cancel", task), may_mark_done, current=task.status.value)
    return form


def _page_context(task: Task, status_form: StatusForm | None = None, note_form: NoteForm | None = None, **extra):
    """What the task page and its fragments show."""
    history = db.session.scalars(queries.history_query(task.id).order_by(TaskUpdate.id.desc())
                                 .limit(HISTORY_SHOWN + 1)).all()
    return {**review_context(task, history, extra), "task": task, "task_class": class_of(task, today()),
            "history": history[:HISTORY_SHOWN], "history_more": len(history) > HISTORY_SHOWN,
            "status_form": status_form or _status_form(task), "note_form": note_form or NoteForm(formdata=None),
            "reader": queries.reader_of(task, current_user), "coverage_target": services.coverage_target_of(task.item),
            "coverage_reached": services.coverage_reached(task),
            "unit_counts": queries.class_counts(current_user, today(), unit_id=task.lead_unit_id),
            "oob": is_fragment_request(), "new_entry": extra.get("new_entry", False)}


@bp.get("/tasks/<int:task_id>")
@require("task.view")
def show(task_id: int):
    """A task: its facts, the status form for those who may change it, and its history."""
    return render("tasks/show.html", **_page_context(get_or_404(Task, task_id, current_user)))


@bp.post("/tasks/<int:task_id>/status")
@body_limit(upload_body_limit)
@require("task.update_status")
def update_status(task_id: int):
    """Change status and progress; history and counters follow in the same response.

    Refused: the form again with the message (422); stale: the current state beside what was typed, with the
    current version so one click sends it again (409).
    """
    task = get_or_404(Task, task_id, current_user, "task.update_status")
    form = _status_form(task, CombinedMultiDict((request.files, request.form)))  # files too
    entry = submit(form, lambda: services.change_status(
        task, current_user, status=form.status.data, progress=form.progress.data if form.progress else None,
        note=form.note.data, version=int(form.version.data), uploads=uploads_of(form.files)))
    if entry is None:
        if getattr(form, "conflict", None) is not None:
            db.session.refresh(task)
            form.version.data = str(task.version)
        note_form = None
        if not is_fragment_request() and not can(current_user, "task.update_status", task):
            # the whole page comes back without the status form: its message on top, what was typed in the note box
            flash_errors(form)
            note_form = NoteForm(formdata=None, note=form.note.data)
        return render("tasks/show.html", "status_region", "history", "facts", "unit_counts",
                      status=form_status(form), **_page_context(task, form, note_form))
    if not is_fragment_request():
        flash(_("Task updated."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/show.html", "status_region", "history_new", "facts", "unit_counts",
                  **_page_context(task, saved=True, new_entry=True))


@bp.post("/tasks/<int:task_id>/notes")
@require("task.add_note")
def add_note(task_id: int):
    """Add a note to the task's history (co-operating units, monitors, the lead unit)."""
    task = get_or_404(Task, task_id, current_user, "task.add_note")
    form = NoteForm()
    if submit(form, lambda: services.add_note(task, current_user, form.note.data)) is None:
        return render("tasks/show.html", "note_region", status=form_status(form), **_page_context(task, note_form=form))
    if not is_fragment_request():
        flash(_("Note added."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/show.html", "note_region", "history", **_page_context(task))


@bp.route("/tasks/<int:task_id>/assignment", methods=["GET", "POST"])
@require("task.assign")
def edit_assignment(task_id: int):
    """Adjust one task's effective deadline and co-operating units, with the reason; the original stays."""
    task = get_or_404(Task, task_id, current_user, "task.assign")
    current = [unit.id for unit in task.cooperating_units]
    form = AssignmentForm(deadline=task.effective_deadline, cooperating_units=current)
    units = db.session.scalars(units_in_scope(current_user).where(
        or_(Organization.active.is_(True), Organization.id.in_(current)), Organization.kind != OrgKind.AREA)
        .order_by(*Organization.picker_order())).all()
    form.cooperating_units.choices = [(u.id, u.name) for u in units if u.id != task.lead_unit_id]
    if submit(form, lambda: services.update_assignment(
            task, current_user, deadline=form.deadline.data, reason=form.reason.data,
            cooperating_units=[u for u in units if u.id in form.cooperating_units.data])) is not None:
        flash(_("Assignment saved."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/assignment.html", form=form, task=task, status=form_status(form))
