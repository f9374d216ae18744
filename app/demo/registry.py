"""Demo: the article's 19 teams with 102 members, a few months of outreach, support tickets in every state.

Names are invented; dates are relative to `today` so that overdue tickets and recent activities exist on any day.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app.clock import DISTRICT_TIMEZONE
from app.extensions import db
from app.models import (
    Affiliation,
    Organization,
    OutreachActivity,
    OutreachKind,
    SupportTicket,
    Task,
    Team,
    TeamMember,
    TeamPosition,
    TicketEvent,
    TicketKind,
    TicketStatus,
    User,
    Village,
)

# The four localities with teams in the article: days before today they were set up, and the commune's decision.
TEAM_COMMUNES = {
    "Tam Thành": (150, "52/QĐ-UBND"),
    "Tam Phước": (132, "67/QĐ-UBND"),
    "Tam Dân": (118, "71/QĐ-UBND"),
    "Phú Thịnh": (104, "88/QĐ-UBND"),
}
# Quảng Nam composition: village head (leader), commune officer (deputy), Youth Union, Women's Union, police;
# every third team also has someone from a partner enterprise: 12 × 5 + 7 × 6 = 102 members.
CORE = [(TeamPosition.LEADER, Affiliation.VILLAGE_HEAD), (TeamPosition.DEPUTY, Affiliation.COMMUNE_OFFICER),
        (TeamPosition.MEMBER, Affiliation.YOUTH_UNION), (TeamPosition.MEMBER, Affiliation.WOMENS_UNION),
        (TeamPosition.MEMBER, Affiliation.POLICE)]
EXTRA = (TeamPosition.MEMBER, Affiliation.PARTNER_STAFF)
# Whose team leaders agreed to have their name and phone on the public page; Tam Dân's have not been asked yet.
CONSENTING_COMMUNES = {"Tam Thành", "Tam Phước", "Phú Thịnh"}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Ngô", "Hồ",
          "Đoàn", "Lương", "Đinh", "Mai", "Châu"]
MIDDLE_MALE = ["Văn", "Đình", "Công", "Minh", "Quốc", "Hữu", "Ngọc", "Thanh", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Thị Kim", "Thị Thu", "Thị Mỹ", "Thị Ngọc", "Thị Thanh", "Thị Hồng"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Nam", "Phong", "Sơn", "Trung", "Bảo", "Khải", "Lộc", "Tài", "Thắng",
              "Vinh", "Quang", "Hiếu", "Nhân", "Đức", "Thành", "Phú", "Tín"]
GIVEN_FEMALE = ["Lan", "Hoa", "Hằng", "Trang", "Nhung", "Thảo", "Hạnh", "Loan", "Phượng", "Dung", "Tuyết", "Vân",
                "Yến", "Xuân", "Ngân", "Diệu", "Sương"]
PHONE_PREFIXES = ["090", "091", "093", "094", "097", "098", "035", "038", "077", "079", "083", "086"]

# (kind, title, villages named (0: none), participants, households reached)
OUTREACH_PLANS = {
    "Huyện Đoàn": [
        (OutreachKind.TRAINING_CLASS, "Tập huấn kỹ năng số cho đoàn viên nòng cốt các thôn", 2, (35, 60), (0, 0)),
        (OutreachKind.HOUSEHOLD_VISITS, "Ngày thứ Bảy tình nguyện: đến từng hộ hướng dẫn cài ứng dụng", 3, (20, 40),
         (60, 140)),
        (OutreachKind.SOCIAL_MEDIA, "Chuỗi bài hướng dẫn dịch vụ công trực tuyến trên trang Huyện Đoàn", 0,
         (0, 0), (0, 0)),
        (OutreachKind.ECOMMERCE_ONBOARDING, "Thanh niên hỗ trợ hộ kinh doanh đưa nông sản lên sàn thương mại điện tử",
         2, (12, 25), (8, 20)),
    ],
    "Hội LHPN": [
        (OutreachKind.TRAINING_CLASS, "Phụ nữ với thanh toán không dùng tiền mặt", 2, (40, 70), (0, 0)),
        (OutreachKind.MEETING, "Sinh hoạt chi hội: giới thiệu mô hình xã thông minh", 1, (30, 55), (25, 45)),
        (OutreachKind.ECOMMERCE_ONBOARDING, "Hỗ trợ hội viên mở gian hàng số cho sản phẩm truyền thống", 2, (10, 20),
         (10, 18)),
        (OutreachKind.HOUSEHOLD_VISITS, "Hướng dẫn hội viên an toàn khi giao dịch trực tuyến", 2, (15, 30),
         (40, 90)),
    ],
    "commune": [
        (OutreachKind.LOUDSPEAKER, "Phát thanh tuyên truyền chuyển đổi số trên loa truyền thanh cơ sở", 0, (0, 0),
         (0, 0)),
        (OutreachKind.MEETING, "Họp dân triển khai Tổ công nghệ cộng đồng", 1, (45, 90), (40, 80)),
        (OutreachKind.PUBLIC_SERVICES_GUIDANCE, "Hướng dẫn người dân nộp hồ sơ dịch vụ công trực tuyến", 1, (20, 45),
         (15, 40)),
        (OutreachKind.HOUSEHOLD_VISITS, "Tổ công nghệ cộng đồng đến từng hộ hướng dẫn kỹ năng số", 1, (6, 10),
         (50, 120)),
        (OutreachKind.SOCIAL_MEDIA, "Lập nhóm Zalo thôn để thông tin về chuyển đổi số", 1, (0, 0), (80, 160)),
    ],
}
OUTREACH_UNITS = ["Huyện Đoàn", "Hội LHPN", "Tam Thành", "Tam Phước", "Tam Dân", "Phú Thịnh", "Tam Đàn"]
OUTREACH_DAYS = 110

# (commune, partner, kind, village index or None, description, wanted by (days from today), final status,
#  note of the partner's "done", reason of the commune's "reopen")
TICKETS = [
    ("Tam Đàn", "VNPT", TicketKind.PUBLIC_SERVICES_ACCOUNT, 0,
     "Tạo tài khoản dịch vụ công trực tuyến cho 12 cán bộ thôn và hướng dẫn đăng nhập.", 10,
     TicketStatus.REQUESTED, "", ""),
    ("Tam Lộc", "Viettel", TicketKind.CONNECTIVITY, 1,
     "Sóng di động yếu tại nhà văn hóa thôn, cần kiểm tra trước buổi tập huấn của tổ công nghệ.", -5,
     TicketStatus.REQUESTED, "", ""),
    ("Tam Vinh", "Bưu điện", TicketKind.ECOMMERCE_SHOP, None,
     "Hỗ trợ 6 hộ kinh doanh mở gian hàng trên sàn thương mại điện tử.", 14, TicketStatus.REQUESTED, "", ""),
    ("Tam Phước", "Bưu điện", TicketKind.ECOMMERCE_SHOP, 2,
     "Hướng dẫn 5 hộ trồng rau đưa sản phẩm lên sàn thương mại điện tử.", 7, TicketStatus.IN_PROGRESS, "", ""),
    ("Tam Dân", "VNPT", TicketKind.DIGITAL_SIGNATURE, 3,
     "Cấp chữ ký số cho tổ trưởng các Tổ công nghệ cộng đồng.", -3, TicketStatus.IN_PROGRESS, "", ""),
    ("Phú Thịnh", "Viettel", TicketKind.SOFTWARE_INSTALL, 0,
     "Cài ứng dụng thanh toán điện tử cho tiểu thương chợ khối phố.", -2, TicketStatus.DONE,
     "Đã cài đặt và hướng dẫn cho 23 tiểu thương.", ""),
    ("Tam Thái", "VNPT", TicketKind.SOFTWARE_INSTALL, 1,
     "Cài phần mềm một cửa điện tử trên máy tính của bộ phận tiếp nhận.", 3, TicketStatus.DONE,
     "Đã cài đặt, cấu hình và chạy thử.", ""),
    ("Tam Thành", "VNPT", TicketKind.TRAINING, None,
     "Tập huấn sử dụng dịch vụ công trực tuyến cho thành viên các Tổ công nghệ cộng đồng.", -20,
     TicketStatus.CONFIRMED, "Đã tổ chức 2 buổi tập huấn, 27 thành viên tham dự.", ""),
    ("Tam Thành", "Bưu điện", TicketKind.ECOMMERCE_SHOP, 3,
     "Mở gian hàng số cho hợp tác xã nông nghiệp.", -30, TicketStatus.CONFIRMED,
     "Gian hàng đã hoạt động với 8 sản phẩm.", ""),
    ("Tam An", "Viettel", TicketKind.CONNECTIVITY, 2,
     "Lắp điểm phát wifi miễn phí tại nhà văn hóa thôn phục vụ người dân làm thủ tục trực tuyến.", -1,
     TicketStatus.REOPENED, "Đã lắp đặt điểm phát wifi.",
     "Wifi chập chờn, người dân không đăng nhập được vào buổi chiều; đề nghị kiểm tra lại."),
]
PATHS = {
    TicketStatus.REQUESTED: [],
    TicketStatus.IN_PROGRESS: [TicketStatus.IN_PROGRESS],
    TicketStatus.DONE: [TicketStatus.IN_PROGRESS, TicketStatus.DONE],
    TicketStatus.CONFIRMED: [TicketStatus.IN_PROGRESS, TicketStatus.DONE, TicketStatus.CONFIRMED],
    TicketStatus.REOPENED: [TicketStatus.IN_PROGRESS, TicketStatus.DONE, TicketStatus.REOPENED],
}


def seed_registry(today: date) -> None:
    """Dated relative to `today`."""
    rng = random.Random(2022)
    units = {unit.short_name: unit for unit in db.session.scalars(select(Organization))}
    users = {user.organization_id: user for user in db.session.scalars(select(User))}
    _seed_teams(rng, units, today)
    _seed_outreach(rng, units, users, today)
    _seed_tickets(units, users, today)


def _person(rng: random.Random, female: bool) -> str:
    middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _seed_teams(rng: random.Random, units: dict, today: date) -> None:
    index = 0
    for commune_name, (days_ago, decision) in TEAM_COMMUNES.items():
        for village in units[commune_name].villages:
            team = Team(village=village, established_on=today - timedelta(days=days_ago), decision_number=decision,
                        active=True)
            roles = CORE + ([EXTRA] if index % 3 == 0 else [])
            for position, affiliation in roles:
                female = affiliation == Affiliation.WOMENS_UNION or rng.random() < 0.3
                team.members.append(TeamMember(
                    full_name=_person(rng, female), position=position, affiliation=affiliation, active=True,
                    phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 7):07d}",
                    publish_contact=position == TeamPosition.LEADER and commune_name in CONSENTING_COMMUNES))
            db.session.add(team)
            index += 1


def _seed_outreach(rng: random.Random, units: dict, users: dict, today: date) -> None:
    all_villages = list(db.session.scalars(select(Village).order_by(Village.id)))
    for short_name in OUTREACH_UNITS:
        unit = units[short_name]
        plans = OUTREACH_PLANS.get(short_name, OUTREACH_PLANS["commune"])
        villages = unit.villages or all_villages
        task = db.session.scalar(select(Task).where(Task.lead_unit_id == unit.id).order_by(Task.id).limit(1))
        for n in range(rng.randint(7, 10)):
            kind, title, village_count, participants, households = plans[n % len(plans)]
            held_on = today - timedelta(days=rng.randint(1, OUTREACH_DAYS))
            helped = rng.randint(5, 30) if kind not in (OutreachKind.LOUDSPEAKER, OutreachKind.SOCIAL_MEDIA) else 0
            db.session.add(OutreachActivity(
                organization=unit, held_on=held_on, kind=kind, title=title, created_by_id=users[unit.id].id,
                villages=rng.sample(villages, min(village_count, len(villages))),
                participants=rng.randint(*participants), households_reached=rng.randint(*households),
                helped_public_services=helped, helped_online_shopping=helped // 2,
                helped_online_payment=helped * 2 // 3, helped_online_safety=helped // 3,
                helped_local_platforms=helped // 4, task=task if n % 2 == 0 else None,
                note="" if n % 3 else "Tổ công nghệ cộng đồng thôn phối hợp thực hiện."))


def _at(day: date, hour: int) -> datetime:
    """An hour of a working day in the district, in UTC as times are stored."""
    return datetime.combine(day, time(hour), tzinfo=DISTRICT_TIMEZONE).astimezone(timezone.utc)


def _seed_tickets(units: dict, users: dict, today: date) -> None:
    for (commune_name, partner_name, kind, village_index, description, wanted_in, status, done_note,
         reopen_reason) in TICKETS:
        commune, partner = units[commune_name], units[partner_name]
        village = commune.villages[village_index] if village_index is not None else None
        wanted_by = today + timedelta(days=wanted_in)
        filed_on = min(wanted_by, today) - timedelta(days=12)
        commune_user, partner_user = users[commune.id], users[partner.id]
        ticket = SupportTicket(commune=commune, partner=partner, village=village, kind=kind, description=description,
                               wanted_by=wanted_by, status=status, created_by_id=commune_user.id,
                               created_at=_at(filed_on, 9))
        ticket.events.append(TicketEvent(actor=commune_user, at=_at(filed_on, 9), from_status=None,
                                         to_status=TicketStatus.REQUESTED, note=""))
        before = TicketStatus.REQUESTED
        for step, after in enumerate(PATHS[status], start=1):
            by_partner = after in (TicketStatus.IN_PROGRESS, TicketStatus.DONE)
            note = {TicketStatus.DONE: done_note, TicketStatus.REOPENED: reopen_reason}.get(after, "")
            ticket.events.append(TicketEvent(actor=partner_user if by_partner else commune_user,
                                             at=_at(filed_on + timedelta(days=3 * step), 14), from_status=before,
                                             to_status=after, note=note))
            before = after
        db.session.add(ticket)

