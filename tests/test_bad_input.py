"""Bad input never causes a 500: forms come back 422 with messages."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from app.auth import tokens
from app.models import OrgKind, Role
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user, make_village
from tests.url_map import rules, takes_object_id, url


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    return client


def test_a_too_long_value_gets_the_translated_length_message(client):
    """Regression: WTForms' plural length message made Flask-Babel raise KeyError('max'), a 500."""
    response = login(client, "x" * 65, "y")
    assert response.status_code == 422
    assert "Không được dài quá 64 ký tự." in response.text


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[31m", "x\x7f"])
def test_control_characters_are_refused_with_a_message(admin_client, value):
    """PostgreSQL refuses NUL in text: without the check this was a 500 there."""
    response = admin_client.post("/admin/units/new", data={"name": value, "short_name": "X", "kind": "commune"})
    assert response.status_code == 422
    assert "ký tự điều khiển" in response.text


def test_line_breaks_and_tabs_are_not_control_characters(app, admin_client):
    response = admin_client.post("/admin/units/new", data={"name": "UBND\txã", "short_name": "X", "kind": "commune"})
    assert response.status_code == 303


# Property-based: whatever is typed or put in a URL, never a 500.

PROPERTY = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Values that have broken web forms before, mixed with arbitrary text (no lone surrogates: not valid UTF-8).
NASTY = st.sampled_from(["", " ", "0", "-1", "1", "2147483648", "99999999999999999999999", "1e309", "NaN",
                         "\x00", "a\x00b", "%00", "%", "_", "\\", "'", '"', "' OR 1=1 --", "<b>", "{{7*7}}",
                         "commune", "officer", "admin", "../../etc/passwd", "😀", "ǅ", "\u202e", "\r\n", "x" * 300])
TEXT = st.one_of(NASTY, st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
EXTRA_FIELDS = st.dictionaries(st.sampled_from(["csrf_token", "next", "id", "page", "kind", "role", "extra"]), TEXT,
                               max_size=3)


def form_data(*names):
    """Any value, or none at all, for each of the form's fields, plus stray fields."""
    return st.tuples(st.fixed_dictionaries({}, optional={name: TEXT for name in names}), EXTRA_FIELDS).map(
        lambda parts: {**parts[1], **parts[0]})


def _assert_handled(response, where):
    assert response.status_code < 500, where
    if response.mimetype == "application/problem+json":  # the API's errors
        assert response.json["status"] == response.status_code and response.json["title"], where
    elif response.status_code == 422:
        assert 'class="errors"' in response.text or 'role="alert"' in response.text, where


@pytest.fixture
def world(app):
    with app.app_context():
        commune = make_unit("UBND xã Tam An")
        admin = make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        app.config["TEST_API_TOKEN"] = tokens.create_token(actor=admin, name="bad input", days=30)[1]
        return {"commune": commune.id, "village": make_village(commune).id, "officer": make_user("canbo").id}


def _admin(app):
    """The administrator signed in, whose requests also carry an API token (the API's routes are walked too)."""
    client = app.test_client()
    login(client, "quantri", PASSWORD)
    if "TEST_API_TOKEN" in app.config:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {app.config['TEST_API_TOKEN']}"
    return client


@PROPERTY
@given(data=form_data("username", "password", "next"), htmx=st.booleans())
def test_sign_in_form_never_fails(app, world, data, htmx):
    response = app.test_client().post("/login", data=data, headers={"HX-Request": "true"} if htmx else {})
    _assert_handled(response, data)


ADMIN_FORMS = {
    "/admin/units/new": ("name", "short_name", "kind"),
    "/admin/units/{commune}/edit": ("name", "short_name", "kind"),
    "/villages/new": ("commune_id", "name", "kind"),
    "/villages/{village}/edit": ("commune_id", "name", "kind"),
    "/admin/users/new": ("username", "full_name", "email", "phone", "role", "organization_id", "password"),
    "/admin/users/{officer}/edit": ("full_name", "email", "phone", "role", "organization_id"),
}


@PROPERTY
@given(choice=st.sampled_from(sorted(ADMIN_FORMS)), data=st.data(), htmx=st.booleans())
def test_admin_forms_never_fail(app, world, choice, data, htmx):
    values = data.draw(form_data(*ADMIN_FORMS[choice]))
    response = _admin(app).post(choice.format(**world), data=values, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code in (200, 303, 422), (choice, values, response.status_code)
    _assert_handled(response, (choice, values))


@PROPERTY
@given(code=TEXT, data=form_data("next"))
def test_language_switch_never_fails(app, code, data):
    response = app.test_client().post(f"/language/{code}", data=data)
    _assert_handled(response, (code, data))
    if response.status_code == 303:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location


@PROPERTY
@given(data=st.data(), query=st.dictionaries(st.one_of(st.sampled_from(["commune", "page", "action", "user", "next"]),
                                                        TEXT), TEXT, max_size=4), htmx=st.booleans())
def test_query_strings_of_every_get_route_never_fail(app, world, data, query, htmx):
    rule = data.draw(st.sampled_from(sorted(rules(app, "GET"), key=lambda r: r.rule)))
    response = _admin(app).get(url(app, rule), query_string=query, headers={"HX-Request": "true"} if htmx else {})
    _assert_handled(response, (rule.rule, query))


@PROPERTY
@given(data=st.data(), number=st.one_of(st.integers(min_value=0), st.sampled_from([2**31 - 1, 2**31, 2**63, 10**30])))
def test_any_number_in_an_id_segment_is_an_answer_not_a_crash(app, world, data, number):
    id_rules = sorted((r for r in rules(app, "GET") if takes_object_id(r)), key=lambda r: r.rule)
    rule = data.draw(st.sampled_from(id_rules))
    values = {name: number for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)}
    path = url(app, rule, **{name: 1 for name in values})
    for _ in values:  # url_for would refuse an out-of-range number: put it in the path by hand
        path = path.replace("/1/", f"/{number}/", 1)
    assert _admin(app).get(path).status_code in (200, 404), path
