"""The Phú Ninh demo: units, villages and users from the 2022 article (shared/domain)."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from sqlalchemy import func, select

from app.clock import today
from app.demo.directives import seed_directives
from app.demo.followup import seed_followup
from app.demo.registry import seed_registry
from app.demo.review import seed_review
from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village, VillageKind
from app.models.user import hash_password

UNITS_FILE = Path(__file__).with_name("phu_ninh_units.json")

# (username, role, unit name, short name, unit kind, full name of the user)
DISTRICT_USERS = [
    ("admin", Role.ADMIN, "Văn phòng HĐND và UBND huyện Phú Ninh", "VP HĐND-UBND", OrgKind.DISTRICT_OFFICE,
     "Quản trị hệ thống"),
    ("vanphong", Role.COORDINATOR, "Văn phòng HĐND và UBND huyện Phú Ninh", "VP HĐND-UBND", OrgKind.DISTRICT_OFFICE,
     "Nguyễn Thị Hồng Vân"),
    ("lanhdao", Role.MONITOR, "Ban Chỉ đạo Chuyển đổi số huyện Phú Ninh", "BCĐ CĐS", OrgKind.STEERING_COMMITTEE,
     "Trần Văn Minh"),
    ("vhtt", Role.MONITOR, "Phòng Văn hóa và Thông tin huyện Phú Ninh", "Phòng VH-TT", OrgKind.DEPARTMENT,
     "Lê Thị Thu Hà"),
    ("doanthanhnien", Role.OFFICER, "Huyện Đoàn Phú Ninh", "Huyện Đoàn", OrgKind.UNION, "Phạm Quốc Huy"),
    ("hoiphunu", Role.OFFICER, "Hội Liên hiệp Phụ nữ huyện Phú Ninh", "Hội LHPN", OrgKind.UNION, "Võ Thị Mỹ Linh"),
    ("vnpt", Role.OFFICER, "VNPT Quảng Nam", "VNPT", OrgKind.PARTNER, "Huỳnh Văn Tâm"),
    ("viettel", Role.OFFICER, "Viettel Quảng Nam", "Viettel", OrgKind.PARTNER, "Đặng Minh Tuấn"),
    ("buudien", Role.OFFICER, "Bưu điện huyện Phú Ninh", "Bưu điện", OrgKind.PARTNER, "Nguyễn Văn Phúc"),
]

COMMUNE_OFFICERS = ["Trương Văn Hải", "Nguyễn Thị Kim Oanh", "Lê Văn Sáu", "Phan Thị Bích", "Đoàn Văn Lợi",
                    "Hồ Thị Thanh Thủy", "Bùi Văn Nam", "Ngô Thị Lệ", "Trần Đình Khoa", "Mai Thị Hương",
                    "Châu Văn Đức"]

# Usernames follow the commune's name without diacritics; Tam Đàn and Tam Dân would collide.
USERNAME_OVERRIDES = {"Tam Đàn": "tamdann"}
PLACEHOLDER_NAME = "Thôn chưa rõ tên {n} (cần cập nhật)"
# The administrative levels above the demo's units: (name, short name, level name).
PROVINCE = ("Tỉnh Quảng Nam", "Quảng Nam", "tỉnh")
DISTRICT = ("Huyện Phú Ninh", "Phú Ninh", "huyện")


class DatabaseNotEmpty(Exception):
    """seed-demo refuses to mix the demo into existing data."""


def ascii_slug(name: str) -> str:
    """'Tam Phước' -> 'tamphuoc'."""
    name = name.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def database_is_empty() -> bool:
    """No units and no users yet."""
    return not (db.session.scalar(select(func.count()).select_from(Organization))
                or db.session.scalar(select(func.count()).select_from(User)))


def wipe() -> None:
    """Delete every row of every table (for --force)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def seed(password: str, force: bool = False) -> list[User]:
    """Load the demo and return its users; refuse a non-empty database unless forced."""
    if not database_is_empty():
        if not force:
            raise DatabaseNotEmpty
        wipe()
    # One argon2 hash for the shared demo password: hashing is deliberately slow.
    password_hash = hash_password(password)
    district = _seed_levels()
    users = _seed_district_users(password_hash, district) + _seed_communes(password_hash, district)
    db.session.flush()
    seed_directives(today())
    seed_registry(today())
    db.session.flush()
    seed_followup(today())
    db.session.commit()
    seed_review()
    return users


def _unit(name: str, short_name: str, kind: OrgKind, parent: Organization | None, level_name: str = ""
          ) -> Organization:
    unit = db.session.scalar(select(Organization).where(Organization.name == name))
    if unit is None:
        unit = Organization(name=name, short_name=short_name, kind=kind, active=True, parent=parent,
                            level_name=level_name)
        db.session.add(unit)
    return unit


def _seed_levels() -> Organization:
    """Quảng Nam province holding Phú Ninh district, which holds every unit of the demo; returns the district."""
    province = _unit(*PROVINCE[:2], OrgKind.AREA, None, PROVINCE[2])
    return _unit(*DISTRICT[:2], OrgKind.AREA, province, DISTRICT[2])


def _user(username: str, role: Role, unit: Organization, full_name: str, password_hash: str) -> User:
    user = User(username=username, role=role, organization=unit, full_name=full_name, active=True,
                session_version=1, password_hash=password_hash)
    db.session.add(user)
    return user


def _seed_district_users(password_hash: str, district: Organization) -> list[User]:
    return [_user(username, role, _unit(unit_name, short, kind, district), full_name, password_hash)
            for username, role, unit_name, short, kind, full_name in DISTRICT_USERS]


def _seed_communes(password_hash: str, district: Organization) -> list[User]:
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    users = []
    for entry, officer_name in zip(data["units"], COMMUNE_OFFICERS, strict=True):
        is_town = entry["type"] == "thi_tran"
        short = entry["name"].removeprefix("Thị trấn ").removeprefix("Xã ")
        level = "thị trấn" if is_town else "xã"
        unit = _unit(f"UBND {level} {short}", short, OrgKind.TOWN if is_town else OrgKind.COMMUNE, district, level)
        kind = VillageKind.URBAN_BLOCK if entry["sub_unit_type"] == "khoi_pho" else VillageKind.VILLAGE
        for sub in entry["sub_units"]:
            db.session.add(Village(name=sub["name"], kind=kind, commune=unit, name_confirmed=True))
        for n in range(1, entry["sub_unit_count"] - len(entry["sub_units"]) + 1):
            db.session.add(Village(name=PLACEHOLDER_NAME.format(n=n), kind=kind, commune=unit,
                                   name_confirmed=False))
        username = USERNAME_OVERRIDES.get(short, ascii_slug(short))
        users.append(_user(username, Role.OFFICER, unit, officer_name, password_hash))
    return users
