"""Values read from a query string: one reader each for ids, typed text, enum members and months."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import enum_arg, id_arg, parse_month, text_arg
from app.models import OutreachKind


@pytest.mark.parametrize("text, month", [("2026-11", date(2026, 11, 1)), ("2026-13", None), ("0999-01", None),
                                         ("2026-1", None), ("2026-11x", None), ("", None), (None, None)])
def test_a_month_is_yyyy_mm_or_nothing(text, month):
    assert parse_month(text) == month


def test_query_values_that_do_not_parse_are_ignored(app):
    query = "/?unit=99999999999&kind=nope&q=%00%20An%20M%E1%BB%B9%20&page=1"
    with app.test_request_context(query):
        assert id_arg("unit") is None
        assert enum_arg("kind", OutreachKind) is None
        assert text_arg("q", 4) == "An M"
    with app.test_request_context("/?unit=7&kind=meeting"):
        assert id_arg("unit") == 7
        assert enum_arg("kind", OutreachKind) is OutreachKind.MEETING


def test_the_readers_take_another_query_string_when_given(app):
    """An htmx POST reads the filters of the page it came from (HX-Current-URL), not its own query string."""
    page_query = MultiDict([("unit", "5"), ("kind", "training_class"), ("q", " Tam ")])
    with app.test_request_context("/?unit=1&kind=meeting&q=other"):
        assert id_arg("unit", page_query) == 5
        assert enum_arg("kind", OutreachKind, page_query) is OutreachKind.TRAINING_CLASS
        assert text_arg("q", 10, page_query) == "Tam"
