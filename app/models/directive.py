"""Directives, their items, and the tasks that assign an item to units."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.org import Organization, _enum
from app.models.user import User, utcnow
from app.vntext import fold


class DocType(enum.StrEnum):
    OFFICIAL_LETTER = "official_letter"  # công văn
    PLAN = "plan"  # kế hoạch
    DECISION = "decision"  # quyết định
    INSTRUCTION = "instruction"  # chỉ thị
    NOTICE = "notice"  # thông báo
    RESOLUTION = "resolution"  # nghị quyết
    DISPATCH = "dispatch"  # công điện
    GUIDANCE = "guidance"  # hướng dẫn
    PROGRAMME = "programme"  # chương trình


class Kpi(enum.StrEnum):
    """Indicators computed from the registry instead of typed progress."""

    TEAM_COVERAGE = "team_coverage"


class Recurrence(enum.StrEnum):
    """How often a periodic reporting item comes round: the periods of app.reports.periods (Decree 09/2019)."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class TaskStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # completion reported, awaiting the district office's review
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)

# Stored in the database (generated columns, SQLite >= 3.31, PostgreSQL >= 12) so that overdue and due-soon filters
# are plain range conditions an index serves, never a CASE in a WHERE. Changing CLOSED_STATUSES needs a migration
# that regenerates `open_deadline`; a new open status (anything not closed) needs none.
_EFFECTIVE_DEADLINE_SQL = "coalesce(extended_deadline, deadline)"
_OPEN_DEADLINE_SQL = (f"CASE WHEN status IN ({', '.join(repr(s.value) for s in CLOSED_STATUSES)}) THEN NULL"
                      f" ELSE {_EFFECTIVE_DEADLINE_SQL} END")


class TaskClass(enum.StrEnum):
    """The class a task is counted in on a given day (rules in app.tasks.classes)."""

    OPEN_ON_TIME = "open_on_time"
    OPEN_OVERDUE = "open_overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    NO_DEADLINE = "no_deadline"
    CANCELLED = "cancelled"  # outside the four classes, counted beside them


class Directive(db.Model):
    """A directive document (văn bản chỉ đạo) that the district office follows up."""

    __tablename__ = "directive"
    __table_args__ = (UniqueConstraint("issuer", "number", name="uq_directive_issuer_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))  # số ký hiệu, e.g. 1234/UBND-VP
    doc_type: Mapped[DocType] = mapped_column(_enum(DocType, "doc_type"))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(500))  # trích yếu
    body: Mapped[str] = mapped_column(Text, default="")
    final_deadline: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The issuing level's unit (a district's or a province's office): whose subtree manages the directive.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Cancelled as a whole (its open tasks cancelled with the reason); None while it is followed up.
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Number and summary folded (app.vntext.fold), kept on write, for searches that ignore case and diacritics.
    search_text: Mapped[str] = mapped_column(String(600), default="", server_default="")

    items: Mapped[list[Item]] = relationship(back_populates="directive", order_by="Item.position",
                                             cascade="all, delete-orphan")

    @validates("number", "summary")
    def _keep_search_text(self, key: str, value: str) -> str:
        number = value if key == "number" else self.number
        summary = value if key == "summary" else self.summary
        self.search_text = fold(f"{number or ''} {summary or ''}")[:600]
        return value

    def __str__(self) -> str:
        return self.number


class Item(db.Model):
    """One numbered task of a directive (nhiệm vụ), assigned to one or many units."""

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("directive_id", "position", name="uq_item_directive_id_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directive.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    default_deadline: Mapped[date | None] = mapped_column(Date)
    kpi: Mapped[Kpi | None] = mapped_column(_enum(Kpi, "kpi"))
    kpi_target: Mapped[int] = mapped_column(Integer, default=100, server_default="100")  # percent, with the KPI
    # A periodic report: every period a new task per unit, created by `flask deliver` (app.directives.recurring).
    recurrence: Mapped[Recurrence | None] = mapped_column(_enum(Recurrence, "recurrence"))
    # A reported completion waits for the district office's acceptance; off: "done" is final at once.
    review_required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A completion report must carry at least one evidence file.
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The title folded (app.vntext.fold), kept on write, for searches that ignore case and diacritics.
    search_text: Mapped[str] = mapped_column(String(300), default="", server_default="")

    directive: Mapped[Directive] = relationship(back_populates="items")
    tasks: Mapped[list[Task]] = relationship(back_populates="item")

    @validates("title")
    def _keep_search_text(self, key: str, title: str) -> str:
        self.search_text = fold(title)[:300]
        return title

    @property
    def short_title(self) -> str:
        """The first words of the title, for a column head; the full title goes beside it."""
        if len(self.title) <= SHORT_TITLE_LENGTH:
            return self.title
        return self.title[:SHORT_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:.-") + "…"

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


SHORT_TITLE_LENGTH = 28


task_cooperator = Table(
    "task_cooperator", db.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), primary_key=True, index=True),
)


class Task(db.Model):
    """One unit's share of an item: a lead unit, co-operating units, a deadline, status and progress."""

    __tablename__ = "task"
    __table_args__ = (
        # One task per unit and item, and per period for a periodic item ("" for the others).
        UniqueConstraint("item_id", "lead_unit_id", "period", name="uq_task_item_id_lead_unit_id_period"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        # The API's task list: keyset pages on (updated_at, id), "updated since" a moment.
        Index("ix_task_updated_at_id", "updated_at", "id"),
        # Lists ordered by the deadline in force (then id) read these in order: overdue and due soon through
        # open_deadline, the task list and its keyset pager through effective_deadline.
        Index("ix_task_open_deadline_id", "open_deadline", "id"),
        Index("ix_task_effective_deadline_id", "effective_deadline", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    # The first day of the reporting period of a periodic item's task (ISO date), "" for a one-off task.
    period: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # The original deadline above is never overwritten; a later decision (a coordinator's adjustment, an approved
    # extension) is kept here with who made it, when and why, and the effective deadline is this, else `deadline`.
    extended_deadline: Mapped[date | None] = mapped_column(Date)
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    extended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    extension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "task_status"), default=TaskStatus.ASSIGNED,
                                               index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[date | None] = mapped_column(Date)
    # The deadline in force (the decision, else the original) and the same for an open task only (NULL once done or
    # cancelled); generated by the database from the columns above, read-only here.
    effective_deadline_column: Mapped[date | None] = mapped_column(
        "effective_deadline", Date, Computed(_EFFECTIVE_DEADLINE_SQL, persisted=True))
    open_deadline: Mapped[date | None] = mapped_column(Date, Computed(_OPEN_DEADLINE_SQL, persisted=True))
    # Optimistic locking: every change goes through app.locking.compare_and_set, which moves the version (the API's
    # ETag), so a change from a stale form or a concurrent request is a Conflict.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    item: Mapped[Item] = relationship(back_populates="tasks")
    lead_unit: Mapped[Organization] = relationship(foreign_keys=[lead_unit_id])
    extended_by: Mapped[User | None] = relationship(foreign_keys=[extended_by_id])
    cooperating_units: Mapped[list[Organization]] = relationship(secondary=task_cooperator,
                                                                 order_by=Organization.sort_key)
    updates: Mapped[list[TaskUpdate]] = relationship(back_populates="task", order_by="TaskUpdate.id.desc()")

    @classmethod
    def effective_deadline_expr(cls):
        """SQL: the approved extension, else the original deadline (the stored column, which indexes serve)."""
        return cls.effective_deadline_column

    @property
    def effective_deadline(self) -> date | None:
        return self.extended_deadline or self.deadline


class TaskUpdate(db.Model):
    """One change of a task (status, progress, assignment or a note); append-only history."""

    __tablename__ = "task_update"
    # A task's history, newest first, a page at a time: without the id in the index PostgreSQL walks the primary key
    # backwards through every task's updates (60 ms at 510,000 rows) rather than read the task's few.
    __table_args__ = (Index("ix_task_update_task_id_id", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    old_status: Mapped[TaskStatus | None] = mapped_column(_enum(TaskStatus, "old_status"))
    new_status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "new_status"))
    old_progress: Mapped[int | None] = mapped_column(Integer)
    new_progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    # Other fields the change touched (deadline, co-operating units), as app.audit tags them: {field: [old, new]}.
    changes: Mapped[dict | None] = mapped_column(JSON)

    task: Mapped[Task] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
