"""Forms of the follow-up screens."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.calendar import DECISION_MISSING
from app.followup.services import INSTRUCTION_EMPTY
from app.forms import DateField, Form, strip


class InstructionForm(Form):
    body = TextAreaField(_l("Instruction"), filters=[strip], validators=[
        DataRequired(INSTRUCTION_EMPTY), Length(max=5000)])


class UrgeForm(Form):
    note = TextAreaField(_l("Message to the unit (optional)"), filters=[strip], validators=[Optional(),
                                                                                           Length(max=1000)])


class CalendarDayForm(Form):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date (dd/mm/yyyy)."))])
    is_working_day = SelectField(_l("The day is"), choices=[
        ("0", _l("A day off (nghỉ bù)")), ("1", _l("A working day (làm bù)"))])
    note = StringField(_l("Decision"), filters=[strip], validators=[
        DataRequired(DECISION_MISSING), Length(max=200)])
