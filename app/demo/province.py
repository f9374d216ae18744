"""A province-sized data set for trying and benchmarking: Phú Ninh's demo plus Quảng Nam's other districts.

Rows are bulk-inserted with the values the services would write (sort keys and tree paths included), so a province of
about 50,000 tasks and 500,000 history rows is built in minutes. Names are generated and say so.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from app.demo import seed as seed_demo
from app.demo.directives import _at
from app.extensions import db
from app.models import (
    Affiliation,
    Directive,
    DocType,
    Item,
    Organization,
    OrgKind,
    OutreachActivity,
    OutreachKind,
    Role,
    SupportTicket,
    Task,
    TaskStatus,
    TaskUpdate,
    Team,
    TeamMember,
    TeamPosition,
    TicketKind,
    TicketStatus,
    User,
    Village,
    VillageKind,
)
from app.vntext import fold, sort_key

# Quảng Nam's district-level units in 2022 with their level names; Phú Ninh is the demo's own (not generated).
# The generated ones keep this order: their users' usernames (vp01, xa0101, ...) number them.
DISTRICTS = [("Tam Kỳ", "thành phố"), ("Hội An", "thành phố"), ("Điện Bàn", "thị xã"), ("Thăng Bình", "huyện"),
             ("Quế Sơn", "huyện"), ("Nông Sơn", "huyện"), ("Duy Xuyên", "huyện"), ("Đại Lộc", "huyện"),
             ("Núi Thành", "huyện"), ("Tiên Phước", "huyện"), ("Bắc Trà My", "huyện"), ("Nam Trà My", "huyện"),
             ("Phước Sơn", "huyện"), ("Hiệp Đức", "huyện"), ("Đông Giang", "huyện"), ("Tây Giang", "huyện"),
             ("Nam Giang", "huyện")]
DEMO_DISTRICT = ("Phú Ninh", "huyện")
# A city's and a town's communes are wards; a rural district has one township (its seat), the rest communes.
COMMUNE_LEVELS = {"thành phố": ("phường", "xã"), "thị xã": ("phường", "xã"), "huyện": ("thị trấn", "xã")}
PROVINCE_OFFICE = "Văn phòng UBND tỉnh Quảng Nam"
BATCH = 5_000


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _unit(unit_id: int, name: str, short: str, kind: OrgKind, parent: dict | Organization,
          level_name: str = "") -> dict:
    """A unit row with what the model's events would write: its sort key and its path under `parent`."""
    parent_id, parent_path = (parent["id"], parent["path"]) if isinstance(parent, dict) else (parent.id, parent.path)
    return {"id": unit_id, "name": name, "short_name": short[:60], "kind": kind, "parent_id": parent_id,
            "level_name": level_name, "path": f"{parent_path}{unit_id}/", "active": True, "sort_key": sort_key(name)}


def _user(user_id: int, username: str, full_name: str, role: Role, unit_id: int, password_hash: str) -> dict:
    return {"id": user_id, "username": username, "full_name": full_name, "role": role, "organization_id": unit_id,
            "active": True, "session_version": 1, "password_hash": password_hash}


def _commune_level(district_level: str, c: int) -> tuple[str, OrgKind]:
    seat, rest = COMMUNE_LEVELS[district_level]
    level = seat if c == 0 or seat == "phường" and c % 3 else rest
    return level, OrgKind.TOWN if level == "thị trấn" else OrgKind.COMMUNE


def seed_province(password: str, *, communes_per_district: int = 12, villages_per_commune: int = 5,
                  directives_per_district: int = 25, items_per_directive: int = 10, updates_per_task: int = 10,
                  activities: int = 20_000, tickets: int = 5_000, seed: int = 2022) -> dict[str, int]:
    """Load the demo, then the province office and the other districts as a tree under the demo's province;
    return the number of rows per kind."""
    rng = random.Random(seed)
    seed_demo(password, force=True)
    today = date.today()
    password_hash = db.session.scalar(select(User.password_hash).limit(1))
    province = db.session.scalar(select(Organization).where(Organization.kind == OrgKind.AREA,
                                                            Organization.parent_id.is_(None)))
    unit_id, village_id, user_id = _next_id(Organization), _next_id(Village), _next_id(User)
    units = [_unit(unit_id, PROVINCE_OFFICE, "VP UBND tỉnh", OrgKind.DISTRICT_OFFICE, province)]
    users = [_user(user_id, "vptinh", PROVINCE_OFFICE, Role.COORDINATOR, unit_id, password_hash)]
    province_office_id = unit_id
    unit_id, user_id = unit_id + 1, user_id + 1
    villages, communes_by_district, partner_of, issuer_of = [], {}, {}, {}
    for d, (district, level) in enumerate(DISTRICTS):
        area = _unit(unit_id, f"{level.capitalize()} {district}", district, OrgKind.AREA, province, level)
        office = _unit(unit_id + 1, f"Văn phòng HĐND và UBND {level} {district}", f"VP {district}",
                       OrgKind.DISTRICT_OFFICE, area)
        partner = _unit(unit_id + 2, f"Bưu điện {level} {district}", f"Bưu điện {district}", OrgKind.PARTNER, area)
        units += [area, office, partner]
        users.append(_user(user_id, f"vp{d + 1:02d}", f"Văn phòng {district}", Role.COORDINATOR, office["id"],
                           password_hash))
        unit_id, user_id = unit_id + 3, user_id + 1
        communes = []
        for c in range(communes_per_district):
            commune_level, kind = _commune_level(level, c)
            name = f"UBND {commune_level} {district} {c + 1:02d} (sinh tự động)"
            units.append(_unit(unit_id, name, f"{district} {c + 1:02d}", kind, area, commune_level))
            users.append(_user(user_id, f"xa{d + 1:02d}{c + 1:02d}", name, Role.OFFICER, unit_id, password_hash))
            for v in range(villages_per_commune):
                village = "Khối phố" if commune_level == "phường" else "Thôn"
                villages.append({"id": village_id, "name": f"{village} {v + 1}",
                                 "kind": VillageKind.URBAN_BLOCK if commune_level == "phường" else VillageKind.VILLAGE,
                                 "commune_id": unit_id, "name_confirmed": True,
                                 "sort_key": sort_key(f"{village} {v + 1}"), "search_text": fold(f"{village} {v + 1}")})
                village_id += 1
            communes.append(unit_id)
            partner_of[unit_id] = partner["id"]
            unit_id, user_id = unit_id + 1, user_id + 1
        communes_by_district[office["id"]] = communes
        issuer_of[office["id"]] = f"UBND {level} {district}"
    _insert(Organization, units)
    _insert(Village, villages)
    _insert(User, users)

    directive_id, item_id, task_id, update_id = (_next_id(Directive), _next_id(Item), _next_id(Task),
                                                 _next_id(TaskUpdate))
    directives, items, tasks, updates = [], [], [], []
    statuses = [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.DONE]
    for office_id, communes in communes_by_district.items():
        for n in range(directives_per_district):
            issued = today - timedelta(days=rng.randint(30, 400))
            directives.append({"id": directive_id, "number": f"{1000 + n}/UBND-VP{office_id}",
                               "doc_type": DocType.PLAN, "issuer": issuer_of[office_id], "issued_on": issued,
                               "signer": "Nguyễn Văn A", "summary": f"Kế hoạch triển khai chuyển đổi số số {n + 1}",
                               "body": "Nội dung văn bản. " * 20, "final_deadline": None,
                               "organization_id": office_id})
            for position in range(1, items_per_directive + 1):
                deadline = issued + timedelta(days=rng.randint(20, 500))
                items.append({"id": item_id, "directive_id": directive_id, "position": position,
                              "title": f"Nhiệm vụ {position} của văn bản {n + 1}", "description": "",
                              "default_deadline": deadline, "kpi": None})
                for commune in communes:
                    status = rng.choice(statuses)
                    progress = 100 if status == TaskStatus.DONE else rng.randint(0, 90)
                    completed = (deadline + timedelta(days=rng.randint(-30, 30))
                                 if status == TaskStatus.DONE else None)
                    tasks.append({"id": task_id, "item_id": item_id, "lead_unit_id": commune, "deadline": deadline,
                                  "extended_deadline": None, "status": status, "progress": progress,
                                  "completed_on": completed, "version": updates_per_task + 1})
                    for u in range(updates_per_task):
                        updates.append({"id": update_id, "task_id": task_id, "author_id": None,
                                        "at": _at(issued + timedelta(days=u)), "old_status": TaskStatus.IN_PROGRESS,
                                        "new_status": TaskStatus.IN_PROGRESS, "old_progress": u * 9,
                                        "new_progress": (u + 1) * 9, "note": "Cập nhật tiến độ"})
                        update_id += 1
                    task_id += 1
                item_id += 1
            directive_id += 1
    # One province-wide directive whose items go to every commune: the widest directive page.
    everyone = [commune for communes in communes_by_district.values() for commune in communes]
    directives.append({"id": directive_id, "number": "01/KH-UBND", "doc_type": DocType.PLAN,
                       "issuer": "UBND tỉnh Quảng Nam",
                       "issued_on": today - timedelta(days=90), "signer": "Lê Văn B",
                       "summary": "Kế hoạch chuyển đổi số cấp xã toàn tỉnh", "body": "", "final_deadline": None,
                       "organization_id": province_office_id})
    for position in range(1, items_per_directive + 1):
        deadline = today + timedelta(days=rng.randint(-40, 60))
        items.append({"id": item_id, "directive_id": directive_id, "position": position,
                      "title": f"Nội dung {position} của kế hoạch toàn tỉnh", "description": "",
                      "default_deadline": deadline, "kpi": None})
        for commune in everyone:
            status = rng.choice(statuses)
            tasks.append({"id": task_id, "item_id": item_id, "lead_unit_id": commune, "deadline": deadline,
                          "extended_deadline": None, "status": status,
                          "progress": 100 if status == TaskStatus.DONE else 40,
                          "completed_on": deadline if status == TaskStatus.DONE else None, "version": 1})
            task_id += 1
        item_id += 1
    for directive in directives:
        directive["search_text"] = fold(f"{directive['number']} {directive['summary']}")[:600]
    for item in items:
        item["search_text"] = fold(item["title"])[:300]
    _insert(Directive, directives)
    _insert(Item, items)
    _insert(Task, tasks)
    _insert(TaskUpdate, updates)

    all_communes = [commune for communes in communes_by_district.values() for commune in communes]
    villages_of = {}
    for village in villages:
        villages_of.setdefault(village["commune_id"], []).append(village["id"])
    teams, members, team_id, member_id = [], [], _next_id(Team), _next_id(TeamMember)
    for village in villages[::2]:
        teams.append({"id": team_id, "village_id": village["id"], "established_on": date(2022, 6, 1),
                      "decision_number": "12/QĐ-UBND", "active": True})
        for m, position in enumerate([TeamPosition.LEADER, TeamPosition.MEMBER, TeamPosition.MEMBER]):
            members.append({"id": member_id, "team_id": team_id, "full_name": f"Thành viên {m + 1}",
                            "position": position, "affiliation": Affiliation.VILLAGE_HEAD,
                            "phone": f"09{team_id:04d}{m:04d}"[:10], "active": True})
            member_id += 1
        team_id += 1
    _insert(Team, teams)
    _insert(TeamMember, members)
    activity_rows = [{"organization_id": rng.choice(all_communes),
                      "held_on": today - timedelta(days=rng.randint(0, 365)),
                      "kind": rng.choice(list(OutreachKind)), "title": "Tuyên truyền chuyển đổi số",
                      "participants": rng.randint(5, 80), "households_reached": rng.randint(0, 40), "note": ""}
                     for _ in range(activities)]
    _insert(OutreachActivity, activity_rows)
    # Each district's communes ask their district's partner branch.
    ticket_rows = [{"commune_id": (commune := rng.choice(all_communes)), "partner_id": partner_of[commune],
                    "kind": rng.choice(list(TicketKind)), "description": "Hỗ trợ cài đặt phần mềm",
                    "wanted_by": today + timedelta(days=rng.randint(-60, 60)),
                    "status": rng.choice(list(TicketStatus)), "version": 1} for _ in range(tickets)]
    _insert(SupportTicket, ticket_rows)
    _advance_sequences()
    db.session.commit()
    return {"units": len(units), "villages": len(villages), "tasks": len(tasks), "task updates": len(updates),
            "teams": len(teams), "outreach activities": activities, "support tickets": tickets}


def _advance_sequences() -> None:
    """PostgreSQL: the rows above were inserted with their ids; move each id sequence past them (else the next
    row written through the portal collides with one of them)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c:
            highest = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            db.session.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest, False)))


@click.command("seed-province")
@click.option("--password", required=True, help="Password for every user (the demo's and the generated ones).")
@click.option("--communes", default=12, type=click.IntRange(1, 60), help="Communes per generated district.")
@click.option("--directives", default=25, type=click.IntRange(1, 200), help="Directives per generated district.")
@click.option("--updates", default=10, type=click.IntRange(0, 50), help="History rows per generated task.")
@click.option("--activities", default=20_000, type=click.IntRange(0, 1_000_000), help="Outreach activities.")
@click.option("--tickets", default=5_000, type=click.IntRange(0, 1_000_000), help="Support tickets.")
@with_appcontext
def seed_province_command(password: str, communes: int, directives: int, updates: int, activities: int,
                          tickets: int) -> None:
    """Delete all data and load the demo plus 17 generated districts (for trying and benchmarking)."""
    counts = seed_province(password, communes_per_district=communes, directives_per_district=directives,
                           updates_per_task=updates, activities=activities, tickets=tickets)
    for kind, count in counts.items():
        click.echo(f"  {kind:<20} {count:>9,}")
    click.echo(_("Province loaded. Password for every user: %(password)s", password=password))
    click.echo(_("This deletes all data: never run it on a database in use."))
