"""The register: Decree 30 numbers and document types, search without case or diacritics, the grid with totals,
and an audit trail that says in Vietnamese what changed."""
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.clock import today
from app.directives.forms import DirectiveForm
from app.directives.grid import directive_grid
from app.extensions import db
from app.models import AuditEvent, Directive, DocType, Item, Organization, Task, User
from tests.factories import make_directive


def _form(**overrides) -> dict:
    return {"number": "1525/UBND-VP", "doc_type": "official_letter", "issuer": "UBND huyện Phú Ninh",
            "issued_on": (today() - timedelta(days=3)).isoformat(), "signer": "Trần Văn Minh",
            "summary": "V/v đẩy mạnh chuyển đổi số", "body": "", "final_deadline": "", **overrides}


@pytest.mark.parametrize("number", ["12/2026/QĐ-UBND", "1234/UBND-VP", "05/CT-TTg", "45/KH-BCĐ", "51/STTTT-CNTT&BCVT"])
def test_decree_30_reference_numbers_are_accepted_as_typed(demo, signed_in, number):
    form = _form(number=number, issuer="UBND tỉnh Quảng Nam")
    assert signed_in("vanphong").post("/directives/new", data=form).status_code == 303
    with demo.app_context():
        assert db.session.scalar(select(func.count(Directive.id)).where(
            Directive.number == number, Directive.issuer == "UBND tỉnh Quảng Nam")) == 1


def test_a_number_typed_in_lower_case_is_upper_cased_but_mixed_case_is_kept(demo, signed_in):
    office = signed_in("vanphong")
    office.post("/directives/new", data=_form(number=" 12/2026/qđ-ubnd "))
    office.post("/directives/new", data=_form(number="05/CT-TTg"))
    with demo.app_context():
        numbers = set(db.session.scalars(select(Directive.number)))
    assert {"12/2026/QĐ-UBND", "05/CT-TTg"} <= numbers


CODE_GROUP = st.builds(lambda first, rest: first + rest, st.sampled_from("ABCDEGHKLMNPQSTUVXĐ"),
                       st.text(alphabet="ABCDEGHKLMNPQSTUVXĐg0123456789&.", max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(min_value=1, max_value=999999), padded=st.booleans(),
       year=st.one_of(st.none(), st.integers(min_value=1945, max_value=2099)),
       codes=st.lists(CODE_GROUP, min_size=1, max_size=4))
def test_every_number_of_the_decree_30_shape_passes_the_form(app, number, padded, year, codes):
    value = f"{number:02d}" if padded else str(number)
    value += (f"/{year}" if year else "") + "/" + "-".join(codes)
    with app.test_request_context(method="POST"):
        form = DirectiveForm(formdata=MultiDict(_form(number=value)), meta={"csrf": False})
        form.validate()
        assert form.number.errors == [], value


@pytest.mark.parametrize("number", ["hello", "12/2026", "1234/-VP", "12/20261/QĐ-UBND", "/UBND-VP", "12//QĐ"])
def test_numbers_of_another_shape_are_refused_with_the_expected_shape(signed_in, number):
    response = signed_in("vanphong").post("/directives/new", data=_form(number=number))
    assert response.status_code == 422
    assert "05/CT-TTg hoặc 12/2026/QĐ-UBND" in response.text


@pytest.mark.parametrize("doc_type, label", [("resolution", "Nghị quyết"), ("dispatch", "Công điện"),
                                             ("guidance", "Hướng dẫn"), ("programme", "Chương trình")])
def test_the_new_document_types_are_offered_saved_and_shown(demo, signed_in, doc_type, label):
    office = signed_in("vanphong")
    assert f'<option value="{doc_type}">{label}</option>' in office.get("/directives/new").text
    response = office.post("/directives/new", data=_form(doc_type=doc_type))
    assert response.status_code == 303
    assert f"{label} 1525/UBND-VP" in office.get(response.headers["Location"]).text
    with demo.app_context():
        saved = db.session.scalar(select(Directive.doc_type).where(Directive.number == "1525/UBND-VP"))
        assert saved == DocType(doc_type)


@pytest.mark.parametrize("query", ["xa thong minh", "XÃ THÔNG MINH", "Xa Thong Minh", "1234/ubnd", "TO CONG NGHE"])
def test_the_register_search_ignores_case_and_diacritics(signed_in, query):
    assert "1234/UBND-VP" in signed_in("vanphong").get("/directives", query_string={"q": query}).text


def test_percent_and_underscore_typed_in_the_search_are_literal(demo, signed_in):
    with demo.app_context():
        make_directive("9/TB-UBND", summary="Đạt 100%_kế hoạch tuyên truyền")
    office = signed_in("vanphong")
    assert "9/TB-UBND" in office.get("/directives?q=100%25_k").text
    for query in ("%", "_", "x%y", "1_34"):
        page = office.get("/directives", query_string={"q": query}).text
        assert "1234/UBND-VP" not in page, query


def test_search_columns_are_kept_when_a_directive_or_an_item_is_corrected(demo, signed_in):
    office = signed_in("vanphong")
    office.post("/directives/1/edit", data=_form(number="1234/UBND-VP", summary="Về Tuyên truyền số"))
    office.post("/items/1/edit", data={"title": "Đẩy mạnh Ứng dụng", "description": "", "kpi": ""})
    with demo.app_context():
        assert db.session.get(Directive, 1).search_text == "1234/ubnd-vp ve tuyen truyen so"
        assert db.session.get(Item, 1).search_text == "day manh ung dung"


def test_the_grid_heads_show_short_titles_with_the_full_title_beside(signed_in):
    page = signed_in("vanphong").get("/directives/1").text
    grid = page[page.index('class="task-grid"'):]
    assert "NV 1" not in grid and "Nhiệm vụ 1<" not in grid
    full = "Tuyên truyền, phổ biến đến từng hộ gia đình, người dân về xã thông minh và chương trình chuyển đổi số"
    assert f'title="2. {full}"' in grid
    assert f'<span class="visually-hidden">2. {full}</span>' in grid
    assert '<span aria-hidden="true">2. Tuyên truyền, phổ biến đến…</span>' in grid


def test_the_grid_totals_count_each_units_and_each_items_tasks_by_class(demo):
    with demo.app_context():
        office = db.session.scalar(select(User).where(User.username == "vanphong"))
        grid = directive_grid(db.session.get(Directive, 1), office, today())
        for item in grid.items:
            assert sum(grid.item_totals[item.id].values()) == db.session.scalar(
                select(func.count(Task.id)).where(Task.item_id == item.id))
        for unit in grid.units:
            assert sum(grid.unit_totals[unit.id].values()) == sum(1 for key in grid.cells if key[0] == unit.id)
        # Rows in picker order: the department first, then communes with the town, unions, partners.
        assert [u.id for u in grid.units] == list(db.session.scalars(
            select(Organization.id).where(Organization.id.in_([u.id for u in grid.units]))
            .order_by(*Organization.picker_order())))
        assert grid.units[0].short_name == "Phòng VH-TT" and grid.units[-1].kind == "partner"


def test_the_grid_shows_the_totals_row_and_column(signed_in):
    page = signed_in("vanphong").get("/directives/1").text
    grid = page[page.index('class="task-grid"'):]
    assert "<tfoot>" in grid and grid.count('class="totals"') > 20
    assert 'class="total cls-done_on_time"' in grid


def test_a_directive_edit_records_which_fields_changed_with_old_and_new_values(demo, signed_in):
    with demo.app_context():
        old = db.session.get(Directive, 1)
        old_summary, old_deadline = old.summary, old.final_deadline
    office = signed_in("vanphong")
    office.post("/directives/1/edit", data=_form(number="1234/UBND-VP", summary="Trích yếu mới",
                                                 issued_on=date(2022, 7, 1).isoformat(), final_deadline="2030-12-31"))
    with demo.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directive.update"))
        assert event.changes["summary"] == [old_summary, "Trích yếu mới"]
        assert event.changes["final_deadline"] == [{"date": old_deadline.isoformat()}, {"date": "2030-12-31"}]
        assert "number" not in event.changes and "issuer" not in event.changes
    office.post("/logout")
    audit = signed_in("admin").get("/admin/audit").text
    assert f"Trích yếu: {old_summary} → Trích yếu mới" in audit
    assert f"Thời hạn hoàn thành chung: {old_deadline:%d/%m/%Y} → 31/12/2030" in audit


def test_the_audit_page_shows_directive_work_in_vietnamese_without_codes(demo, signed_in):
    office = signed_in("vanphong")
    office.post("/directives/new", data=_form(doc_type="resolution"))
    office.post("/directives/1/items", data={"title": "Báo cáo quý", "kpi": ""})
    with demo.app_context():
        item_id = db.session.scalar(select(func.max(Item.id)))
    office.post(f"/items/{item_id}/assign", data={"group": "unions", "deadline": "2030-01-31"})
    office.post(f"/items/{item_id}/cancel", data={"reason": "Gộp vào báo cáo năm"})
    office.post("/logout")
    with demo.app_context():
        hidden = make_directive("3/TB-UBND").id
    signed_in("tamphuoc").get(f"/directives/{hidden}")
    signed_in("tamphuoc").post(f"/directives/{hidden}/items", data={"title": "x"})
    page = signed_in("admin").get("/admin/audit").text
    audit = page[page.index("<tbody>"):]
    for shown in ("Loại văn bản: — → Nghị quyết", "Đơn vị chủ trì: — → ", "Thời hạn: — → 31/01/2030",
                  "Lý do hủy: — → Gộp vào báo cáo năm", f"Mở trang /directives/{hidden}",
                  f"Gửi biểu mẫu đến /directives/{hidden}/items"):
        assert shown in audit, shown
    for code in ("resolution", " tasks<", "item.assign", "item.cancel", "2030-01-31", "None", "GET /", "POST /"):
        assert code not in audit, code
