"""Period reports: figures as of the period's end from history, rates, ranking, scope, and the page's input."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.models import OrgKind, Role, TaskStatus, TaskUpdate, TeamPosition, TicketEvent, TicketStatus, User
from app.reports.figures import report_figures
from app.tasks.classes import REPORTED_CLASSES, TaskClass
from app.tasks.queries import class_counts
from app.teams.services import deactivate_team
from tests.conftest import login
from tests.factories import (
    make_activity,
    make_item,
    make_member,
    make_task,
    make_team,
    make_ticket,
    make_unit,
    make_user,
    make_village,
)

START, END = date(2026, 10, 15), date(2026, 11, 14)


def _at(day: date, hour: int = 10) -> datetime:
    """A moment of a day in Vietnam, in UTC as stored."""
    return datetime.combine(day, time(hour)).replace(tzinfo=timezone.utc) - timedelta(hours=7)


def _changed(task, day: date, old, new, progress=None):
    if progress is None:
        progress = 100 if new == TaskStatus.DONE else 10
    db.session.add(TaskUpdate(task_id=task.id, at=_at(day), old_status=old, new_status=new, old_progress=0,
                              new_progress=progress))
    db.session.commit()


def _task(unit, deadline, created=date(2026, 9, 1), **fields):
    return make_task(unit, deadline=deadline, created_at=_at(created), **fields)


def _district_user():
    return make_user(role=Role.MONITOR, unit=make_unit("Ban Chỉ đạo huyện", kind=OrgKind.STEERING_COMMITTEE))


def _figures(user, start=START, end=END, directive_ids=None):
    return report_figures(user, directive_ids=directive_ids, start=start, end=end)


def _row(report, unit):
    return next(row for row in report.unit_rows if row.unit_id == unit.id)


def test_a_task_done_after_the_period_counts_as_open_then(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        task = _task(unit, deadline=date(2026, 11, 1), status=TaskStatus.DONE, progress=100,
                     completed_on=date(2026, 11, 20))
        _changed(task, date(2026, 11, 20), TaskStatus.ASSIGNED, TaskStatus.DONE)
        then = _row(_figures(leader), unit)
        assert then.counts[TaskClass.OPEN_OVERDUE] == 1 and then.counts[TaskClass.DONE_LATE] == 0
        now = _row(_figures(leader, date(2026, 11, 15), date(2026, 12, 14)), unit)
        assert now.counts[TaskClass.DONE_LATE] == 1


def test_a_task_reopened_after_the_period_counts_as_done_then(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        task = _task(unit, deadline=date(2026, 11, 10), status=TaskStatus.IN_PROGRESS, progress=50)
        _changed(task, date(2026, 11, 5), TaskStatus.ASSIGNED, TaskStatus.DONE)
        _changed(task, date(2026, 11, 25), TaskStatus.DONE, TaskStatus.IN_PROGRESS, 50)
        assert _row(_figures(leader), unit).counts[TaskClass.DONE_ON_TIME] == 1


def test_tasks_assigned_after_the_period_and_cancelled_ones_do_not_count(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        _task(unit, deadline=date(2026, 12, 30), created=date(2026, 11, 20))
        cancelled = _task(unit, deadline=date(2026, 12, 30), status=TaskStatus.CANCELLED)
        _changed(cancelled, date(2026, 10, 20), TaskStatus.ASSIGNED, TaskStatus.CANCELLED)
        counted = _task(unit, deadline=date(2026, 12, 30))
        report = _figures(leader)
        assert _row(report, unit).total == 1 and report.totals.counts[TaskClass.OPEN_ON_TIME] == 1
        assert _row(report, unit).cancelled == 1  # counted beside the classes, not in the total
        assert counted.id


def test_done_on_time_thanks_to_an_extension_is_counted_apart(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        extended = _task(unit, deadline=date(2026, 10, 20), extended_deadline=date(2026, 11, 5),
                         status=TaskStatus.DONE, progress=100, completed_on=date(2026, 11, 1))
        _changed(extended, date(2026, 11, 1), TaskStatus.ASSIGNED, TaskStatus.DONE)
        plain = _task(unit, deadline=date(2026, 11, 5), status=TaskStatus.DONE, progress=100,
                      completed_on=date(2026, 11, 1))
        _changed(plain, date(2026, 11, 1), TaskStatus.ASSIGNED, TaskStatus.DONE)
        row = _row(_figures(leader), unit)
        assert row.counts[TaskClass.DONE_ON_TIME] == 2 and row.done_after_extension == 1


def test_an_extension_decided_after_the_period_does_not_move_its_deadline_then(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        _task(unit, deadline=date(2026, 11, 1), extended_deadline=date(2026, 12, 1),
              extended_at=_at(date(2026, 11, 20)))
        assert _row(_figures(leader), unit).counts[TaskClass.OPEN_OVERDUE] == 1
        later = _row(_figures(leader, date(2026, 11, 15), date(2026, 11, 25)), unit)
        assert later.counts[TaskClass.OPEN_ON_TIME] == 1


def test_rates_are_over_the_tasks_that_have_fallen_due(app):
    with app.app_context():
        unit, leader = make_unit(), _district_user()
        for completed in (date(2026, 10, 30), date(2026, 10, 30), date(2026, 11, 3)):
            _task(unit, deadline=date(2026, 11, 1), status=TaskStatus.DONE, progress=100, completed_on=completed)
        _task(unit, deadline=date(2026, 11, 1))  # overdue at the end
        _task(unit, deadline=date(2026, 12, 1))  # not yet due: outside the rates
        row = _row(_figures(leader), unit)
        assert (row.total, row.due) == (5, 4)
        assert (row.on_time_rate, row.overdue_rate) == (50.0, 25.0)


def test_units_are_ranked_by_on_time_rate_with_the_change_since_the_previous_period(app):
    with app.app_context():
        leader = _district_user()
        first, second = make_unit("UBND xã Một"), make_unit("UBND xã Hai")
        # The previous period (15/9–14/10): the first unit on time, the second overdue.
        _task(first, deadline=date(2026, 10, 1), status=TaskStatus.DONE, progress=100, completed_on=date(2026, 9, 30))
        late = _task(second, deadline=date(2026, 10, 1), status=TaskStatus.DONE, progress=100,
                     completed_on=date(2026, 10, 20))
        _changed(late, date(2026, 10, 20), TaskStatus.ASSIGNED, TaskStatus.DONE)
        # This period: the first unit misses two deadlines, the second keeps two.
        _task(first, deadline=date(2026, 11, 1))
        _task(first, deadline=date(2026, 11, 2))
        for _ in range(2):
            _task(second, deadline=date(2026, 11, 5), status=TaskStatus.DONE, progress=100,
                  completed_on=date(2026, 11, 4))
        report = _figures(leader)
        assert (_row(report, second).rank, _row(report, second).rank_change) == (1, 1)
        assert (_row(report, first).rank, _row(report, first).rank_change) == (2, -1)


def test_figures_for_today_are_the_dashboards_class_counts(demo):
    with demo.app_context():
        for username, unit_id in (("lanhdao", None), ("tamphuoc", "own")):
            user = db.session.scalar(select(User).where(User.username == username))
            report = _figures(user, today() - timedelta(days=29), today())
            dashboard = class_counts(user, today(), user.organization_id if unit_id else None)
            assert report.totals.counts == {cls: dashboard[cls] for cls in REPORTED_CLASSES}
            assert report.totals.cancelled == dashboard.get(TaskClass.CANCELLED, 0)


def test_an_officer_sees_only_their_own_unit(demo):
    with demo.app_context():
        officer = db.session.scalar(select(User).where(User.username == "tamphuoc"))
        report = _figures(officer, today() - timedelta(days=29), today())
        assert [row.name for row in report.unit_rows] == ["UBND xã Tam Phước"]
        assert [row.name for row in report.coverage_rows] == ["UBND xã Tam Phước"]
        assert {row.name for row in report.outreach_by_unit} <= {"UBND xã Tam Phước"}
        assert report.scope_label == "UBND xã Tam Phước"


def test_coverage_at_the_end_comes_from_founding_and_deactivation_dates(app):
    with app.app_context():
        leader, commune = _district_user(), make_unit()
        villages = [make_village(commune) for _ in range(4)]
        counting = make_team(villages[0], established_on=date(2026, 9, 1))
        for position in (TeamPosition.LEADER, TeamPosition.MEMBER, TeamPosition.MEMBER):
            make_member(counting, position=position, full_name=f"Thành viên {position}")
        make_team(villages[1], established_on=date(2026, 11, 20))  # after the end
        make_team(villages[2], established_on=date(2026, 9, 1), active=False, deactivated_on=date(2026, 11, 1))
        make_team(villages[3], established_on=date(2026, 9, 1), active=False, deactivated_on=date(2026, 11, 30))
        row = next(r for r in _figures(leader).coverage_rows if r.commune_id == commune.id)
        assert (row.villages, row.covered, row.percent) == (4, 2, 50)


def test_deactivating_a_team_keeps_the_day(app):
    with app.app_context():
        leader, team = _district_user(), make_team(make_village(make_unit()))
        deactivate_team(team, actor=leader)
        assert team.deactivated_on == today()


def test_tickets_are_counted_by_their_state_at_the_end(app):
    with app.app_context():
        leader, commune = _district_user(), make_unit()
        partner = make_unit("VNPT Thử", kind=OrgKind.PARTNER)
        ticket = make_ticket(commune, partner, status=TicketStatus.DONE, created_at=_at(date(2026, 10, 1)))
        db.session.add_all([TicketEvent(ticket_id=ticket.id, at=_at(date(2026, 10, 1)),
                                        to_status=TicketStatus.REQUESTED),
                            TicketEvent(ticket_id=ticket.id, at=_at(date(2026, 10, 20)),
                                        from_status=TicketStatus.REQUESTED, to_status=TicketStatus.IN_PROGRESS),
                            TicketEvent(ticket_id=ticket.id, at=_at(date(2026, 11, 25)),
                                        from_status=TicketStatus.IN_PROGRESS, to_status=TicketStatus.DONE)])
        make_ticket(commune, partner, created_at=_at(date(2026, 11, 30)))  # filed after the end
        db.session.commit()
        counts = _figures(leader).tickets_by_status
        assert counts[TicketStatus.IN_PROGRESS] == 1 and sum(counts.values()) == 1


def test_outreach_counts_the_activities_held_within_the_period(app):
    with app.app_context():
        leader, unit = _district_user(), make_unit()
        make_activity(unit, held_on=date(2026, 10, 15), participants=10)
        make_activity(unit, held_on=date(2026, 11, 14), participants=5)
        make_activity(unit, held_on=date(2026, 11, 15), participants=100)
        [row] = _figures(leader).outreach_by_unit
        assert (row.activities, row.participants) == (2, 15)


def test_a_directive_choice_limits_the_tasks(app):
    with app.app_context():
        leader, unit = _district_user(), make_unit()
        chosen = make_item()
        _task(unit, deadline=date(2026, 12, 1), item=chosen)
        _task(unit, deadline=date(2026, 12, 1))
        assert _figures(leader, directive_ids=[chosen.directive_id]).totals.total == 1
        assert _figures(leader, directive_ids=[2**31 - 1]).totals.total == 0
        assert _figures(leader).totals.total == 2


def test_the_report_page_shows_the_ranking_and_charts(signed_in):
    page = signed_in("lanhdao").get("/reports?period=month").text
    assert 'id="ranking"' in page and "Xếp hạng" in page
    assert page.count("<svg") >= 3 and "<title" in page and "<desc" in page
    assert "style=" not in page


@pytest.mark.parametrize("query", [
    "period=decade", "period=month&on=32/13/2026", "period=custom&start=01/02/2026&end=01/01/2026",
    "period=custom&start=01/01/2020&end=01/01/2026", "period=custom&start=abc", "period=week&on=01/01/0001",
    "directive=99999999999999999999", "directive=abc&period=year", "on=" + "9" * 5000,
])
def test_bad_choices_get_a_message_and_the_default_never_an_error(signed_in, query):
    response = signed_in("lanhdao").get(f"/reports?{query}")
    assert response.status_code == 200
    assert 'class="flash flash-error"' in response.text


def test_an_officer_report_page_names_no_other_commune(signed_in):
    page = signed_in("tamphuoc").get("/reports").text
    assert "UBND xã Tam Phước" in page and "UBND xã Tam Dân" not in page


def test_the_dashboard_shows_leaders_who_is_behind_with_charts(signed_in):
    page = signed_in("lanhdao").get("/").text
    assert 'id="behind"' in page and "<svg" in page and "style=" not in page


def test_an_officer_dashboard_has_no_leader_charts(app, client):
    with app.app_context():
        make_user("xa1", unit=make_unit())
    login(client, "xa1", "correct-horse-battery")
    assert 'id="behind"' not in client.get("/").text
