"""Task list, task page, status and note updates."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import today
from app.extensions import db
from app.forms import form_status
from app.pager import paginate
from app.htmx import is_fragment_request, redirect_to, render
from app.models import Directive, Organization, Task, TaskUpdate
from app.permissions import can, get_or_404, require
from app.task_classes import class_of
from app.tasks import bp, services
from app.tasks.forms import AssignmentForm, CoverageStatusForm, NoteForm, StatusForm, TaskFilterForm
from app.tasks.queries import TaskFilters, class_counts, task_list_query


@bp.get("/tasks")
@require("task.view")
def index():
    """Tasks in the user's scope, filtered and paginated; htmx swaps only the results."""
    form = TaskFilterForm(request.args)
    units = db.session.scalars(select(Organization).order_by(Organization.sort_key)).all()
    form.unit.choices = [("", _("All"))] + [(u.id, u.name) for u in units]
    form.directive.choices = [("", _("All"))] + [(d.id, d.number) for d in db.session.scalars(
        select(Directive).order_by(Directive.issued_on.desc()))]
    valid = form.validate()
    filters = TaskFilters(**{name: form[field].data for name, field in (
        ("unit_id", "unit"), ("directive_id", "directive"), ("task_class", "task_class"), ("status", "status"),
        ("q", "q")) if not form[field].errors})
    page = paginate(task_list_query(current_user, today(), filters),
                    args={key: form[key].data for key in ("unit", "directive", "task_class", "status", "q")
                          if not form[key].errors})
    return render("tasks/index.html", "results", form=form, page=page, valid=valid, today=today(),
                  class_of=class_of)


def _task_or_404(task_id: int) -> Task:
    return get_or_404(Task, task_id, current_user)


def _page_context(task: Task, status_form: StatusForm | None = None, note_form: NoteForm | None = None, **extra):
    """What the task page and its fragments show."""
    history = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id)
                                 .options(selectinload(TaskUpdate.author)).order_by(TaskUpdate.id.desc())).all()
    if status_form is None:
        status_form = _status_form_class(task)(formdata=None, status=task.status.value, progress=task.progress,
                                               version=task.version)
    return {"task": task, "task_class": class_of(task, today()), "history": history, "status_form": status_form,
            "note_form": note_form or NoteForm(formdata=None), "today": today(),
            "unit_counts": class_counts(current_user, today(), unit_id=task.lead_unit_id),
            "oob": is_fragment_request(), **extra}


def _status_form_class(task: Task) -> type[StatusForm]:
    return CoverageStatusForm if task.progress_from_coverage else StatusForm


@bp.get("/tasks/<int:task_id>")
@require("task.view")
def show(task_id: int):
    """A task: its facts, the status form for those who may change it, and its history."""
    return render("tasks/show.html", **_page_context(_task_or_404(task_id)))


@bp.post("/tasks/<int:task_id>/status")
@require("task.update_status")
def update_status(task_id: int):
    """Change status and progress; history and counters follow in the same response."""
    task = _task_or_404(task_id)
    if not can(current_user, "task.update_status", task):
        abort(403)
    form = _status_form_class(task)()
    if not form.validate_on_submit() or not form.version.data.isdigit():
        return render("tasks/show.html", "status_region", status=422, **_page_context(task, form))
    try:
        progress = task.shown_progress if task.progress_from_coverage else form.progress.data
        services.change_status(task, current_user, status=form.status.data, progress=progress,
                               note=form.note.data, version=int(form.version.data))
    except services.NoteRequired:
        form.note.errors.append(_("A note is required to mark the task done or cancelled."))
        return render("tasks/show.html", "status_region", status=422, **_page_context(task, form))
    except services.StaleVersion:
        db.session.refresh(task)
        return render("tasks/show.html", "status_region", "history", "facts", status=409,
                      **_page_context(task, conflict=True))
    if not is_fragment_request():
        flash(_("Task updated."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/show.html", "status_region", "history", "facts", "unit_counts",
                  **_page_context(task, saved=True))


@bp.post("/tasks/<int:task_id>/notes")
@require("task.add_note")
def add_note(task_id: int):
    """Add a note to the task's history (co-operating units, monitors, the lead unit)."""
    task = _task_or_404(task_id)
    if not can(current_user, "task.add_note", task):
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        return render("tasks/show.html", "note_region", status=422, **_page_context(task, note_form=form))
    services.add_note(task, current_user, form.note.data)
    if not is_fragment_request():
        flash(_("Note added."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/show.html", "note_region", "history", **_page_context(task))


@bp.route("/tasks/<int:task_id>/assignment", methods=["GET", "POST"])
@require("directive.manage")
def edit_assignment(task_id: int):
    """Override one task's deadline and co-operating units."""
    task = _task_or_404(task_id)
    form = AssignmentForm(obj=task, cooperating_units=[u.id for u in task.cooperating_units])
    units = db.session.scalars(select(Organization).where(Organization.active.is_(True))
                               .order_by(*Organization.picker_order())).all()
    form.cooperating_units.choices = [(u.id, u.name) for u in units if u.id != task.lead_unit_id]
    if form.validate_on_submit():
        chosen = [u for u in units if u.id in form.cooperating_units.data]
        services.update_assignment(task, current_user, deadline=form.deadline.data, cooperating_units=chosen)
        flash(_("Assignment saved."), "success")
        return redirect_to(url_for("tasks.show", task_id=task.id))
    return render("tasks/assignment.html", "form", form=form, task=task, status=form_status(form))
