"""The demo's teams, outreach and tickets match the 2022 article and show every state."""
from sqlalchemy import func, select

from app.clock import today
from app.coverage import coverage_by_commune, district_coverage
from app.extensions import db
from app.models import (
    COMMUNE_LEVEL,
    Affiliation,
    Organization,
    OutreachActivity,
    SupportTicket,
    Team,
    TeamMember,
    TeamPosition,
    TicketStatus,
    User,
    Village,
)
from app.support.services import overdue_tickets_for


def _count(stmt):
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def test_demo_has_the_articles_19_teams_and_102_members(demo):
    with demo.app_context():
        assert _count(select(Team).where(Team.active.is_(True))) == 19
        assert _count(select(TeamMember).where(TeamMember.active.is_(True))) == 102
        sizes = db.session.execute(select(func.count(TeamMember.id)).group_by(TeamMember.team_id)).scalars().all()
        assert set(sizes) == {5, 6}
        leaders = _count(select(TeamMember).where(TeamMember.position == TeamPosition.LEADER))
        assert leaders == 19
        for affiliation in (Affiliation.COMMUNE_OFFICER, Affiliation.VILLAGE_HEAD, Affiliation.YOUTH_UNION,
                            Affiliation.WOMENS_UNION):
            assert _count(select(TeamMember).where(TeamMember.affiliation == affiliation)) == 19


def test_demo_coverage_is_four_communes_at_100_and_seven_at_0(demo):
    with demo.app_context():
        percents = {row.short_name: row.percent for row in coverage_by_commune()}
        assert sorted(name for name, percent in percents.items() if percent == 100) == \
            sorted(["Tam Phước", "Tam Dân", "Tam Thành", "Phú Thịnh"])
        assert sum(1 for percent in percents.values() if percent == 0) == 7
        district = district_coverage()
        assert (district.villages, district.covered, district.percent) == (51, 19, 37)


def test_demo_outreach_spans_months_both_unions_and_several_communes(demo):
    with demo.app_context():
        rows = db.session.execute(select(OutreachActivity.organization_id, func.min(OutreachActivity.held_on),
                                         func.max(OutreachActivity.held_on))
                                  .group_by(OutreachActivity.organization_id)).all()
        logged = {row[0] for row in rows}
        users = {user.username: user for user in db.session.scalars(select(User))}
        assert {users["doanthanhnien"].organization_id, users["hoiphunu"].organization_id} <= logged
        communes = [u for u in users.values() if u.organization_id in logged and u.organization.is_commune_level]
        assert len(communes) >= 3
        first, last = min(row[1] for row in rows), max(row[2] for row in rows)
        assert (last - first).days >= 60 and last <= today()
        # A commune's activity names only its own villages.
        foreign = (select(OutreachActivity).join(OutreachActivity.organization).join(OutreachActivity.villages)
                   .where(Organization.kind.in_(COMMUNE_LEVEL), Village.commune_id != Organization.id))
        assert _count(foreign) == 0


def test_demo_tickets_are_in_every_state_some_overdue(demo):
    with demo.app_context():
        statuses = set(db.session.scalars(select(SupportTicket.status)))
        assert statuses == set(TicketStatus)
        coordinator = db.session.scalar(select(User).where(User.username == "vanphong"))
        assert len(overdue_tickets_for(coordinator)) >= 2
        for ticket in db.session.scalars(select(SupportTicket)):
            assert ticket.events[0].to_status == ticket.status  # the newest event led to the current status
            assert ticket.events[-1].from_status is None
