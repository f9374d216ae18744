"""Officers open the directives they carry out (read-only, their own tasks); other directives stay hidden."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Directive
from tests.factories import make_directive, make_item


def _hidden_directive_id(demo) -> int:
    with demo.app_context():
        directive = make_directive("77/KH-UBND", summary="Kế hoạch riêng của huyện")
        make_item(directive, title="Việc của phòng ban khác")
        return directive.id


def _refusals(demo) -> int:
    with demo.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "access.hidden_object", AuditEvent.object_type == "Directive"))


@pytest.mark.parametrize("username", ["tamphuoc", "doanthanhnien", "vnpt"])
def test_commune_union_and_partner_officers_open_the_directive_they_carry_out(signed_in, username):
    page = signed_in(username).get("/directives/1")
    assert page.status_code == 200
    assert "1234/UBND-VP" in page.text and "UBND huyện Phú Ninh" in page.text


def test_an_officer_reads_the_directive_without_any_way_to_change_it(signed_in):
    page = signed_in("tamphuoc").get("/directives/1").text
    assert 'id="item-form"' not in page
    assert "/directives/1/edit" not in page and "/directives/1/cancel" not in page
    assert "/assign" not in page and "/delete" not in page


def test_an_officer_sees_only_their_own_tasks_in_the_grid(signed_in):
    page = signed_in("tamphuoc").get("/directives/1").text
    grid = page[page.index('class="task-grid"'):]
    assert "Tam Phước" in grid
    assert "Tam Dân" not in grid and "VNPT" not in grid


def test_a_co_operating_unit_sees_the_tasks_it_co_operates_on(signed_in):
    page = signed_in("hoiphunu").get("/directives/1").text
    grid = page[page.index('class="task-grid"'):]
    assert "Hội LHPN" in grid  # its own lead task (item 3)
    assert "Tam Phước" in grid  # item 2, where it co-operates with every commune


def test_an_officer_gets_404_for_a_directive_without_their_task_and_it_is_audited(demo, signed_in):
    directive_id = _hidden_directive_id(demo)
    before = _refusals(demo)
    client = signed_in("tamphuoc")
    assert client.get(f"/directives/{directive_id}").status_code == 404
    assert client.get("/directives/987654").status_code == 404
    assert _refusals(demo) == before + 1


def test_the_register_lists_only_the_directives_an_officer_carries_out(demo, signed_in):
    _hidden_directive_id(demo)
    page = signed_in("vnpt").get("/directives").text
    assert "1234/UBND-VP" in page
    assert "77/KH-UBND" not in page
    assert "/directives/new" not in page


def test_officers_still_cannot_edit_a_directive_they_carry_out(signed_in):
    client = signed_in("tamphuoc")
    assert client.get("/directives/1/edit").status_code == 403
    assert client.post("/directives/1/items", data={"title": "X"}).status_code == 403


def test_district_wide_roles_see_every_directive(demo, signed_in):
    directive_id = _hidden_directive_id(demo)
    assert signed_in("lanhdao").get(f"/directives/{directive_id}").status_code == 200
    with demo.app_context():
        assert db.session.get(Directive, directive_id) is not None


def test_a_district_sees_a_provinces_directive_without_the_controls_only_the_province_may_use(app, client):
    from app.models import Role
    from tests.conftest import login
    from tests.factories import PASSWORD, make_task, make_user
    from tests.test_tree import _two_districts
    with app.app_context():
        units = _two_districts()
        directive = make_directive("5/KH-UBND", organization_id=units["province_office"].id)
        make_task(units["b_commune"], make_item(directive))
        make_user("huyenb", role=Role.COORDINATOR, unit=units["b_office"])
        directive_id = directive.id
    login(client, "huyenb", PASSWORD)
    page = client.get(f"/directives/{directive_id}")
    assert page.status_code == 200 and "5/KH-UBND" in page.text
    assert f"/directives/{directive_id}/edit" not in page.text and f"/directives/{directive_id}/cancel" not in page.text
    assert client.get(f"/directives/{directive_id}/edit").status_code == 403
