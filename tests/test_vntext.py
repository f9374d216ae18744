"""Vietnamese search folding and sort order, the same on SQLite and PostgreSQL."""
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Organization, OrgKind
from app.vntext import fold, like_contains, sort_key
from tests.factories import make_unit


def test_fold_drops_case_and_diacritics():
    assert fold("  Tuyên TRUYỀN   Đoàn ") == "tuyen truyen doan"


def test_names_sort_in_vietnamese_order():
    names = ["Tam Vinh", "Tam Đại", "Tam Dân", "Tam An", "Tam Đàn", "Tam Anh", "Thôn 10", "Thôn 2", "Ă", "B"]
    assert sorted(names, key=sort_key) == ["Ă", "B", "Tam An", "Tam Anh", "Tam Dân", "Tam Đại", "Tam Đàn",
                                           "Tam Vinh", "Thôn 2", "Thôn 10"]


def test_tones_order_after_letters():
    assert sorted(["cạ", "cá", "ca", "cà", "cả", "cã", "că"], key=sort_key) == ["ca", "cà", "cả", "cã", "cá", "cạ",
                                                                               "că"]


@given(st.text(max_size=40))
def test_sort_key_is_plain_ascii_of_letters_and_digits(text):
    key = sort_key(text)
    assert key.isascii() and key.isalnum()


def test_the_database_orders_units_by_their_sort_key(app):
    with app.app_context():
        for name in ["UBND xã Tam Vinh", "UBND xã Tam Đàn", "UBND xã Tam Dân", "UBND xã Tam An"]:
            make_unit(name)
        names = db.session.scalars(select(Organization.name).order_by(Organization.sort_key)).all()
    assert names == ["UBND xã Tam An", "UBND xã Tam Dân", "UBND xã Tam Đàn", "UBND xã Tam Vinh"]


def test_the_town_is_grouped_with_the_communes(app):
    with app.app_context():
        make_unit("Văn phòng HĐND và UBND huyện", kind=OrgKind.DISTRICT_OFFICE)
        make_unit("UBND thị trấn Phú Thịnh", kind=OrgKind.TOWN)
        make_unit("UBND xã Tam An")
        make_unit("Huyện Đoàn", kind=OrgKind.UNION)
        names = db.session.scalars(select(Organization.name).order_by(*Organization.picker_order())).all()
    assert names == ["Văn phòng HĐND và UBND huyện", "UBND thị trấn Phú Thịnh", "UBND xã Tam An", "Huyện Đoàn"]


def test_like_contains_treats_percent_and_underscore_as_characters(app):
    with app.app_context():
        make_unit("UBND xã 100% số")
        make_unit("UBND xã 1000 số")
        found = db.session.scalars(select(Organization.name).where(
            like_contains(Organization.name, "100%"))).all()
    assert found == ["UBND xã 100% số"]
