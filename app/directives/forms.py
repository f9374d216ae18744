"""Forms for directives, items and assignment."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.clock import today
from app.forms import DateField, Form, strip
from app.labels import DOC_TYPE_LABELS, KPI_LABELS, choices

# Số ký hiệu: a number, "/", then upper-case groups joined by "-" (1234/UBND-VP, 17/KH-UBND, 51/STTTT-CNTT&BCVT).
NUMBER_PATTERN = r"^\d{1,6}/[0-9A-ZĐ&.]+(-[0-9A-ZĐ&.]+)*$"
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker's value, or typed by hand without JavaScript


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DirectiveForm(Form):
    number = StringField(_l("Reference number"), filters=[upper], validators=[
        DataRequired(_l("Enter the reference number.")), Length(max=60),
        Regexp(NUMBER_PATTERN, message=_l("A reference number looks like 1234/UBND-VP or 17/KH-UBND."))])
    doc_type = SelectField(_l("Document type"), choices=choices(DOC_TYPE_LABELS))
    issuer = StringField(_l("Issuing body"), filters=[strip],
                         validators=[DataRequired(_l("Enter the issuing body.")), Length(max=200)])
    issued_on = DateField(_l("Issue date"), format=DATE_FORMATS,
                          validators=[DataRequired(_l("Enter the issue date (dd/mm/yyyy)."))])
    signer = StringField(_l("Signer"), filters=[strip],
                         validators=[DataRequired(_l("Enter the signer.")), Length(max=120)])
    summary = TextAreaField(_l("Summary"), filters=[strip],
                            validators=[DataRequired(_l("Enter the summary.")), Length(max=500)])
    body = TextAreaField(_l("Content / notes"), filters=[strip], validators=[Optional(), Length(max=20000)])
    final_deadline = DateField(_l("Final deadline"), format=DATE_FORMATS, validators=[Optional()])

    def validate_issued_on(self, field):
        if field.data and field.data > today():
            raise ValidationError(_l("The issue date cannot be in the future."))

    def validate_final_deadline(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The final deadline cannot be before the issue date."))


class ItemForm(Form):
    title = StringField(_l("Task"), filters=[strip],
                        validators=[DataRequired(_l("Enter the task.")), Length(max=300)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=5000)])
    default_deadline = DateField(_l("Deadline"), format=DATE_FORMATS, validators=[Optional()])
    kpi = SelectField(_l("Indicator"), choices=[("", _l("None: progress is reported by the unit"))]
                      + choices(KPI_LABELS), validators=[Optional()])


class AssignForm(Form):
    group = SelectField(_l("Assign to a group"), choices=[
        ("", _l("No group: choose units below")),
        ("communes", _l("All communes and the town")),
        ("unions", _l("All unions")),
        ("partners", _l("All partner enterprises")),
    ], validators=[Optional()])
    lead_units = MultiCheckboxField(_l("Lead units"), coerce=int, validate_choice=True)
    cooperating_units = MultiCheckboxField(_l("Co-operating units"), coerce=int, validate_choice=True)
    deadline = DateField(_l("Deadline"), format=DATE_FORMATS, validators=[Optional()])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not self.group.data and not self.lead_units.data:
            self.lead_units.errors.append(_l("Choose a group or at least one lead unit."))
            return False
        return True
