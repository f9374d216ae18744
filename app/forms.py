"""The base form: WTForms' own messages translated through our catalog (WTForms ships no Vietnamese)."""
from flask_babel import gettext, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm


class _BabelTranslations:
    def gettext(self, string):
        return gettext(string)

    def ngettext(self, singular, plural, n):
        return ngettext(singular, plural, n)


class Form(FlaskForm):
    """Every form of the portal derives from this one."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


def strip(value):
    """Leading and trailing spaces are never meant."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """Coerce a select's value to int, with "" meaning no choice (the "All" option of a filter)."""
    if value in ("", None):
        return None
    return int(value)


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
    _l("Field cannot be longer than %(max)d character."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Number must be at least %(min)s."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
]
