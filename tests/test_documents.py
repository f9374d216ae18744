"""Word documents in the Decree 30/2020 form: the urging letter to a unit about its overdue tasks."""
from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from docx.shared import Pt
from sqlalchemy import select

from app.clock import today
from app.documents.decree30 import vietnamese_date
from app.extensions import db
from app.models import AuditEvent, Directive, DocType, OrgKind, Role
from tests.conftest import login
from tests.documents import (
    assert_decree_page,
    fonts_of,
    pdf_pages,
    read,
    run_of,
    texts,
    to_pdf,
    words_outside_text_area,
)
from tests.factories import PASSWORD, make_directive, make_item, make_task, make_unit, make_user


def letter_form(**changes) -> dict:
    today_ = today()
    return {"issuing_body": "ỦY BAN NHÂN DÂN\nHUYỆN THỬ", "number": "125/UBND-VP", "place": "Thử",
            "issued_on": today_.isoformat(), "addressee": "Chủ tịch UBND xã Thử", "report_by":
            (today_ + timedelta(days=7)).strftime("%d/%m/%Y"), "authority": "KT. CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Văn Hùng",
            "recipients": "- Như trên;\n- CT, các PCT UBND huyện;\n- Lưu: VT, VP.",
            "opening": "Thực hiện Kế hoạch số 17/KH-UBND của UBND huyện về chuyển đổi số năm 2022.", **changes}


@pytest.fixture
def overdue(app, client):
    """A coordinator signed in and a unit with `count` overdue tasks: a function returning the unit's id."""
    def make(count: int = 3) -> int:
        with app.app_context():
            office = make_unit("Văn phòng Thử")
            make_user("dieuphoi", role=Role.COORDINATOR, unit=office)
            unit = make_unit("UBND xã Thử")
            directive = make_directive("17/KH-UBND", issuer="UBND huyện Thử", doc_type=DocType.PLAN)
            for n in range(count):
                make_task(unit, make_item(directive, title=f"Nhiệm vụ quá hạn số {n + 1}: rà soát, cập nhật "
                                                           f"dữ liệu hộ gia đình trên nền tảng số"),
                          deadline=today() - timedelta(days=n + 1), progress=40)
            make_task(unit, make_item(directive, title="Nhiệm vụ còn hạn"), deadline=today() + timedelta(days=9))
            unit_id = unit.id
        login(client, "dieuphoi", PASSWORD)
        return unit_id
    return make


def test_vietnamese_dates_have_leading_zeros_for_days_below_10_and_months_1_and_2():
    assert vietnamese_date("Phú Ninh", date(2025, 1, 5)) == "Phú Ninh, ngày 05 tháng 01 năm 2025"
    assert vietnamese_date("Phú Ninh", date(2025, 3, 15)) == "Phú Ninh, ngày 15 tháng 3 năm 2025"
    assert vietnamese_date("Phú Ninh", date(2025, 12, 1)) == "Phú Ninh, ngày 01 tháng 12 năm 2025"


def test_the_letters_page_lists_units_with_overdue_tasks(overdue, client):
    unit_id = overdue(2)
    page = client.get("/documents/urging-letters").get_data(as_text=True)
    assert "UBND xã Thử" in page and f"/documents/urging-letters/{unit_id}" in page


def test_the_task_list_and_the_directive_page_lead_coordinators_to_the_letters(signed_in, demo):
    client = signed_in("vanphong")
    with demo.app_context():
        directive_id = db.session.scalar(select(Directive.id))
    assert "/documents/urging-letters" in client.get("/tasks").get_data(as_text=True)
    page = client.get(f"/directives/{directive_id}").get_data(as_text=True)
    assert f"/documents/urging-letters?directive={directive_id}" in page


def test_the_form_starts_from_the_directive_and_the_unit(overdue, client):
    page = client.get(f"/documents/urging-letters/{overdue(2)}").get_data(as_text=True)
    assert "ỦY BAN NHÂN DÂN\nHUYỆN THỬ" in page and 'value="Thử"' in page and 'value="UBND xã Thử"' in page
    assert "Thực hiện Kế hoạch số 17/KH-UBND" in page
    assert "Nhiệm vụ còn hạn" not in page  # only overdue tasks are urged


def test_a_letter_without_its_signer_is_not_downloaded(overdue, client):
    response = client.post(f"/documents/urging-letters/{overdue(2)}", data=letter_form(signer_name=""))
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert "Hãy nhập họ tên người ký" in response.get_data(as_text=True)


def test_the_urging_letter_has_the_decree_30_parts(overdue, client, app):
    unit_id = overdue(3)
    response = client.post(f"/documents/urging-letters/{unit_id}", data=letter_form())
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = read(response.data)
    assert_decree_page(document)
    header, tasks, signature = document.tables
    left, right = (cell.paragraphs for cell in header.rows[0].cells)
    assert [p.text for p in left if p.text] == ["ỦY BAN NHÂN DÂN", "HUYỆN THỬ", "Số: 125/UBND-VP",
                                                "V/v đôn đốc thực hiện nhiệm vụ quá hạn"]
    assert all(p.runs[0].bold for p in left[:2])
    motto = run_of(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert motto.bold and motto.font.size == Pt(12) and fonts_of(motto) == {"Times New Roman"}
    assert run_of(document, "Độc lập - Tự do - Hạnh phúc").bold
    dated = run_of(document, vietnamese_date("Thử", today()))
    assert dated.italic and dated.font.size == Pt(14)
    body = texts(document)
    assert "Kính gửi: Chủ tịch UBND xã Thử." in body
    assert "Thực hiện Kế hoạch số 17/KH-UBND của UBND huyện về chuyển đổi số năm 2022." in body
    assert any("còn 3 nhiệm vụ quá hạn" in text for text in body)
    assert any(f"trước ngày {today() + timedelta(days=7):%d/%m/%Y}" in text for text in body)
    assert body[-1] == "Nguyễn Văn Hùng" or "Nguyễn Văn Hùng" in body
    assert [cell.text for cell in tasks.rows[0].cells] == ["STT", "Nhiệm vụ", "Văn bản giao", "Thời hạn",
                                                           "Số ngày quá hạn", "Tiến độ (%)"]
    assert [row.cells[4].text for row in tasks.rows[1:]] == ["3", "2", "1"]  # oldest deadline first
    received, signer = (cell.paragraphs for cell in signature.rows[0].cells)
    assert received[0].text == "Nơi nhận:" and received[0].runs[0].bold and received[0].runs[0].italic
    assert received[0].runs[0].font.size == Pt(12)
    assert [p.text for p in received[1:]] == ["- Như trên;", "- CT, các PCT UBND huyện;", "- Lưu: VT, VP."]
    assert all(p.runs[0].font.size == Pt(11) for p in received[1:])
    assert [p.text for p in signer if p.text] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hùng"]
    assert all(p.runs[0].bold and p.runs[0].font.size == Pt(14) for p in signer if p.text)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.urging_letter"))
        assert event.changes["document_number"][1] == "125/UBND-VP"


def test_a_long_letter_converts_to_pdf_with_page_numbers_from_page_2_and_tables_inside_the_margins(
        overdue, client, tmp_path):
    response = client.post(f"/documents/urging-letters/{overdue(30)}", data=letter_form())
    pdf = to_pdf(response.data, tmp_path)
    pages = pdf_pages(pdf)
    assert pages >= 2
    assert words_outside_text_area(pdf) == []
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout.split()
    assert first[:3] == ["ỦY", "BAN", "NHÂN"]  # no number on page 1
    assert second[0] == "2"


def test_a_unit_without_overdue_tasks_gets_no_letter(app, client):
    with app.app_context():
        make_user("dieuphoi", role=Role.COORDINATOR, unit=make_unit())
        unit_id = make_unit().id
    login(client, "dieuphoi", PASSWORD)
    assert "không có nhiệm vụ quá hạn" in client.get(f"/documents/urging-letters/{unit_id}").get_data(as_text=True)
    assert client.post(f"/documents/urging-letters/{unit_id}", data=letter_form()).status_code == 422


def test_another_districts_directive_number_does_not_show_on_the_letters_page(app, client):
    with app.app_context():
        province = make_unit("Tỉnh Thử", kind=OrgKind.AREA, level_name="tỉnh")
        district_a = make_unit("Huyện A", kind=OrgKind.AREA, level_name="huyện", parent=province)
        district_b = make_unit("Huyện B", kind=OrgKind.AREA, level_name="huyện", parent=province)
        office_a = make_unit("Văn phòng huyện A", kind=OrgKind.DISTRICT_OFFICE, parent=district_a)
        office_b = make_unit("Văn phòng huyện B", kind=OrgKind.DISTRICT_OFFICE, parent=district_b)
        make_user("dieuphoi_b", role=Role.COORDINATOR, unit=office_b)
        directive_id = make_directive("77/UBND-HUYENA", organization_id=office_a.id).id
    login(client, "dieuphoi_b", PASSWORD)
    page = client.get(f"/documents/urging-letters?directive={directive_id}").get_data(as_text=True)
    assert "77/UBND-HUYENA" not in page


@pytest.mark.parametrize("username", ["tamphuoc", "lanhdao"])
def test_only_coordinators_draw_up_letters(signed_in, username):
    assert signed_in(username).get("/documents/urging-letters").status_code == 403


def report_form(**changes) -> dict:
    return {**letter_form(number="45/BC-UBND", authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
                          recipients="UBND tỉnh (b/c)\nLưu: VT, VP"),
            "summary": "Kết quả thực hiện nhiệm vụ chuyển đổi số tháng 11", "addressees": "",
            "next_steps": "Tập trung hoàn thành các nhiệm vụ quá hạn.", **changes}


def test_the_period_report_form_starts_from_the_report(signed_in):
    page = signed_in("lanhdao").get("/reports/document?period=month").get_data(as_text=True)
    assert "Thực hiện chế độ báo cáo định kỳ theo Nghị định số 09/2019/NĐ-CP" in page
    assert "/BC-UBND" in page and "HUYỆN PHÚ NINH" in page


def test_the_period_report_has_the_decree_30_parts_and_the_statistics_table(signed_in, tmp_path):
    client = signed_in("lanhdao")
    response = client.post("/reports/document?period=month", data=report_form())
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = read(response.data)
    assert_decree_page(document)
    body = texts(document)
    for text in ("BÁO CÁO", "Kết quả thực hiện nhiệm vụ chuyển đổi số tháng 11", "I. KẾT QUẢ THỰC HIỆN",
                 "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
                 "Tập trung hoàn thành các nhiệm vụ quá hạn./.", "Số: 45/BC-UBND", "TM. ỦY BAN NHÂN DÂN",
                 "KT. CHỦ TỊCH", "Nguyễn Văn Hùng", "- UBND tỉnh (b/c);", "- Lưu: VT, VP."):
        assert text in body, text
    title = run_of(document, "BÁO CÁO")
    assert title.bold and title.font.size == Pt(14)
    units = document.tables[1]
    assert units.rows[0].cells[3].text == "Đã hoàn thành" and units.rows[1].cells[3].text == "Đúng hạn"
    assert units.rows[0].cells[1].text == "Đơn vị" == units.rows[1].cells[1].text  # merged down
    assert units.rows[-1].cells[1].text == "Tổng cộng"
    assert int(units.rows[-1].cells[2].text) == sum(int(row.cells[2].text) for row in units.rows[2:-1])
    pdf = to_pdf(response.data, tmp_path)
    assert pdf_pages(pdf) >= 2
    assert words_outside_text_area(pdf) == []


def test_officers_do_not_draw_up_the_period_report(signed_in):
    assert signed_in("tamphuoc").get("/reports/document").status_code == 403


def test_a_province_office_writes_as_the_provinces_peoples_committee(app, client):
    """The letter's fixed paragraphs and the forms' usual recipients name the level of the writer's area."""
    with app.app_context():
        province = make_unit("Tỉnh Thử", kind=OrgKind.AREA, level_name="tỉnh")
        office = make_unit("Văn phòng UBND tỉnh", kind=OrgKind.DISTRICT_OFFICE, parent=province)
        make_user("vptinh", role=Role.COORDINATOR, unit=office)
        unit = make_unit("UBND xã Thử", parent=province)
        directive = make_directive("9/KH-UBND", issuer="UBND tỉnh Thử", organization_id=office.id)
        make_task(unit, make_item(directive), deadline=today() - timedelta(days=3))
        unit_id = unit.id
    login(client, "vptinh", PASSWORD)
    form_page = client.get(f"/documents/urging-letters/{unit_id}").get_data(as_text=True)
    assert "CT, các PCT UBND tỉnh" in form_page and "UBND huyện" not in form_page
    assert "TT Tỉnh ủy, TT HĐND tỉnh" in client.get("/reports/document").get_data(as_text=True)
    response = client.post(f"/documents/urging-letters/{unit_id}", data=letter_form(
        recipients="Như trên\nLưu: VT, VP", opening="Thực hiện Kế hoạch số 9/KH-UBND."))
    body = "\n".join(texts(read(response.data)))
    assert "Chủ tịch UBND tỉnh yêu cầu" in body and "(qua Văn phòng HĐND và UBND tỉnh)" in body
    assert "huyện" not in body


def test_the_report_forms_default_issuer_comes_from_a_directive_of_the_writers_own_area(app, client):
    """A district with no directive of its own yet does not start from another district's issuer and place."""
    with app.app_context():
        other = make_unit("Huyện Bên Kia", kind=OrgKind.AREA, level_name="huyện")
        office = make_unit("Văn phòng huyện Bên Kia", kind=OrgKind.DISTRICT_OFFICE, parent=other)
        make_directive("3/KH-UBND", issuer="UBND huyện Bên Kia", organization_id=office.id)
        mine = make_unit("Huyện Của Tôi", kind=OrgKind.AREA, level_name="huyện")
        make_user("vpcuatoi", role=Role.COORDINATOR,
                  unit=make_unit("Văn phòng huyện Của Tôi", kind=OrgKind.DISTRICT_OFFICE, parent=mine))
    login(client, "vpcuatoi", PASSWORD)
    response = client.get("/reports/document")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "BÊN KIA" not in page and "Bên Kia" not in page
