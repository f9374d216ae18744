"""The task page's review and extension forms: report completion, accept or return it, ask for and decide on an
extension. Plain forms (no JavaScript needed); a refusal shows the page again with the message (422). Who may do
what to which task is the object rule of each action (403); the services ask it again."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.evidence.files import attachments_by_update
from app.evidence.forms import files_hint, upload_body_limit, uploads_of
from app.forms import flash_errors, form_status, saved
from app.htmx import render
from app.models import ExtensionRequest, Task
from app.permissions import can, get_or_404, require
from app.request_limits import body_limit
from app.tasks import bp, extensions, review
from app.tasks.forms import CompletionForm, ExtensionDecisionForm, ExtensionRequestForm, ReviewForm


def review_context(task: Task, history, forms: dict) -> dict:
    """The review part of the task page: the forms (as posted, or fresh), the pending request, the history's files."""
    return {
        "completion_form": forms.get("completion_form") or CompletionForm(formdata=None, version=task.version),
        "review_form": forms.get("review_form") or ReviewForm(formdata=None, version=task.version),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(formdata=None),
        "decision_form": forms.get("decision_form") or ExtensionDecisionForm(formdata=None),
        "pending_extension": extensions.pending_request(task),
        "history_files": attachments_by_update([entry.id for entry in history]),
        "files_hint": files_hint(), "saved": forms.get("saved", False),
    }


def _decided(task: Task, form_name: str, form, call, message: str, action: str, obj=None):
    """Run the service on the valid form and go back to the task page with `message`; refused: the task page with
    the form (by its name on the page) and its message, 422 or 409. When the state no longer allows `action` (a
    double click, a colleague's decision) the page no longer offers the form: the message is shown at the top."""
    done = saved(form, call, message, url_for("tasks.show", task_id=task.id))
    if done is not None:
        return done
    if not can(current_user, action, obj or task):
        flash_errors(form)
    from app.tasks.routes import _page_context
    return render("tasks/show.html", status=form_status(form), **_page_context(task, **{form_name: form}))


@bp.post("/tasks/<int:task_id>/completion")
@body_limit(upload_body_limit)
@require("task.submit")
def submit_completion(task_id: int):
    """The lead unit reports the task complete, with the result and evidence files."""
    task = get_or_404(Task, task_id, current_user, "task.submit")
    form = CompletionForm()
    return _decided(task, "completion_form", form, lambda: review.submit_completion(
        task, current_user, note=form.note.data, uploads=uploads_of(form.files), version=int(form.version.data)),
        _("Completion reported: the district office will review it."), "task.submit")


@bp.post("/tasks/<int:task_id>/review/<any(accept, return):decision>")
@require("task.review")
def review_completion(task_id: int, decision: str):
    """The district office accepts the reported completion or returns it with a reason."""
    task = get_or_404(Task, task_id, current_user, "task.review")
    form = ReviewForm()
    call = review.accept_completion if decision == "accept" else review.return_completion
    return _decided(task, "review_form", form,
                    lambda: call(task, current_user, note=form.note.data, version=int(form.version.data)),
                    _("Completion accepted.") if decision == "accept" else _("Completion returned to the unit."),
                    "task.review")


@bp.post("/tasks/<int:task_id>/extension")
@require("task.request_extension")
def request_extension(task_id: int):
    """The lead unit asks for a later deadline, with the reason."""
    task = get_or_404(Task, task_id, current_user, "task.request_extension")
    form = ExtensionRequestForm()
    return _decided(task, "extension_form", form, lambda: extensions.request_extension(
        task, current_user, deadline=form.deadline.data, reason=form.reason.data),
        _("Extension requested: the district office will decide."), "task.request_extension")


@bp.post("/extensions/<int:request_id>/<any(approve, reject):decision>")
@require("task.decide_extension")
def decide_extension(request_id: int, decision: str):
    """The district office approves the extension (the deadline moves) or refuses it with a reason."""
    request = get_or_404(ExtensionRequest, request_id, current_user, "task.decide_extension")
    form = ExtensionDecisionForm()
    return _decided(request.task, "decision_form", form, lambda: extensions.decide_extension(
        request, current_user, approve=decision == "approve", note=form.note.data),
        _("Extension approved.") if decision == "approve" else _("Extension refused."), "task.decide_extension",
        request)
