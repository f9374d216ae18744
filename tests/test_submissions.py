"""A create form sent twice (double click, reload, resend) creates one row; the second answer shows the first."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from app import submissions
from app.clock import today
from app.extensions import db
from app.models import Directive, Item, Submission, User
from tests.factories import make_item


def _key(html: str) -> str:
    match = re.search(r'<input[^>]*name="submission_key"[^>]*>', html)
    assert match, "the form carries no submission key"
    return re.search(r'value="([^"]+)"', match.group()).group(1)


def _count(demo, model, *where) -> int:
    with demo.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _directive_form(key: str) -> dict:
    return {"submission_key": key, "number": "88/KH-UBND", "doc_type": "plan", "issuer": "UBND huyện Phú Ninh",
            "issued_on": (today() - timedelta(days=1)).isoformat(), "signer": "Trần Văn Minh",
            "summary": "Kế hoạch tháng", "body": "", "final_deadline": ""}


def test_a_directive_form_sent_twice_records_one_directive_and_shows_it_both_times(demo, signed_in):
    client = signed_in("vanphong")
    data = _directive_form(_key(client.get("/directives/new").text))
    first = client.post("/directives/new", data=data)
    second = client.post("/directives/new", data=data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(demo, Directive, Directive.number == "88/KH-UBND") == 1


def test_an_item_form_sent_twice_adds_one_item_and_leads_to_it_both_times(demo, signed_in):
    client = signed_in("vanphong")
    key = _key(client.get("/directives/1").text)
    data = {"submission_key": key, "title": "Báo cáo sơ kết", "description": "", "default_deadline": "", "kpi": ""}
    first = client.post("/directives/1/items", data=data)
    second = client.post("/directives/1/items", data=data, headers={"HX-Request": "true"})
    assert first.status_code == 303
    assert second.headers["HX-Redirect"] == first.headers["Location"]
    assert _count(demo, Item, Item.title == "Báo cáo sơ kết") == 1


def test_every_rendering_of_a_form_gets_its_own_key_so_two_forms_make_two_items(demo, signed_in):
    client = signed_in("vanphong")
    for _ in range(2):
        key = _key(client.get("/directives/1").text)
        client.post("/directives/1/items", data={"submission_key": key, "title": "Họp giao ban", "kpi": ""})
    assert _count(demo, Item, Item.title == "Họp giao ban") == 2


def test_a_form_shown_again_with_an_error_keeps_its_key(signed_in):
    client = signed_in("vanphong")
    key = _key(client.get("/directives/new").text)
    again = client.post("/directives/new", data={**_directive_form(key), "summary": ""})
    assert again.status_code == 422
    assert _key(again.text) == key


def test_a_form_without_a_key_still_creates(demo, signed_in):
    client = signed_in("vanphong")
    assert client.post("/directives/1/items", data={"title": "Không có khóa", "kpi": ""}).status_code == 303
    assert client.post("/directives/1/items", data={"submission_key": "x", "title": "Không có khóa"}).status_code == 303
    assert _count(demo, Item, Item.title == "Không có khóa") == 2


def test_another_users_key_is_never_found(demo, client, signed_in):
    office = signed_in("vanphong")
    key = _key(office.get("/directives/1").text)
    office.post("/directives/1/items", data={"submission_key": key, "title": "Của văn phòng", "kpi": ""})
    office.post("/logout")
    admin = signed_in("admin")
    admin.post("/directives/1/items", data={"submission_key": key, "title": "Của quản trị", "kpi": ""})
    assert _count(demo, Item, Item.title == "Của quản trị") == 1


def test_a_copy_that_lost_the_race_returns_the_winners_object_and_leaves_nothing(demo):
    """Two copies passed earlier() at the same time: the primary key settles it when the second commits."""
    with demo.app_context():
        actor = db.session.scalar(select(User).where(User.username == "vanphong"))
        winner = make_item(title="Bản thắng")
        key = submissions.new_key()
        db.session.add(Submission(user_id=actor.id, key=key, object_type="Item", object_id=winner.id))
        db.session.commit()
        loser = Item(directive_id=1, position=50, title="Bản thua", description="")
        db.session.add(loser)
        assert submissions.commit(actor, key, loser).id == winner.id
        assert db.session.scalar(select(func.count()).select_from(Item).where(Item.title == "Bản thua")) == 0


def test_a_support_request_sent_twice_files_one_ticket(demo, signed_in):
    from app.models import Organization, OrgKind, SupportTicket
    client = signed_in("tamdann")
    with demo.app_context():
        partner = db.session.scalar(select(Organization.id).where(Organization.kind == OrgKind.PARTNER))
    data = {"submission_key": _key(client.get("/support/new").text), "partner_id": partner, "kind": "training",
            "village_id": "0", "description": "Tập huấn ký số cho cán bộ thôn",
            "wanted_by": (today() + timedelta(days=10)).strftime("%d/%m/%Y")}
    first = client.post("/support/new", data=data)
    second = client.post("/support/new", data=data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(demo, SupportTicket, SupportTicket.description == "Tập huấn ký số cho cán bộ thôn") == 1


def test_an_outreach_activity_sent_twice_is_logged_once(demo, signed_in):
    from app.models import OutreachActivity
    client = signed_in("doanthanhnien")
    data = {"submission_key": _key(client.get("/outreach").text), "held_on": today().strftime("%d/%m/%Y"),
            "kind": "meeting", "title": "Họp chi đoàn về chuyển đổi số", "participants": "30"}
    first = client.post("/outreach", data=data)
    second = client.post("/outreach", data=data, headers={"HX-Request": "true"})
    assert first.status_code == 303 and second.status_code == 200
    assert _count(demo, OutreachActivity, OutreachActivity.title == "Họp chi đoàn về chuyển đổi số") == 1
