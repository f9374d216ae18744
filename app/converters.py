"""URL converters."""
from werkzeug.routing import IntegerConverter

from app.forms import MAX_ID


class IdConverter(IntegerConverter):
    """<int:...> in URLs matches only numbers an id column can hold: larger ones are an unknown URL (404)
    instead of a database error (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
