"""Units (Organization), the tree they form, and the villages of commune-level units.

The tree is data of any depth: a province node holds district nodes (or, since 1/7/2025, its communes
directly); a district node holds its office, departments, unions, partners' branches and communes. Each row
keeps its materialized path ("/1/7/12/": the ids from the root down to itself), so "the subtree of X" is
one index range: X.path <= path < X.path || "~" ("~" sorts after the digits and "/").
"""
from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    and_,
    case,
    event,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship, validates

from app.extensions import db
from app.vntext import fold, sort_key


class OrgKind(enum.StrEnum):
    DISTRICT_OFFICE = "district_office"
    DEPARTMENT = "department"
    COMMUNE = "commune"
    TOWN = "town"
    UNION = "union"
    PARTNER = "partner"
    STEERING_COMMITTEE = "steering_committee"
    # An administrative level that holds units: a province, a district (its level name says which).
    AREA = "area"


COMMUNE_LEVEL = (OrgKind.COMMUNE, OrgKind.TOWN)

# How unit pickers and tables group units: the district's own offices, communes with the town, unions, partners.
KIND_GROUPS = {
    OrgKind.DISTRICT_OFFICE: 0, OrgKind.STEERING_COMMITTEE: 0, OrgKind.DEPARTMENT: 1,
    OrgKind.COMMUNE: 2, OrgKind.TOWN: 2, OrgKind.UNION: 3, OrgKind.PARTNER: 4, OrgKind.AREA: 5,
}
# The byte order the subtree range needs: PostgreSQL's default collation may ignore "/" (en_US), C does not.
PATH_TYPE = String(255).with_variant(String(255, collation="C"), "postgresql")
PATH_END = "~"
TREE_ROOT = "/"  # the prefix of every path: the whole tree


class VillageKind(enum.StrEnum):
    VILLAGE = "village"
    URBAN_BLOCK = "urban_block"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR with a CHECK, portable across SQLite and PostgreSQL."""
    return Enum(cls, name=name, native_enum=False, create_constraint=True,
                values_callable=lambda e: [m.value for m in e], length=32)


def unique_where(name: str, column: str, condition: str) -> Index:
    """A unique index over the rows meeting `condition` (SQL), the same on SQLite and PostgreSQL: the database
    refuses a second such row, whoever writes it."""
    return Index(name, column, unique=True, sqlite_where=text(condition), postgresql_where=text(condition))


class Organization(db.Model):
    """A unit (đơn vị): the district office, a department, a commune, a union, a partner, ..."""

    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("name", name="uq_organization_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    # The level's own name, as the law names it: "tỉnh", "huyện", "thị xã", "xã", "phường", "đặc khu", ...
    level_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # "/<root id>/.../<own id>/", kept on insert and when a unit moves (the events below).
    path: Mapped[str] = mapped_column(PATH_TYPE, default="", server_default="", index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Vietnamese order of the name (app.vntext.sort_key), kept on write.
    sort_key: Mapped[str] = mapped_column(String(400), index=True, default="")

    parent: Mapped[Organization | None] = relationship(remote_side=[id])
    villages: Mapped[list[Village]] = relationship(back_populates="commune", order_by="Village.sort_key")

    @validates("name")
    def _keep_sort_key(self, key: str, name: str) -> str:
        self.sort_key = sort_key(name)
        return name

    @classmethod
    def kind_group(cls):
        """SQL: the group of the unit's kind (KIND_GROUPS), for ORDER BY."""
        return case(*((cls.kind == kind, group) for kind, group in KIND_GROUPS.items()), else_=9)

    @classmethod
    def picker_order(cls) -> tuple:
        """ORDER BY for unit lists and pickers: by group, then by name in Vietnamese order."""
        return cls.kind_group(), cls.sort_key

    @property
    def is_commune_level(self) -> bool:
        return self.kind in COMMUNE_LEVEL

    @property
    def is_area(self) -> bool:
        return self.kind == OrgKind.AREA

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included (read from the path)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @classmethod
    def within(cls, path: str):
        """SQL: units in the subtree whose root has `path` (the root included); an index range."""
        return and_(cls.path >= path, cls.path < path + PATH_END)

    def contains(self, other: Organization) -> bool:
        """Whether `other` is this unit or one of its descendants."""
        return other.path.startswith(self.path)

    def level_path(self) -> str:
        """The path of the nearest administrative level at or above this unit (its district, its province);
        TREE_ROOT when there is none (a one-district install, a unit at the top)."""
        if self.parent_id is None and not self.is_area:
            return TREE_ROOT
        path = db.session.scalar(select(Organization.path).where(
            Organization.id.in_(self.ancestor_ids), Organization.kind == OrgKind.AREA)
            .order_by(func.length(Organization.path).desc()).limit(1))
        return path or TREE_ROOT

    def __str__(self) -> str:
        return self.name

    @classmethod
    def communes_query(cls):
        """Active commune-level units, by name."""
        return (select(cls).where(cls.kind.in_(COMMUNE_LEVEL), cls.active.is_(True))
                .order_by(cls.sort_key))


def _path_under(connection, parent_id: int | None) -> str:
    if parent_id is None:
        return "/"
    return connection.scalar(select(Organization.path).where(Organization.id == parent_id)) or "/"


@event.listens_for(Organization, "after_insert")
def _set_path(mapper, connection, unit: Organization) -> None:
    """A new unit's path: its parent's, then its own id (known only now)."""
    path = f"{_path_under(connection, unit.parent_id)}{unit.id}/"
    connection.execute(update(Organization.__table__).where(Organization.id == unit.id).values(path=path))
    attributes.set_committed_value(unit, "path", path)


@event.listens_for(Organization, "after_update")
def _move_subtree(mapper, connection, unit: Organization) -> None:
    """A unit given another parent takes its whole subtree along: every path under the old one is rewritten."""
    if not (attributes.get_history(unit, "parent_id").has_changes()
            or attributes.get_history(unit, "parent").has_changes()):
        return
    old = connection.scalar(select(Organization.path).where(Organization.id == unit.id))
    new = f"{_path_under(connection, unit.parent_id)}{unit.id}/"
    if old == new:
        return
    table = Organization.__table__
    connection.execute(update(table).where(and_(table.c.path >= old, table.c.path < old + PATH_END))
                       .values(path=literal(new) + func.substr(table.c.path, len(old) + 1)))
    attributes.set_committed_value(unit, "path", new)


class Village(db.Model):
    """A village (thôn) or urban block (khối phố) of one commune-level unit."""

    __tablename__ = "village"
    # Names repeat across communes (An Mỹ, Xuân Phú): unique only within a commune.
    __table_args__ = (UniqueConstraint("commune_id", "name", name="uq_village_commune_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[VillageKind] = mapped_column(_enum(VillageKind, "village_kind"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    # False for the placeholder names the demo gives to villages whose real name is not known yet.
    name_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_key: Mapped[str] = mapped_column(String(400), default="")
    # The name folded (app.vntext.fold), kept on write, for searches that ignore case and diacritics.
    search_text: Mapped[str] = mapped_column(String(120), default="", server_default="")

    commune: Mapped[Organization] = relationship(back_populates="villages")

    @validates("name")
    def _keep_sort_key(self, key: str, name: str) -> str:
        self.sort_key = sort_key(name)
        self.search_text = fold(name)[:120]
        return name

    def __str__(self) -> str:
        return self.name
