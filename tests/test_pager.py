"""The one pager: bounded page numbers, one row more than a page, links with only the known filters."""
import pytest
from sqlalchemy import select

from app.models import Organization
from app.pager import MAX_PAGE, paginate
from tests.factories import make_unit


@pytest.mark.parametrize("page, expected", [("", 1), ("2", 2), ("0", 1), ("-3", 1), ("²", 1), ("x", 1),
                                            ("922337203685477580", 1), (str(MAX_PAGE + 1), 1), ("9" * 5000, 1)])
def test_page_numbers_are_bounded(app, page, expected):
    with app.test_request_context(f"/tasks?page={page}"):
        assert paginate(select(Organization)).number == expected


def test_a_page_knows_whether_another_follows_and_links_keep_only_known_filters(app):
    with app.app_context():
        for n in range(5):
            make_unit(f"UBND xã Trang {n}")
    with app.test_request_context("/tasks?page=2&_method=POST&endpoint=x&_external=1&q=trang"):
        app.preprocess_request()
        page = paginate(select(Organization).order_by(Organization.id), args={"q": "trang", "unit": None},
                        page_size=2)
        assert [unit.name for unit in page] == ["UBND xã Trang 2", "UBND xã Trang 3"]
        assert page.has_prev and page.has_next
        assert page.url(3) == "/tasks?q=trang&page=3"
