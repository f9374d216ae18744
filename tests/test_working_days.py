"""Working days: weekends, Vietnamese public holidays (Tết) and the days an administrator moves; due soon."""
from datetime import date, timedelta

import pytest

from app.calendar import add_working_days, due_soon_until, is_working_day, set_day, working_days_between
from app.extensions import db
from app.models import CalendarDay, Role
from app.rules import RuleError
from tests.conftest import login
from tests.factories import PASSWORD, make_task, make_unit, make_user


def test_tet_2026_and_the_weekend_around_it_are_skipped(app):
    with app.app_context():
        # Tết 2026: Monday 16/2 (New Year's Eve) to Friday 20/2 are public holidays.
        assert not is_working_day(date(2026, 2, 17))
        # Friday 13/2 + 1 working day: over the weekend and all of Tết week, to Monday 23/2.
        assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
        assert add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
        assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_a_moved_saturday_counts_and_the_day_it_replaces_does_not(app):
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
        friday, saturday = date(2026, 1, 2), date(2026, 1, 3)
        assert add_working_days(date(2026, 1, 1), 1) == friday
        # The Government's decision: Friday 2/1 off (nghỉ bù), worked on Saturday 10/1 (làm bù).
        set_day(friday, is_working_day=False, note="Quyết định 01/QĐ-TTg", actor=admin)
        set_day(date(2026, 1, 10), is_working_day=True, note="Quyết định 01/QĐ-TTg", actor=admin)
        assert not is_working_day(friday) and not is_working_day(saturday)
        assert add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 5)
        assert add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 10)
        assert working_days_between(date(2026, 1, 4), date(2026, 1, 11)) == 6


def test_due_soon_reaches_three_working_days_ahead(app):
    with app.app_context():
        assert due_soon_until(date(2026, 12, 4)) == date(2026, 12, 9)  # Friday -> Wednesday
        assert due_soon_until(date(2026, 2, 12)) == date(2026, 2, 24)  # Thursday before Tết


def test_too_many_working_days_are_refused(app):
    with app.app_context(), pytest.raises(RuleError):
        add_working_days(date(2026, 1, 1), 10_000)


def test_due_soon_tasks_count_working_days_over_a_weekend(app):
    from app.tasks.queries import due_soon_tasks
    with app.app_context():
        unit = make_unit("Xã Thử")
        user = make_user("cb", unit=unit)
        wednesday = make_task(unit, deadline=date(2026, 12, 9))  # 3 working days after Friday 4/12
        make_task(unit, deadline=date(2026, 12, 10))  # 4
        assert [task.id for task in due_soon_tasks(user, date(2026, 12, 4))] == [wednesday.id]


def test_an_administrator_moves_a_day_and_takes_it_back(app, client):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    page = client.get("/admin/calendar?year=2026")
    assert page.status_code == 200 and "Lunar New Year" in page.text
    bad = client.post("/admin/calendar?year=2026", data={"day": "31/02/2026", "is_working_day": "1", "note": "x"})
    assert bad.status_code == 422
    response = client.post("/admin/calendar?year=2026",
                           data={"day": "10/01/2026", "is_working_day": "1", "note": "Quyết định 01/QĐ-TTg"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.query(CalendarDay).one()
        assert row.day == date(2026, 1, 10) and row.is_working_day
        row_id = row.id
    assert client.post(f"/admin/calendar/{row_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.query(CalendarDay).count() == 0


def test_working_day_rules_do_not_need_the_database_rows_beyond_a_year(app):
    with app.app_context():
        start = date(2026, 1, 1)
        assert add_working_days(start, 250) - start < timedelta(days=400)
