"""Refused access is audited even while other requests write at the same moment (gunicorn, 4 workers)."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OrgKind, Role
from tests.factories import PASSWORD, make_unit, make_user, make_village
from tests.live_server import Browser, gunicorn

CLIENTS, REFUSALS_EACH = 4, 40


def _refuse_repeatedly(base: str, username: str, foreign_village: int) -> list[int]:
    """One officer's browser asking, again and again, for another commune's village and for an admin page."""
    browser = Browser(base)
    assert browser.sign_in(username, PASSWORD) == 303
    paths = [f"/villages/{foreign_village}/edit", "/admin/users"]
    return [browser.get(paths[n % 2])[0] for n in range(REFUSALS_EACH)]


def test_four_concurrent_clients_refused_160_times_leave_exactly_160_audit_rows(app, database_url, tmp_path):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        officers = [make_user(f"canbo{n}").username for n in range(CLIENTS)]
        foreign = make_village(make_unit("UBND xã Khác"), "Thôn của xã khác").id
    with gunicorn(database_url, tmp_path, workers=4) as base:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            answers = list(pool.map(lambda name: _refuse_repeatedly(base, name, foreign), officers))
    assert all(status in (403, 404) for statuses in answers for status in statuses), answers
    with app.app_context():
        refusals = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(["access.forbidden", "access.hidden_object"])))
    assert refusals == CLIENTS * REFUSALS_EACH
