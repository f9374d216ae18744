"""The province generator (make bench's data) builds what the services would, small enough for the suite."""
from sqlalchemy import func, select

from app.demo.province import DISTRICTS, seed_province
from app.extensions import db
from app.models import Organization, Task, TaskUpdate, User
from app.vntext import sort_key
from tests.conftest import DEMO_PASSWORD, login


def test_a_small_province_loads_beside_the_demo_and_its_users_sign_in(app):
    with app.app_context():
        counts = seed_province(DEMO_PASSWORD, communes_per_district=1, villages_per_commune=2,
                               directives_per_district=1, items_per_directive=2, updates_per_task=2,
                               activities=10, tickets=5)
        assert counts["units"] == 2 * len(DISTRICTS)
        # per district: 1 directive × 2 items × 1 commune; the province-wide directive: 2 items × every commune
        assert counts["tasks"] == 2 * len(DISTRICTS) + 2 * len(DISTRICTS)
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)) >= counts["task updates"]
        unit = db.session.scalar(select(Organization).where(Organization.name.like("UBND xã Tam Kỳ 01%")))
        assert unit.sort_key == sort_key(unit.name) and unit.parent_id is not None
        assert db.session.scalar(select(func.count()).select_from(Task).where(Task.lead_unit_id == unit.id)) == 4
        assert db.session.scalar(select(User.role).where(User.username == "vanphong")) is not None
    client = app.test_client()
    assert login(client, "xa0101").status_code == 303
    assert client.get("/tasks").status_code == 200
