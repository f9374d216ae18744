"""Status form, note form, assignment form, filters."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SearchField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.evidence.forms import files_field
from app.forms import MAX_ID, DateField, Form, MultiCheckboxField, optional_int, strip
from app.labels import TASK_CLASS_LABELS, TASK_STATUS_LABELS, UNIT_GROUP_LABELS, choices
from app.models import TaskStatus
from app.models.org import KIND_GROUPS

STALE_FORM_MESSAGE = _l("This form is out of date or damaged: reload the page and try again.")


def bounded_version(form, field):
    """The hidden version: ASCII digits within what the database holds (not `²`, not 5,000 digits)."""
    value = field.data or ""
    if not (value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= MAX_ID):
        raise ValidationError(STALE_FORM_MESSAGE)


class StatusForm(Form):
    status = SelectField(_l("Status"), choices=choices(TASK_STATUS_LABELS))
    progress = IntegerField(_l("Progress (%)"), validators=[
        InputRequired(_l("Enter the progress from 0 to 100.")),
        NumberRange(0, 100, message=_l("Enter the progress from 0 to 100."))])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=5000)])
    version = HiddenField(validators=[bounded_version])
    files = files_field(id="status-files")  # the completion form on the same page has "files"

    def offer_statuses(self, may_cancel: bool, may_mark_done: bool = True, current: str | None = None) -> None:
        """Only the district office is offered "cancelled"; "done" only where it is final at once (else the
        completion report); "awaiting review" never (the completion report sets it)."""
        refused = {TaskStatus.SUBMITTED} | (set() if may_cancel else {TaskStatus.CANCELLED}) | (
            set() if may_mark_done else {TaskStatus.DONE})
        self.status.choices = [(value, label) for value, label in choices(TASK_STATUS_LABELS)
                               if value not in refused or value == current]


class CoverageStatusForm(StatusForm):
    """For a task whose progress is computed from team coverage: status and note only."""

    progress = None


class CompletionForm(Form):
    """The lead unit's completion report: the result, evidence files."""

    # Ids of their own: the task page holds several forms, each with a note (a label finds its input by id).
    note = TextAreaField(_l("Result"), filters=[strip], validators=[Length(max=5000)], id="completion-note")
    files = files_field(id="completion-files")
    version = HiddenField(validators=[bounded_version])


class ReviewForm(Form):
    """The district office's decision on a reported completion."""

    note = TextAreaField(_l("Comment (required to return it)"), filters=[strip], validators=[Length(max=5000)],
                         id="review-note")
    version = HiddenField(validators=[bounded_version])


class ExtensionRequestForm(Form):
    deadline = DateField(_l("New deadline asked for"), validators=[Optional()], id="extension-deadline")
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[Length(max=2000)], id="extension-reason")


class ExtensionDecisionForm(Form):
    note = TextAreaField(_l("Comment (required to refuse)"), filters=[strip], validators=[Length(max=2000)],
                         id="decision-note")


class NoteForm(Form):
    note = TextAreaField(_l("Note"), filters=[strip],
                         validators=[DataRequired(_l("Write the note.")), Length(max=5000)])


class AssignmentForm(Form):
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    cooperating_units = MultiCheckboxField(_l("Co-operating units"), coerce=int, validate_choice=True)
    reason = TextAreaField(_l("Reason for the change"), filters=[strip], validators=[Length(max=2000)])


class TaskFilterForm(Form):
    """Query-string filters; a bad value is reported and ignored, never an error page."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Lead unit"), coerce=optional_int, validators=[Optional()], validate_choice=True)
    directive = SelectField(_l("Directive"), coerce=optional_int, validators=[Optional()], validate_choice=True)
    task_class = SelectField(_l("Class"), choices=[("", _l("All"))] + choices(TASK_CLASS_LABELS),
                             validators=[Optional()])
    status = SelectField(_l("Status"), choices=[("", _l("All"))] + choices(TASK_STATUS_LABELS),
                         validators=[Optional()])
    q = SearchField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=100)])

    def offer(self, units, directives) -> None:
        """Choices from what the user may see: units grouped by kind (in picker order), directive numbers."""
        self.unit.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(unit.id, unit.name, optgroup=str(UNIT_GROUP_LABELS.get(KIND_GROUPS[unit.kind], "")))
            for unit in units]
        self.directive.choices = [("", _l("All"))] + [(directive.id, directive.number) for directive in directives]
