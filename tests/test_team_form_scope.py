"""The team form offers only the villages of the user's own subtree, whatever village the query string names."""
from app.models import Role
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user, make_village
from tests.test_tree import _two_districts


def test_another_districts_village_in_the_query_string_does_not_empty_the_team_form(app, client):
    with app.app_context():
        units = _two_districts()
        foreign = make_village(units["a_commune"], "Thôn Huyện A").id
        make_village(units["b_commune"], "Thôn Huyện B")
        make_user("huyenb", role=Role.COORDINATOR, unit=units["b_office"])
    login(client, "huyenb", PASSWORD)
    response = client.get(f"/teams/new?village={foreign}")
    assert response.status_code == 200
    assert "Thôn Huyện B" in response.text and "Thôn Huyện A" not in response.text


def test_the_team_form_offers_the_first_communes_of_the_users_own_district(app, client):
    with app.app_context():
        units = _two_districts()
        for n in range(11):  # more than a page of communes of district A, sorted before district B's
            make_village(make_unit(f"UBND xã A{n:02}", parent=units["a"], level_name="xã"), f"Thôn A{n:02}")
        make_village(units["b_commune"], "Thôn Huyện B")
        make_user("huyenb", role=Role.COORDINATOR, unit=units["b_office"])
    login(client, "huyenb", PASSWORD)
    assert "Thôn Huyện B" in client.get("/teams/new").text
