"""The outreach activity form."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app import submissions
from app.clock import today
from app.forms import DateField, Form, NotInFuture, strip
from app.labels import OUTREACH_KIND_LABELS, choices
from app.models import SKILL_COLUMNS
from app.outreach.services import VILLAGES_NOT_LISTED

MAX_COUNT = 100_000
COUNT_FIELDS = ("participants", "households_reached", *SKILL_COLUMNS)
NO_TASK = 0


def _count(label):
    """A number of people or households: empty means 0, never negative."""
    return IntegerField(label, default=0, validators=[Optional(), NumberRange(
        min=0, max=MAX_COUNT, message=_l("Enter a whole number from %(min)s to %(max)s."))])


class ActivityForm(Form):
    submission_key = submissions.KeyField()
    organization_id = SelectField(_l("Unit"), coerce=int, validate_choice=True)
    held_on = DateField(_l("Date"), default=today,
                        validators=[DataRequired(_l("Enter the date of the activity.")), NotInFuture()])
    kind = SelectField(_l("Kind"), choices=choices(OUTREACH_KIND_LABELS))
    title = StringField(_l("Title"), filters=[strip], validators=[
        DataRequired(_l("Enter a title.")), Length(max=300)])
    # The choices are what the form offers; the service checks any posted village or task (app.outreach.services).
    village_ids = SelectMultipleField(
        _l("Villages"), coerce=int, validate_choice=False,
        invalid_choice_message=VILLAGES_NOT_LISTED, invalid_value_message=VILLAGES_NOT_LISTED)
    participants = _count(_l("Participants"))
    households_reached = _count(_l("Households reached"))
    helped_public_services = _count(_l("Online public services"))
    helped_online_shopping = _count(_l("Online shopping"))
    helped_online_payment = _count(_l("Online payment"))
    helped_online_safety = _count(_l("Staying safe online"))
    helped_local_platforms = _count(_l("Local digital platforms"))
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Length(max=2000)])
    task_id = SelectField(_l("Task"), coerce=int, validate_choice=False, default=NO_TASK)
