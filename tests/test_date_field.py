"""One date input everywhere: a text box that reads dd/mm/yyyy for a Vietnamese user, with or without JavaScript."""
import importlib
import inspect
import pkgutil
import re
from datetime import date, timedelta

import pytest
import wtforms
from sqlalchemy import select

import app as app_package
from app.clock import today
from app.extensions import db
from app.forms import DateField, Form, parse_date
from app.models import Organization, OrgKind, SupportTicket, Village


@pytest.mark.parametrize("typed, expected", [
    ("31/08/2022", date(2022, 8, 31)),
    ("1/8/2022", date(2022, 8, 1)),
    (" 05/06/2023 ", date(2023, 6, 5)),
    ("2022-08-31", date(2022, 8, 31)),  # what a browser's date picker or an API client sends
])
def test_a_date_is_read_as_dd_mm_yyyy_or_iso(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2022", "31/08/22", "08/31/2022x", "2022-8-1", "hôm nay", "01/01/0999"])
def test_what_is_not_a_real_date_is_not_read(typed):
    assert parse_date(typed) is None


def _forms():
    """Every form class of every area."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            for _name, obj in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
                if issubclass(obj, Form) and obj is not Form:
                    yield obj


def test_every_date_field_of_every_form_is_the_shared_one():
    date_fields = {(form.__name__, name): unbound.field_class for form in _forms()
                   for name, unbound in vars(form).items()
                   if isinstance(unbound, wtforms.fields.core.UnboundField)
                   and issubclass(unbound.field_class, (wtforms.DateField, wtforms.DateTimeField))}
    assert len(date_fields) >= 8, "fewer date fields than the portal has: the walk is broken"
    assert [name for name, cls in date_fields.items() if cls is not DateField] == []


@pytest.mark.parametrize("user, path, field", [
    ("tamphuoc", "/support/new", "wanted_by"),
    ("tamphuoc", "/outreach", "held_on"),
    ("vanphong", "/directives/new", "issued_on"),
    ("tamdann", "/teams/new", "established_on"),
])
def test_date_inputs_are_text_boxes_in_dd_mm_yyyy(signed_in, user, path, field):
    page = signed_in(user).get(path).text
    assert 'type="date"' not in page
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page).group(0)
    assert 'type="text"' in tag and 'placeholder="dd/mm/yyyy"' in tag and 'inputmode="numeric"' in tag
    if field == "held_on":  # filled in with today, shown the Vietnamese way
        assert f'value="{today().strftime("%d/%m/%Y")}"' in tag


def _ticket_form(demo, wanted_by):
    with demo.app_context():
        partner = db.session.scalar(select(Organization.id).where(Organization.kind == OrgKind.PARTNER).limit(1))
        village = db.session.scalar(select(Village.id).join(Organization, Village.commune_id == Organization.id)
                                    .where(Organization.short_name == "Tam Phước").limit(1))
    return {"partner_id": partner, "kind": "digital_signature", "village_id": village,
            "description": "Cấp chữ ký số cho tổ trưởng", "wanted_by": wanted_by}


def test_a_date_typed_as_dd_mm_yyyy_is_saved(demo, signed_in):
    client = signed_in("tamphuoc")
    wanted_by = today() + timedelta(days=9)
    response = client.post("/support/new", data=_ticket_form(demo, wanted_by.strftime("%d/%m/%Y")))
    assert response.status_code == 303
    with demo.app_context():
        latest = select(SupportTicket.wanted_by).order_by(SupportTicket.id.desc()).limit(1)
        assert db.session.scalar(latest) == wanted_by


def test_a_date_not_understood_says_how_to_type_it_and_keeps_what_was_typed(demo, signed_in):
    client = signed_in("tamphuoc")
    with demo.app_context():
        before = db.session.scalar(select(db.func.count(SupportTicket.id)))
    response = client.post("/support/new", data=_ticket_form(demo, "31/02/2030"))
    assert response.status_code == 422
    assert "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 31/08/2022." in response.text
    assert 'value="31/02/2030"' in response.text
    with demo.app_context():
        assert db.session.scalar(select(db.func.count(SupportTicket.id))) == before
