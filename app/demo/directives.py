"""Demo: the article's directive, its items fanned out to the right units, with history.

Dates are relative to the day the demo is loaded, so that every class is present: the team-coverage item's deadline
stands in for the article's 31/8/2022.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app.extensions import db
from app.models import (
    COMMUNE_LEVEL,
    Directive,
    DocType,
    Item,
    Kpi,
    Organization,
    OrgKind,
    Role,
    Task,
    TaskStatus,
    TaskUpdate,
    User,
)

ARTICLE_ITEMS = [
    # (title, description, deadline offset in days or None, KPI, lead group, co-operating units' short names)
    ("Tuyên truyền thay đổi nhận thức, thói quen làm việc của cán bộ, công chức, viên chức để ứng dụng công nghệ số",
     "Tổ chức quán triệt tại cơ quan; mỗi cán bộ sử dụng thành thạo các nền tảng số dùng chung.", 20, None,
     "communes", []),
    ("Tuyên truyền, phổ biến đến từng hộ gia đình, người dân về xã thông minh và chương trình chuyển đổi số",
     "Thông qua họp thôn, loa truyền thanh, nhóm Zalo thôn và đến từng hộ.", -10, None,
     "communes", ["Huyện Đoàn", "Hội LHPN"]),
    ("Làm nòng cốt tuyên truyền, vận động; hỗ trợ người dân, hộ kinh doanh đưa sản phẩm lên sàn thương mại điện tử",
     "Đoàn Thanh niên, Hội Phụ nữ hỗ trợ quảng bá hình ảnh, sản phẩm, dịch vụ, nét văn hóa đặc trưng lên môi trường "
     "mạng và các sàn thương mại điện tử.", 2, None, "unions", []),
    ("Thành lập Ban Chỉ đạo; xây dựng kế hoạch với doanh nghiệp; 100% thôn, khối phố có Tổ công nghệ cộng đồng",
     "Phối hợp VNPT, Viettel, Bưu điện huyện xây dựng kế hoạch phù hợp điều kiện thực tế.", 10, Kpi.TEAM_COVERAGE,
     "communes", ["VNPT", "Viettel", "Bưu điện"]),
    ("Theo dõi, hướng dẫn xây dựng xã thông minh, Tổ công nghệ cộng đồng; chỉ đạo thông tin tuyên truyền",
     "Trên phương tiện thông tin đại chúng, hệ thống truyền thanh cơ sở, mạng xã hội; kịp thời báo cáo, đề xuất "
     "UBND huyện.", None, None, "department", []),
    ("Hỗ trợ các xã, thị trấn triển khai chuyển đổi số và Tổ công nghệ cộng đồng; nâng cấp, hoàn thiện phần mềm",
     "Phối hợp chặt chẽ với Phòng Văn hóa và Thông tin huyện.", 30, None, "partners", ["Phòng VH-TT"]),
]

# Communes that had set up their teams when the article was written: their team item is done.
COMMUNES_WITH_TEAMS = {"Tam Phước", "Tam Dân", "Tam Thành", "Phú Thịnh"}


def _at(day: date, hour: int = 9) -> datetime:
    """A moment on `day`, Vietnamese office hours, stored in UTC."""
    return datetime.combine(day, time(hour)).replace(tzinfo=timezone.utc) - timedelta(hours=7)


def _lead_units(group: str) -> list[Organization]:
    kinds = {"communes": COMMUNE_LEVEL, "unions": (OrgKind.UNION,), "partners": (OrgKind.PARTNER,),
             "department": (OrgKind.DEPARTMENT,)}[group]
    return list(db.session.scalars(select(Organization).where(Organization.kind.in_(kinds))
                                   .order_by(Organization.sort_key)))


def _officer_of(unit: Organization) -> User | None:
    return db.session.scalar(select(User).where(User.organization_id == unit.id, User.role != Role.ADMIN)
                             .order_by(User.id))


def _plan(position: int, index: int, unit: Organization, deadline: date | None, today: date):
    """The demo state of one task: (status, progress, completed_on, note). Varied so every class shows."""
    if position == 4:
        if unit.short_name in COMMUNES_WITH_TEAMS:
            return TaskStatus.DONE, 100, today - timedelta(days=20), "Đã thành lập Tổ công nghệ cộng đồng ở 100% thôn."
        return TaskStatus.IN_PROGRESS, 0, None, "Đang rà soát, đề xuất thành phần Tổ."
    if position == 2:
        if index < 4:
            return TaskStatus.DONE, 100, deadline - timedelta(days=5), "Đã tuyên truyền đến các thôn."
        if index < 6:
            return TaskStatus.DONE, 100, today - timedelta(days=3), "Hoàn thành, chậm do mưa bão."
        return TaskStatus.IN_PROGRESS, 40 + 10 * (index % 4), None, "Đã họp được một số thôn."
    if position == 1:
        if index < 2:
            return TaskStatus.DONE, 100, today - timedelta(days=5), "Đã quán triệt toàn thể cán bộ."
        if index < 7:
            return TaskStatus.IN_PROGRESS, 20 + 10 * index, None, "Đang triển khai."
        return TaskStatus.ASSIGNED, 0, None, ""
    if position == 6 and index == 0:
        return TaskStatus.DONE, 100, today - timedelta(days=2), "Đã cài đặt, hướng dẫn phần mềm cho các xã."
    return TaskStatus.IN_PROGRESS, 30 + 20 * (index % 3), None, "Đang thực hiện."


def seed_directives(today: date) -> None:
    """The article's directive with six items assigned to communes, unions, the Culture Office and partners."""
    coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR).order_by(User.id))
    issued_on = today - timedelta(days=45)
    directive = Directive(
        number="1234/UBND-VP", doc_type=DocType.OFFICIAL_LETTER, issuer="UBND huyện Phú Ninh", issued_on=issued_on,
        signer="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH Trần Văn Minh",
        summary="V/v đẩy mạnh xây dựng xã thông minh và triển khai Tổ công nghệ cộng đồng thôn, khối phố",
        body="Đến trước hạn, 100% thôn, khối phố có Tổ công nghệ cộng đồng.",
        final_deadline=today + timedelta(days=30), created_by_id=coordinator.id if coordinator else None,
        organization_id=coordinator.organization_id if coordinator else None)
    db.session.add(directive)
    by_short_name = {u.short_name: u for u in db.session.scalars(select(Organization))}
    for position, (title, description, offset, kpi, group, cooperating) in enumerate(ARTICLE_ITEMS, start=1):
        deadline = today + timedelta(days=offset) if offset is not None else None
        item = Item(directive=directive, position=position, title=title, description=description,
                    default_deadline=deadline, kpi=kpi)
        db.session.add(item)
        for index, unit in enumerate(_lead_units(group)):
            status, progress, completed_on, note = _plan(position, index, unit, deadline, today)
            task = Task(item=item, lead_unit=unit, deadline=deadline, status=status, progress=progress,
                        completed_on=completed_on, cooperating_units=[by_short_name[n] for n in cooperating],
                        created_at=_at(issued_on))
            db.session.add(task)
            db.session.add(TaskUpdate(task=task, author=coordinator, at=_at(issued_on), old_status=None,
                                      new_status=TaskStatus.ASSIGNED, old_progress=None, new_progress=0, note=""))
            if status != TaskStatus.ASSIGNED:
                changed_on = completed_on or today - timedelta(days=1 + index % 5)
                db.session.add(TaskUpdate(task=task, author=_officer_of(unit), at=_at(changed_on, 15),
                                          old_status=TaskStatus.ASSIGNED, new_status=status, old_progress=0,
                                          new_progress=progress, note=note))
