"""The public page /cong-khai: the demo's coverage to anyone, cached, a leader's contact only with consent, and no
way from it to anything behind a sign-in."""
from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.models import AuditEvent, Organization, OrgKind, Role, Team, TeamMember, TeamPosition, User, Village
from app.permissions import PUBLIC
from app.public import queries
from tests.conftest import empty_tables, login, make_app
from tests.factories import (
    PASSWORD,
    make_counting_team,
    make_member,
    make_team,
    make_unit,
    make_user,
    make_village,
)
from tests.url_map import policy_of, rules, takes_object_id, url

MAX_BYTES = 50 * 1024


# Attributes that could carry an object's id (a chart's coordinates cannot).
ID_ATTRIBUTES = ("href", "action", "hx-get", "src", "value", "id", "name", "for")


class _Page(HTMLParser):
    """The links, form targets and every number a page shows where an id could be (links, option values, ids)."""

    def __init__(self):
        super().__init__()
        self.links: set[str] = set()
        self.numbers: set[int] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "action", "hx-get", "src"):
                self.links.add(value)
            if name in ID_ATTRIBUTES or name.startswith(("data-", "hx-")):
                self.numbers.update(int(number) for number in re.findall(r"\d+", value) if len(number) < 10)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _first_team_member(commune_short: str, position: TeamPosition) -> TeamMember:
    return db.session.scalar(
        select(TeamMember).join(Team).join(Village).join(Organization, Village.commune_id == Organization.id)
        .where(Organization.short_name == commune_short, TeamMember.position == position)
        .order_by(TeamMember.id).limit(1))


def test_a_visitor_without_an_account_sees_the_demos_coverage_19_of_51(demo, client):
    response = client.get("/cong-khai")
    assert response.status_code == 200
    assert "19/51 thôn, khối phố đã có tổ đủ điều kiện" in response.text
    assert "<strong>37%</strong>" in response.text
    assert "Tỷ lệ bao phủ theo xã, thị trấn" in response.text and "<svg" in response.text
    assert "UBND xã Tam Phước: 5/5 (100 %)" in response.text  # the chart's bar, with its table beside it
    assert "Hoạt động tuyên truyền từ ngày 01/01/" in response.text
    assert 'lang="vi"' in response.text


def test_the_english_alias_serves_the_same_page(demo, client):
    assert client.get("/public").text == client.get("/cong-khai").text


def test_the_page_is_small_cacheable_and_answers_304_to_its_etag(demo, client):
    response = client.get("/cong-khai")
    assert len(response.data) < MAX_BYTES
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in response.headers and "csrf_token" not in response.text
    etag = response.headers["ETag"]
    again = client.get("/cong-khai", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/cong-khai?page=2", headers={"If-None-Match": etag}).status_code == 200


def test_a_message_waiting_in_the_session_is_not_shown_on_the_shared_page(demo, client):
    client.get("/tasks")  # redirected to sign in, with "please sign in" kept for the next page
    response = client.get("/cong-khai")
    assert "Vui lòng đăng nhập" not in response.text
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_a_signed_in_users_copy_is_not_kept_by_caches(signed_in):
    response = signed_in("tamphuoc").get("/cong-khai")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "19/51" in response.text and "Đăng xuất" not in response.text  # its own header, no account menu


def test_a_leaders_name_and_phone_show_only_with_their_consent(demo, client):
    with demo.app_context():
        consenting = _first_team_member("Tam Phước", TeamPosition.LEADER)
        refusing = _first_team_member("Tam Dân", TeamPosition.LEADER)
        deputy = _first_team_member("Tam Phước", TeamPosition.DEPUTY)
        deputy.publish_contact = True  # a deputy's consent publishes nothing: the page names leaders only
        db.session.commit()
        shown = (consenting.full_name, consenting.phone)
        hidden = [refusing.full_name, refusing.phone, deputy.full_name, deputy.phone]
        others = list(db.session.scalars(select(TeamMember.phone).where(TeamMember.position != TeamPosition.LEADER)))
        users = list(db.session.scalars(select(User.full_name)))
    pages = "".join(client.get(f"/cong-khai?page={n}").text for n in (1, 2, 3))
    assert shown[0] in pages and f'href="tel:{shown[1]}"' in pages
    assert not [value for value in hidden + others + users if value in pages]
    assert "Chưa công khai" in pages


def test_the_search_ignores_case_and_diacritics_and_keeps_the_commune_filter_in_the_pager(demo, client):
    with demo.app_context():
        tam_an = db.session.scalar(select(Organization.id).where(Organization.short_name == "Tam An"))
    found = client.get("/cong-khai?q=TAM CAM")
    assert "Tam Cẩm" in found.text and "Không có thôn, khối phố nào phù hợp." not in found.text
    only_tam_an = client.get(f"/cong-khai?commune={tam_an}").text
    rows = re.findall(r'<td data-label="Xã / thị trấn">([^<]+)</td>', only_tam_an)
    assert rows and set(rows) == {"UBND xã Tam An"}
    assert "Không có thôn, khối phố nào phù hợp." in client.get("/cong-khai?q=%25_%25").text


def test_the_village_list_pages_through_all_51_villages_with_its_filters_in_the_links(demo, client):
    names = []
    for number in (1, 2, 3):
        page = client.get(f"/cong-khai?page={number}&q=&other=x").text
        names += re.findall(r'<th scope="row" data-label="Thôn, khối phố">([^<]+)</th>', page)
        if number < 3:
            assert f'href="/cong-khai?page={number + 1}"' in page
    assert len(names) == 51
    second = client.get("/cong-khai?q=a&page=1").text
    assert 'href="/cong-khai?q=a&amp;page=2"' in second


@pytest.mark.parametrize("query", ["commune=abc", "commune=999999", "commune=-1", "page=abc", "page=99999999",
                                   "q=" + "x" * 5000, "q=%00", "commune=1&commune=2"])
def test_bad_filters_are_ignored_never_a_500(demo, client, query):
    assert client.get(f"/cong-khai?{query}").status_code == 200


def test_an_htmx_search_gets_only_the_village_list(demo, client):
    response = client.get("/cong-khai?q=tam", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="villages"')
    assert "<h1>" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_nothing_behind_a_sign_in_is_reachable_from_the_page(demo, client):
    """Every link of every page of the list, and every number the pages show put in every route that takes an
    id: as an anonymous visitor, only public routes answer 200."""
    html, links, numbers = [], set(), set()
    for query in ("", "?page=2", "?page=3", "?q=tam"):
        page = client.get(f"/cong-khai{query}")
        html.append(page.text)
        parsed = _parse(page.text)
        links |= parsed.links
        numbers |= parsed.numbers
    adapter = demo.url_map.bind("localhost")
    checked = 0
    for link in links:
        parts = urlsplit(urljoin("http://localhost/cong-khai", link))
        if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
            assert parts.scheme == "tel", link  # only phone numbers leave the site
            continue
        endpoint, _ = adapter.match(parts.path, method="GET")
        assert endpoint == "static" or policy_of(demo, endpoint) == PUBLIC, link  # links lead to public pages only
        assert client.get(parts.path + (f"?{parts.query}" if parts.query else "")).status_code == 200, link
        checked += 1
    assert checked >= 5 and len(numbers) >= 11  # at least the communes' ids of the filter
    with demo.app_context():
        id_routes = [rule for rule in rules(demo, "GET") if takes_object_id(rule)]
        targets = [url(demo, rule, **{name: number for name, converter in rule._converters.items()
                                      if isinstance(converter, IntegerConverter)})
                   for rule in id_routes for number in sorted(numbers)]
    for target in targets:
        assert client.get(target).status_code != 200, target


@pytest.fixture
def limited_app(database_url, _schema):
    app = make_app(database_url, RATELIMIT_ENABLED=True, PUBLIC_RATE_LIMIT="3 per minute")
    yield app
    empty_tables(app)


def test_the_page_is_rate_limited_per_address(limited_app):
    client = limited_app.test_client()
    statuses = [client.get("/cong-khai", environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/cong-khai", environ_base={"REMOTE_ADDR": "192.0.2.21"}).status_code == 200


def test_a_district_sees_only_its_own_units(app):
    """The page's queries take the district: a unit of another district (another parent) stays out."""
    with app.app_context():
        ours, theirs = (make_unit("VP huyện A", kind=OrgKind.DISTRICT_OFFICE),
                        make_unit("VP huyện B", kind=OrgKind.DISTRICT_OFFICE))
        commune = make_unit("UBND xã Một", parent_id=ours.id)
        make_counting_team(make_village(commune, "Thôn Một"))
        make_village(make_unit("UBND xã Hai", parent_id=theirs.id), "Thôn Hai")
        figures = queries.overview(ours, date(2026, 6, 1))
        rows = db.session.execute(queries.villages(ours, queries.VillageSearch())).all()
        everything = queries.overview(None, date(2026, 6, 1))
    assert (figures.district.covered, figures.district.villages) == (1, 1)
    assert [row.village for row in rows] == ["Thôn Một"]
    assert everything.district.villages == 2


def test_consent_is_off_by_default_and_set_in_the_member_form_with_an_audit_row(app, client):
    with app.app_context():
        commune = make_unit("UBND xã Tam Đàn")
        team = make_team(make_village(commune, "Thạnh Hòa"))
        member = make_member(team, full_name="Võ Văn Tổ Trưởng", position=TeamPosition.LEADER)
        make_user("tamdann", unit=commune, role=Role.OFFICER)
        team_id, member_id = team.id, member.id
        assert member.publish_contact is False
    login(client, "tamdann", PASSWORD)
    form = {"full_name": "Võ Văn Tổ Trưởng", "position": "leader", "affiliation": "village_head",
            "phone": "0905123456"}
    assert 'name="publish_contact"' in client.get(f"/teams/members/{member_id}/edit").text
    assert client.post(f"/teams/members/{member_id}/edit", data={**form, "publish_contact": "y"}).status_code == 303
    client.post(f"/teams/{team_id}/members", data={"full_name": "Trần Thị Viên", "position": "member",
                                                   "affiliation": "womens_union", "phone": "0905123457"})
    with app.app_context():
        assert db.session.get(TeamMember, member_id).publish_contact is True
        added = db.session.scalar(select(TeamMember).where(TeamMember.full_name == "Trần Thị Viên"))
        assert added.publish_contact is False
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "team_member.update"))
        assert event.changes["publish_contact"] == [False, True]
    assert client.post(f"/teams/members/{member_id}/edit", data=form).status_code == 303  # unticked: withdrawn
    with app.app_context():
        assert db.session.get(TeamMember, member_id).publish_contact is False
