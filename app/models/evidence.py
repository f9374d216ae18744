"""Evidence files: the bytes once per content (a blob keyed by its SHA-256), and one attachment row per use."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.org import _enum
from app.models.user import User, utcnow


class FileKind(enum.StrEnum):
    """What a file is, as its content says (never its name or the browser's type)."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    DOCX = "docx"
    XLSX = "xlsx"


class AttachmentBlob(db.Model):
    """A file's bytes, stored once however many attachments use them; in the database, so every app server and
    every backup sees them."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # A small JPEG for lists (photos only).
    preview: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


OWNER_COLUMNS = ("task_update_id", "outreach_activity_id", "team_id", "directive_id")


class Attachment(db.Model):
    """One file attached to exactly one owner: a task update (a completion report is one), an outreach activity,
    a team (its founding decision) or a directive (the signed document)."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(" + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in OWNER_COLUMNS)
                        + " = 1", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blob.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned; shown and offered on download
    kind: Mapped[FileKind] = mapped_column(_enum(FileKind, "file_kind"))
    size: Mapped[int] = mapped_column(Integer)
    task_update_id: Mapped[int | None] = mapped_column(ForeignKey("task_update.id"), index=True)
    outreach_activity_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_activity.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    blob: Mapped[AttachmentBlob] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def has_preview(self) -> bool:
        return self.kind in (FileKind.JPEG, FileKind.PNG)
