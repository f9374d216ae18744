"""The one way a service refuses a change that the form could not check by itself."""


class RuleError(Exception):
    """A domain rule refuses the change; `field` names the form field the `message` belongs to."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message
