"""Forms for directives, items and assignment."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app import submissions
from app.calendar import MAX_WORKING_DAYS
from app.clock import today
from app.directives.services import REASON_REQUIRED
from app.forms import DateField, Form, MultiCheckboxField, strip
from app.labels import DOC_TYPE_LABELS, KPI_LABELS, RECURRENCE_LABELS, UNIT_GROUP_LABELS, choices
from app.models import Organization
from app.models.org import KIND_GROUPS

# Số ký hiệu (Decree 30/2020): a number, for legal documents the year, then the code: groups that start with a
# letter, joined by "-" (1234/UBND-VP, 05/CT-TTg, 45/KH-BCĐ, 51/STTTT-CNTT&BCVT, 12/2026/QĐ-UBND).
CODE_GROUP = r"[A-Za-zĐđ][0-9A-Za-zĐđ&.]*"
NUMBER_PATTERN = rf"^\d{{1,6}}(/\d{{4}})?/{CODE_GROUP}(-{CODE_GROUP})*$"


def reference_number(value):
    """Spaces dropped; a code typed all in lower case is upper-cased (mixed case such as TTg is kept)."""
    if not isinstance(value, str):
        return value
    value = "".join(value.split())
    return value.upper() if value == value.lower() else value


def unit_groups(units: list[Organization]) -> list[tuple[str, list[Organization]]]:
    """Units (already in picker order) under their group's label, for grouped pickers."""
    groups: dict[int, list[Organization]] = {}
    for unit in units:
        groups.setdefault(KIND_GROUPS.get(unit.kind, 9), []).append(unit)
    return [(UNIT_GROUP_LABELS.get(group, ""), members) for group, members in groups.items()]


class DirectiveForm(Form):
    submission_key = submissions.KeyField()
    number = StringField(_l("Reference number"), filters=[reference_number], validators=[
        DataRequired(_l("Enter the reference number.")), Length(max=60),
        Regexp(NUMBER_PATTERN, message=_l("A reference number looks like 1234/UBND-VP, 05/CT-TTg or "
                                          "12/2026/QĐ-UBND."))])
    doc_type = SelectField(_l("Document type"), choices=choices(DOC_TYPE_LABELS))
    issuer = StringField(_l("Issuing body"), filters=[strip],
                         validators=[DataRequired(_l("Enter the issuing body.")), Length(max=200)])
    issued_on = DateField(_l("Issue date"),
                          validators=[DataRequired(_l("Enter the issue date (dd/mm/yyyy)."))])
    signer = StringField(_l("Signer"), filters=[strip],
                         validators=[DataRequired(_l("Enter the signer.")), Length(max=120)])
    summary = TextAreaField(_l("Summary"), filters=[strip],
                            validators=[DataRequired(_l("Enter the summary.")), Length(max=500)])
    body = TextAreaField(_l("Content / notes"), filters=[strip], validators=[Optional(), Length(max=20000)])
    final_deadline = DateField(_l("Final deadline"), validators=[Optional()])

    def validate_issued_on(self, field):
        if field.data and field.data > today():
            raise ValidationError(_l("The issue date cannot be in the future."))

    def validate_final_deadline(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The final deadline cannot be before the issue date."))


class ItemForm(Form):
    submission_key = submissions.KeyField()
    title = StringField(_l("Task"), filters=[strip],
                        validators=[DataRequired(_l("Enter the task.")), Length(max=300)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=5000)])
    default_deadline = DateField(_l("Deadline"), validators=[Optional()])
    kpi = SelectField(_l("Indicator"), choices=[("", _l("None: progress is reported by the unit"))]
                      + choices(KPI_LABELS), validators=[Optional()])
    recurrence = SelectField(_l("Periodic report"), choices=[("", _l("No: a one-off task"))]
                             + choices(RECURRENCE_LABELS), validators=[Optional()])
    review_required = BooleanField(_l("The district office reviews a reported completion"), default=True)
    evidence_required = BooleanField(_l("A completion report must carry an evidence file"), default=False)


class AssignForm(Form):
    group = SelectField(_l("Assign to a group"), choices=[
        ("", _l("No group: choose units below")),
        ("communes", _l("All communes and the town")),
        ("unions", _l("All unions")),
        ("partners", _l("All partner enterprises")),
    ], validators=[Optional()])
    lead_units = MultiCheckboxField(_l("Lead units"), coerce=int, validate_choice=True)
    cooperating_units = MultiCheckboxField(_l("Co-operating units"), coerce=int, validate_choice=True)
    deadline_by = RadioField(_l("The deadline is given as"), default="date", choices=[
        ("date", _l("a date")), ("working_days", _l("a number of working days from today"))])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    working_days = IntegerField(_l("Working days"), validators=[Optional(), NumberRange(
        1, MAX_WORKING_DAYS, message=_l("Give between 1 and %(most)d working days.", most=MAX_WORKING_DAYS))])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.deadline_by.data == "working_days" and not self.working_days.data:
            self.working_days.errors.append(_l("Give the number of working days."))
            return False
        if not self.group.data and not self.lead_units.data:
            self.lead_units.errors.append(_l("Choose a group or at least one lead unit."))
            return False
        return True


class CancelForm(Form):
    reason = TextAreaField(_l("Reason for the cancellation"), filters=[strip], validators=[
        DataRequired(REASON_REQUIRED), Length(max=1000)])
