"""Sign-in and password change forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import Form


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=128)])
    next = HiddenField()


class PasswordChangeForm(Form):
    """The rules of a new password are checked by the service (app/auth/passwords.py), once."""

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=128)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))])
    new_password_again = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Type the new password again.")),
        EqualTo("new_password", message=_l("The two new passwords differ."))])


class TokenForm(Form):
    """A new API token: a name and how long it is valid (the rules are the service's: app/auth/tokens.py)."""

    name = StringField(_l("Token name"), validators=[DataRequired(_l("Give the token a name.")), Length(max=80)])
    days = SelectField(_l("Valid for"), coerce=int, choices=[
        (30, _l("30 days")), (90, _l("90 days")), (365, _l("1 year"))], default=90)


class DigestForm(Form):
    email_digest = BooleanField(_l("Send me a daily email with my unit's new, due-soon and overdue tasks"))
