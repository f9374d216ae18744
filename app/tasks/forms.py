"""Status form, note form, filters."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.directives.forms import MultiCheckboxField
from app.forms import DateField, Form, optional_int, strip
from app.labels import TASK_CLASS_LABELS, TASK_STATUS_LABELS, choices


class StatusForm(Form):
    status = SelectField(_l("Status"), choices=choices(TASK_STATUS_LABELS))
    progress = IntegerField(_l("Progress (%)"), validators=[
        InputRequired(_l("Enter the progress from 0 to 100.")),
        NumberRange(0, 100, message=_l("Enter the progress from 0 to 100."))])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=5000)])
    version = HiddenField(validators=[DataRequired()])


class CoverageStatusForm(StatusForm):
    """For a task whose progress is computed from team coverage: status and note only."""

    progress = None


class NoteForm(Form):
    note = TextAreaField(_l("Note"), filters=[strip],
                         validators=[DataRequired(_l("Write the note.")), Length(max=5000)])


class AssignmentForm(Form):
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    cooperating_units = MultiCheckboxField(_l("Co-operating units"), coerce=int, validate_choice=True)


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
