"""Units (Organization) and the villages of commune-level units."""
from __future__ import annotations

import enum

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint, case, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

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


COMMUNE_LEVEL = (OrgKind.COMMUNE, OrgKind.TOWN)

# How unit pickers and tables group units: the district's own offices, communes with the town, unions, partners.
KIND_GROUPS = {
    OrgKind.DISTRICT_OFFICE: 0, OrgKind.STEERING_COMMITTEE: 0, OrgKind.DEPARTMENT: 1,
    OrgKind.COMMUNE: 2, OrgKind.TOWN: 2, OrgKind.UNION: 3, OrgKind.PARTNER: 4,
}


class VillageKind(enum.StrEnum):
    VILLAGE = "village"
    URBAN_BLOCK = "urban_block"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR with a CHECK, portable across SQLite and PostgreSQL."""
    return Enum(cls, name=name, native_enum=False, create_constraint=True,
                values_callable=lambda e: [m.value for m in e], length=32)


class Organization(db.Model):
    """A unit (đơn vị): the district office, a department, a commune, a union, a partner, ..."""

    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("name", name="uq_organization_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
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

    def __str__(self) -> str:
        return self.name

    @classmethod
    def communes_query(cls):
        """Active commune-level units, by name."""
        return (select(cls).where(cls.kind.in_(COMMUNE_LEVEL), cls.active.is_(True))
                .order_by(cls.sort_key))


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
