"""Forms for a team and its members."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.admin.forms import PHONE_PATTERN, digits_only
from app.forms import DateField, Form, NotInFuture, strip
from app.labels import AFFILIATION_LABELS, TEAM_POSITION_LABELS, choices

# A commune decision's reference number: 45/QĐ-UBND.
DECISION_NUMBER_PATTERN = r"^\d+[a-zA-Z]?/\S+$"


class TeamForm(Form):
    village_id = SelectField(_l("Village"), coerce=int, validate_choice=True)
    established_on = DateField(_l("Established on"), validators=[
        DataRequired(_l("Enter the date the team was set up.")), NotInFuture()])
    decision_number = StringField(_l("Decision number"), filters=[strip], validators=[
        DataRequired(_l("Enter the number of the decision that set up the team.")), Length(max=60),
        Regexp(DECISION_NUMBER_PATTERN, message=_l("A reference number such as 45/QĐ-UBND."))])


class TeamEditForm(TeamForm):
    """A team stays with its village."""

    village_id = None


class MemberForm(Form):
    full_name = StringField(_l("Full name"), filters=[strip], validators=[
        DataRequired(_l("Enter the full name.")), Length(max=120)])
    position = SelectField(_l("Position in the team"), choices=choices(TEAM_POSITION_LABELS))
    affiliation = SelectField(_l("Affiliation"), choices=choices(AFFILIATION_LABELS))
    phone = StringField(_l("Phone"), filters=[digits_only], validators=[Optional(), Regexp(PHONE_PATTERN, message=_l(
        "Not a Vietnamese phone number (for example 0912345678)."))])
    publish_contact = BooleanField(_l("Agrees to have their name and phone shown on the public page"),
                                   default=False)
