"""The one way a service refuses a change: RuleError for a rule, Conflict for a stale version.

Messages are written once, in the service; app.forms.submit() puts them where the form shows them and
form_status() gives the status of the re-rendered form (422, or 409 for a conflict).
"""
from flask_babel import lazy_gettext as _l

# A name that must be unique among its kind (a unit's, a village's in its commune) is taken.
NAME_TAKEN = _l("This name is already used.")
# The one message for a date that has not come yet (forms.NotInFuture and the services that check it).
FUTURE_DATE = _l("The date cannot be in the future.")
STALE_MESSAGE = _l("Someone else changed this in the meantime. The current state is shown below; "
                   "what you typed is kept so you can check it and send it again.")
# The same for an API client, which sees no page: a Conflict without a message of its own says this in the API.
STALE_API_MESSAGE = _l("Someone else changed this in the meantime. Read it again and decide once more.")


class RuleError(Exception):
    """A domain rule refuses the change; `field` names the form field the message belongs to (None: the page)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message, self.field = message, field


class Conflict(Exception):
    """The object changed since the form was loaded (a stale version); nothing was written."""

    message = STALE_MESSAGE
