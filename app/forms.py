"""The base form: WTForms' own messages translated through our catalog (WTForms ships no Vietnamese), and
no control characters in any text."""
import re
from datetime import date

from flask import flash, request
from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField as _WTFormsDateField
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from app.clock import today
from app.htmx import redirect_to
from app.rules import FUTURE_DATE, Conflict, RuleError


class _BabelTranslations:
    """The catalog's raw strings: WTForms fills in %(min)d and %(max)d itself.

    (Flask-Babel's ngettext would interpolate at once and fail on the placeholders it does not know.)
    """

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


# C0 control characters but tab, line feed and carriage return, and DEL: nobody types them, and PostgreSQL
# refuses NUL in text outright (a 500 instead of a message).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = _l("This field contains invisible control characters. Type it again.")


class Form(FlaskForm):
    """Every form of the portal derives from this one."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

    def validate(self, extra_validators=None) -> bool:
        """The fields' own validators, then: no control characters in any text field."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
                field.errors.append(CONTROL_CHARACTERS_MESSAGE)
                valid = False
        return valid


# The largest id an INTEGER column holds (PostgreSQL's is 32-bit): larger numbers would be a database error.
MAX_ID = 2**31 - 1


class ConfirmForm(Form):
    """A confirming button's form: only its CSRF token."""


def db_id(value: str) -> int:
    """A query-string id the database can hold (positive 32-bit); ValueError otherwise, so Flask's
    `request.args.get(name, type=db_id)` falls back to the default instead of failing in the database."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def id_arg(name: str, args=None) -> int | None:
    """An id from the query string (or `args`), or None when it is absent, not a number, or no id at all."""
    return (request.args if args is None else args).get(name, type=db_id)


def text_arg(name: str, max_length: int, args=None) -> str:
    """Typed search text from the query string (or `args`): trimmed, cut to `max_length`, without control characters
    (PostgreSQL refuses NUL in text)."""
    return CONTROL_CHARACTERS.sub("", (request.args if args is None else args).get(name, "")).strip()[:max_length]


def enum_arg(name: str, enum_type: type, args=None):
    """A member of `enum_type` named by its value in the query string (or `args`); None for anything else."""
    value = (request.args if args is None else args).get(name, "")
    return enum_type(value) if value in {member.value for member in enum_type} else None


MONTH = re.compile(r"([1-9][0-9]{3})-(0[1-9]|1[0-2])")  # 2026-11, as links and the API write a month


def parse_month(text: str | None) -> date | None:
    """The first day of the month `YYYY-MM`; None when the text is not one."""
    match = MONTH.fullmatch(text or "")
    return date(int(match[1]), int(match[2]), 1) if match else None


def strip(value):
    """Leading and trailing spaces are never meant."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """Coerce a select's id to int, with "" meaning no choice (the "All" option of a filter)."""
    if value in ("", None):
        return None
    return db_id(value)


def submit(form, call):
    """Validate the submitted form, then call the service: its result, or None when either refuses.

    A RuleError's message goes to its field (or to the form as a whole when it names none) and the error is kept
    on `form.refusal` (for what it carries besides its message); a Conflict is kept on `form.conflict`.
    form_status(form) then gives the status of the re-rendered form.
    """
    if not form.validate_on_submit():
        return None
    try:
        return call()
    except Conflict as error:
        form.conflict = error
        form.form_errors.append(error.message)
    except RuleError as error:
        form.refusal = error
        field = getattr(form, error.field, None) if error.field else None
        (field.errors if field is not None else form.form_errors).append(error.message)
    return None


def form_status(form) -> int:
    """The status of a (re-)rendered form: 409 after a conflict, 422 with errors, 200 otherwise."""
    if getattr(form, "conflict", None) is not None:
        return 409
    return 422 if form.errors else 200


def flash_errors(form) -> None:
    """Put a refused form's messages at the top of the page, for a form the page no longer offers (its state moved
    on: a double click, a colleague's decision)."""
    for message in [*form.form_errors, *(error for field in form for error in field.errors)]:
        flash(message, "error")


def saved(form, call, message, to):
    """submit(), and when the service saved: flash `message` and redirect (303) to `to`, each a value or a function
    of the service's result. None when the form or the service refused: the view shows the form again."""
    result = submit(form, call)
    if result is None:
        return None
    flash(message(result) if callable(message) else message, "success")
    return redirect_to(to(result) if callable(to) else to)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice as a list of check boxes (a few units), not a select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NotInFuture:
    """A date that has already come, in the district's time zone (a meeting held, a team set up)."""

    def __init__(self, message=None):
        self.message = message or FUTURE_DATE

    def __call__(self, form, field):
        if field.data is not None and field.data > today():
            raise ValidationError(self.message)


class NotInPast:
    """A date from today on, in the district's time zone (a date something is wanted by)."""

    def __init__(self, message=None):
        self.message = message or _l("The date cannot be in the past.")

    def __call__(self, form, field):
        if field.data is not None and field.data < today():
            raise ValidationError(self.message)


DATE_TYPED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # 31/08/2022 or 1/8/2022, as Vietnamese offices write
DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")  # what a browser's date picker or an API client sends
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
DATE_MESSAGE = _l("Not a valid date: type it as dd/mm/yyyy, for example 31/08/2022.")


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) as a date; None when it is neither or no such day exists."""
    text = text.strip()
    if match := DATE_TYPED.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := DATE_ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        return None
    try:
        return date(year, month, day) if year >= 1900 else None
    except ValueError:
        return None


class DateField(_WTFormsDateField):
    """The one date input: a text box that reads and shows dd/mm/yyyy in every browser and without JavaScript
    (a browser's own date input shows its locale's format, often mm/dd/yyyy); yyyy-mm-dd is understood too."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, format=None, **kwargs):
        render_kw = {"class": "date", "placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     "pattern": DATE_PATTERN, "title": DATE_MESSAGE, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, format="%d/%m/%Y", render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        self.data = parse_date(valuelist[0])
        if self.data is None:
            raise ValueError(DATE_MESSAGE)

    def validate(self, form, extra_validators=()):
        """A date that was typed but not understood says how to type it (DataRequired would only say it is
        missing)."""
        valid = super().validate(form, extra_validators)
        if self.process_errors:
            self.errors = list(self.process_errors)
        return valid


# WTForms' built-in messages, listed so that extraction puts them in our catalog.
WTFORMS_MESSAGES = [
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid decimal value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Number must be at least %(min)s."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.",
                  "Field must be exactly %(max)d characters long.", 1),
]
