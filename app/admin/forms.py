"""Forms for units and users."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.auth.passwords import password_problem
from app.forms import Form, strip
from app.labels import ORG_KIND_LABELS, ROLE_LABELS, choices
from app.models import Role

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
# Vietnamese mobile or landline: 0 or +84, then 9-10 digits.
PHONE_PATTERN = r"^(0|\+84)[1-9][0-9]{8,9}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def digits_only(value):
    """Phone numbers are typed with spaces and dots: 0912 345 678, 0912.345.678."""
    return re.sub(r"[\s.\-]", "", value) if isinstance(value, str) else value


def _required(message):
    return DataRequired(message=message)


def acceptable_password(form, field):
    """The password rule of app/auth/passwords.py, with the username typed in the same form."""
    username = form.username.data if getattr(form, "username", None) else ""
    problem = password_problem(field.data or "", username or "")
    if problem:
        raise ValidationError(problem)


class UnitForm(Form):
    name = StringField(_l("Name"), filters=[strip],
                       validators=[_required(_l("Enter the unit's name.")), Length(max=200)])
    short_name = StringField(_l("Short name"), filters=[strip],
                             validators=[_required(_l("Enter a short name.")), Length(max=60)])
    kind = SelectField(_l("Kind"), choices=choices(ORG_KIND_LABELS))
    # Choices: the administrative levels of the admin's subtree (set by the view); 0 for none (the top).
    parent_id = SelectField(_l("Belongs to"), coerce=int, validate_choice=True)
    level_name = StringField(_l("Level name"), filters=[strip], validators=[Length(max=40)])


class UserForm(Form):
    username = StringField(_l("Username"), filters=[strip], validators=[
        _required(_l("Enter a username.")),
        Regexp(USERNAME_PATTERN, message=_l("3 to 64 characters: lower-case letters, digits, dot, dash, underscore."))])
    full_name = StringField(_l("Full name"), filters=[strip],
                            validators=[_required(_l("Enter the full name.")), Length(max=120)])
    email = StringField(_l("Email"), filters=[strip], validators=[Optional(), Length(max=254),
                                                  Regexp(EMAIL_PATTERN, message=_l("Not a valid email address."))])
    phone = StringField(_l("Phone"), filters=[digits_only], validators=[Optional(), Regexp(PHONE_PATTERN, message=_l(
        "Not a Vietnamese phone number (for example 0912345678)."))])
    # A new user starts with the least rights: administrator is a choice made, never one left in place.
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS), default=Role.OFFICER.value)
    organization_id = SelectField(_l("Unit"), coerce=int, validate_choice=True)
    password = PasswordField(_l("Password"), validators=[_required(_l("Enter a password.")), acceptable_password])


class UserEditForm(UserForm):
    """Editing keeps the username and leaves the password to its own action."""

    username = None
    password = None


class AuditFilterForm(Form):
    """The filters of /admin/audit, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    action = SelectField(_l("Action"), choices=[], default="")
    user = StringField(_l("Username"), filters=[strip], validators=[Length(max=64)])
