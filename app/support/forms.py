"""Filing a ticket, and the small form behind each transition."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from app import submissions
from app.forms import DateField, Form, NotInPast, strip
from app.labels import TICKET_KIND_LABELS, choices

WHOLE_COMMUNE = 0


class TicketForm(Form):
    submission_key = submissions.KeyField()
    commune_id = SelectField(_l("Commune / town"), coerce=int, validate_choice=True)
    partner_id = SelectField(_l("Partner"), coerce=int, validate_choice=True)
    kind = SelectField(_l("Kind of support"), choices=choices(TICKET_KIND_LABELS))
    village_id = SelectField(_l("Village"), coerce=int, validate_choice=True, default=WHOLE_COMMUNE)
    description = TextAreaField(_l("What is needed"), filters=[strip], validators=[
        DataRequired(_l("Describe what is needed.")), Length(max=2000)])
    wanted_by = DateField(_l("Wanted by"), validators=[
        DataRequired(_l("Enter the date it is wanted by.")), NotInPast()])


class TransitionForm(Form):
    """The version of the ticket the page showed, and a note (required for done and reopen)."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Length(max=2000)])
