"""A province-sized data set for trying and benchmarking: Phú Ninh's demo plus Quảng Nam's other districts.

Rows are bulk-inserted with the values the services would write (sort keys included), so a province of
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

# Quảng Nam's district-level units in 2022 (Phú Ninh is the demo's own).
DISTRICTS = ["Tam Kỳ", "Hội An", "Điện Bàn", "Thăng Bình", "Quế Sơn", "Nông Sơn", "Duy Xuyên", "Đại Lộc",
             "Núi Thành", "Tiên Phước", "Bắc Trà My", "Nam Trà My", "Phước Sơn", "Hiệp Đức", "Đông Giang",
             "Tây Giang", "Nam Giang"]
BATCH = 5_000


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _unit(unit_id: int, name: str, short: str, kind: OrgKind, parent_id: int | None) -> dict:
    return {"id": unit_id, "name": name, "short_name": short[:60], "kind": kind, "parent_id": parent_id,
            "active": True, "sort_key": sort_key(name)}


def seed_province(password: str, *, communes_per_district: int = 12, villages_per_commune: int = 5,
                  directives_per_district: int = 25, items_per_directive: int = 10, updates_per_task: int = 10,
                  activities: int = 20_000, tickets: int = 5_000, seed: int = 2022) -> dict[str, int]:
    """Load the demo, then the other districts; return the number of rows per kind."""
    rng = random.Random(seed)
    seed_demo(password, force=True)
    today = date.today()
    password_hash = db.session.scalar(select(User.password_hash).limit(1))
    unit_id, village_id, user_id = _next_id(Organization), _next_id(Village), _next_id(User)
    units, villages, users, communes_by_district = [], [], [], {}
    for d, district in enumerate(DISTRICTS):
        office_id = unit_id
        units.append(_unit(office_id, f"Văn phòng HĐND và UBND huyện {district}", f"VP {district}",
                           OrgKind.DISTRICT_OFFICE, None))
        users.append({"id": user_id, "username": f"vp{d + 1:02d}", "full_name": f"Văn phòng {district}",
                      "role": Role.COORDINATOR, "organization_id": office_id, "active": True,
                      "session_version": 1, "password_hash": password_hash})
        unit_id, user_id = unit_id + 1, user_id + 1
        communes = []
        for c in range(communes_per_district):
            name = f"UBND xã {district} {c + 1:02d} (sinh tự động)"
            units.append(_unit(unit_id, name, f"{district} {c + 1:02d}", OrgKind.COMMUNE, office_id))
            users.append({"id": user_id, "username": f"xa{d + 1:02d}{c + 1:02d}", "full_name": name,
                          "role": Role.OFFICER, "organization_id": unit_id, "active": True,
                          "session_version": 1, "password_hash": password_hash})
            for v in range(villages_per_commune):
                villages.append({"id": village_id, "name": f"Thôn {v + 1}", "kind": VillageKind.VILLAGE,
                                 "commune_id": unit_id, "name_confirmed": True, "sort_key": sort_key(f"Thôn {v + 1}"),
                                 "search_text": fold(f"Thôn {v + 1}")})
                village_id += 1
            communes.append(unit_id)
            unit_id, user_id = unit_id + 1, user_id + 1
        communes_by_district[office_id] = communes
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
                               "doc_type": DocType.PLAN, "issuer": f"UBND huyện #{office_id}", "issued_on": issued,
                               "signer": "Nguyễn Văn A", "summary": f"Kế hoạch triển khai chuyển đổi số số {n + 1}",
                               "body": "Nội dung văn bản. " * 20, "final_deadline": None})
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
    directives.append({"id": directive_id, "number": "01/KH-UBND", "doc_type": DocType.PLAN, "issuer": "UBND tỉnh",
                       "issued_on": today - timedelta(days=90), "signer": "Lê Văn B",
                       "summary": "Kế hoạch chuyển đổi số cấp xã toàn tỉnh", "body": "", "final_deadline": None})
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
    partners = list(db.session.scalars(select(Organization.id).where(Organization.kind == OrgKind.PARTNER)))
    ticket_rows = [{"commune_id": rng.choice(all_communes), "partner_id": rng.choice(partners),
                    "kind": rng.choice(list(TicketKind)), "description": "Hỗ trợ cài đặt phần mềm",
                    "wanted_by": today + timedelta(days=rng.randint(-60, 60)),
                    "status": rng.choice(list(TicketStatus)), "version": 1} for _ in range(tickets)]
    _insert(SupportTicket, ticket_rows)
    db.session.commit()
    return {"units": len(units), "villages": len(villages), "tasks": len(tasks), "task updates": len(updates),
            "teams": len(teams), "outreach activities": activities, "support tickets": tickets}


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
