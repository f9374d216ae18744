"""Coverage: villages with an active team ÷ all villages, per commune and for the district, in SQL."""
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from app.extensions import db
from app.models import Directive, DocType, Item, Kpi, Organization, OrgKind, Role, TeamPosition
from app.teams.coverage import (
    CommuneCoverage,
    area_total_label,
    coverage_by_commune,
    coverage_of,
    coverage_targets,
    district_coverage,
    villages_without_team,
)
from tests.factories import make_counting_team, make_member, make_team, make_unit, make_user, make_village


@pytest.fixture
def communes(app):
    """Empty (no villages), partial (1 of 3), full (2 of 2), and one whose only team was deactivated."""
    with app.app_context():
        empty = make_unit("UBND xã Rỗng")
        partial = make_unit("UBND xã Một Phần")
        full = make_unit("UBND thị trấn Đủ", kind=OrgKind.TOWN)
        lapsed = make_unit("UBND xã Ngừng")
        make_counting_team(make_village(partial, "An Mỹ"))
        make_village(partial, "Xuân Phú")
        make_village(partial, "Tam An")
        make_counting_team(make_village(full, "Khối 1"))
        make_counting_team(make_village(full, "Khối 2"))
        make_counting_team(make_village(lapsed, "Phú Văn"), active=False)
        make_unit("Huyện Đoàn", kind=OrgKind.UNION)  # not commune-level: never counted
        yield {"empty": empty.id, "partial": partial.id, "full": full.id, "lapsed": lapsed.id}


def _by_id(rows):
    return {row.commune_id: row for row in rows}


def test_a_commune_with_no_villages_is_0_of_0_and_0_percent(app, communes):
    with app.app_context():
        row = _by_id(coverage_by_commune())[communes["empty"]]
        assert (row.villages, row.covered, row.percent) == (0, 0, 0)


def test_partial_coverage_is_rounded_down(app, communes):
    with app.app_context():
        row = coverage_of(communes["partial"])
        assert (row.villages, row.covered, row.percent) == (3, 1, 33)


def test_full_coverage_is_100_percent(app, communes):
    with app.app_context():
        assert coverage_of(communes["full"]).percent == 100


def test_a_deactivated_team_does_not_count(app, communes):
    with app.app_context():
        row = coverage_of(communes["lapsed"])
        assert (row.villages, row.covered, row.percent) == (1, 0, 0)


def test_every_active_commune_level_unit_is_listed_and_nothing_else(app, communes):
    with app.app_context():
        make_unit("UBND xã Đã Giải Thể", active=False)
        names = [row.name for row in coverage_by_commune()]
    assert sorted(names) == sorted(["UBND xã Rỗng", "UBND xã Một Phần", "UBND thị trấn Đủ", "UBND xã Ngừng"])


def test_district_coverage_adds_up_the_active_communes(app, communes):
    with app.app_context():
        inactive = make_unit("UBND xã Cũ", active=False)
        make_counting_team(make_village(inactive, "Thôn Cũ"))
        district = district_coverage()
    assert (district.villages, district.covered, district.percent) == (6, 3, 50)
    assert district.commune_id is None and district.name == "Toàn huyện"


def test_coverage_of_an_unknown_unit_is_a_lookup_error(app, communes):
    with app.app_context(), pytest.raises(LookupError):
        coverage_of(987654)


def test_percent_is_an_int_and_zero_without_villages():
    assert CommuneCoverage(1, "X", 0, 0).percent == 0
    assert CommuneCoverage(1, "X", 6, 5).percent == 83
    assert isinstance(CommuneCoverage(1, "X", 3, 2).percent, int)


def test_coverage_is_computed_in_one_statement_however_many_communes(app):
    """GROUP BY in the database: the number of statements does not grow with communes or villages."""
    def statements(n_communes):
        with app.app_context():
            for _ in range(n_communes):
                commune = make_unit()
                make_counting_team(make_village(commune))
                make_village(commune)
            seen = []
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                rows = coverage_by_commune()
                district_coverage()
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            return len(seen), rows
    few, rows = statements(2)
    many, rows = statements(20)
    assert few == many == 2
    assert len(rows) == 22 and all(row.percent == 50 for row in rows)


def _directive(number, issued_on, *items):
    directive = Directive(number=number, doc_type=DocType.OFFICIAL_LETTER, issuer="UBND huyện Phú Ninh",
                          issued_on=issued_on, signer="Chủ tịch", summary="Tổ công nghệ cộng đồng", items=list(items))
    db.session.add(directive)
    db.session.commit()
    return directive


def test_the_target_and_deadline_come_from_the_item_carrying_the_kpi(app):
    with app.app_context():
        assert coverage_targets() == []
        _directive("1234/UBND-VP", date(2022, 7, 1), Item(position=1, title="Tuyên truyền"),
                   Item(position=5, title="100% thôn có tổ", kpi=Kpi.TEAM_COVERAGE, default_deadline=date(2022, 8, 31)))
        [target] = coverage_targets()
        assert (target.percent, target.deadline, target.item.position) == (100, date(2022, 8, 31), 5)


def test_a_second_coverage_item_does_not_replace_the_first_ones_target(app):
    with app.app_context():
        _directive("1234/UBND-VP", date(2022, 7, 1),
                   Item(position=5, title="100% thôn có tổ", kpi=Kpi.TEAM_COVERAGE, default_deadline=date(2022, 8, 31)))
        _directive("45/KH-BCĐ", date(2023, 1, 10),
                   Item(position=2, title="80% thôn có tổ hoạt động", kpi=Kpi.TEAM_COVERAGE, kpi_target=80,
                        default_deadline=date(2023, 6, 30)))
        targets = {target.item.directive.number: (target.percent, target.deadline) for target in coverage_targets()}
    assert targets == {"1234/UBND-VP": (100, date(2022, 8, 31)), "45/KH-BCĐ": (80, date(2023, 6, 30))}


@pytest.fixture
def teams_of_every_size(app):
    """One commune, five villages: a team that counts and four that do not, each for one reason."""
    with app.app_context():
        commune = make_unit("UBND xã Đủ Thiếu")
        make_counting_team(make_village(commune, "Đủ"))
        no_leader = make_team(make_village(commune, "Không tổ trưởng"))
        for n in range(3):
            make_member(no_leader, full_name=f"Tổ viên {n}", phone=f"090500000{n}")
        two = make_team(make_village(commune, "Hai người"))
        make_member(two, full_name="Tổ trưởng", position=TeamPosition.LEADER)
        make_member(two, full_name="Tổ viên")
        left = make_counting_team(make_village(commune, "Một người đã nghỉ"))
        left.members[2].active = False
        left_leader = make_counting_team(make_village(commune, "Tổ trưởng đã nghỉ"))
        left_leader.members[0].active = False
        make_member(left_leader, full_name="Tổ viên mới", phone="0905999999")
        db.session.commit()
        return commune.id


def test_a_team_counts_only_with_three_active_members_one_of_them_its_leader(app, teams_of_every_size):
    with app.app_context():
        row = coverage_of(teams_of_every_size)
        assert (row.villages, row.covered, row.percent) == (5, 1, 20)
        assert (district_coverage().villages, district_coverage().covered) == (5, 1)
        assert _by_id(coverage_by_commune())[teams_of_every_size].covered == 1


def test_the_number_of_members_a_team_needs_is_a_setting(app, teams_of_every_size):
    app.config["TEAM_MIN_MEMBERS"] = 2
    with app.app_context():
        assert coverage_of(teams_of_every_size).covered == 3  # the team of two and the one whose member left


def test_villages_without_a_team_are_limited_to_what_the_user_sees(app, communes):
    with app.app_context():
        officer = make_user(unit=db.session.get(Organization, communes["partial"]))
        coordinator = make_user(role=Role.COORDINATOR)
        assert [v.name for v in villages_without_team(officer)] == ["Tam An", "Xuân Phú"]
        assert {v.name for v in villages_without_team(coordinator)} == {"Tam An", "Xuân Phú", "Phú Văn"}


def test_the_total_row_is_named_after_the_level_of_the_users_area(app):
    """"Toàn huyện" for a district (or a one-district instance), "Toàn tỉnh" for a province office."""
    with app.test_request_context(), force_locale("vi"):
        province = make_unit("Tỉnh Thử", kind=OrgKind.AREA, level_name="tỉnh")
        district = make_unit("Huyện Thử", kind=OrgKind.AREA, level_name="huyện", parent=province)
        in_province = make_user(role=Role.COORDINATOR, unit=make_unit("Văn phòng tỉnh", parent=province))
        in_district = make_user(role=Role.COORDINATOR, unit=make_unit("Văn phòng huyện", parent=district))
        assert area_total_label(in_province) == "Toàn tỉnh"
        assert area_total_label(in_district) == "Toàn huyện"
