"""An uploaded sheet kept between its preview and the confirmed import."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.user import utcnow


class ImportDraft(db.Model):
    """The rows read from an uploaded .xlsx, found again by the file's SHA-256 when the import is confirmed.

    Kept server-side so the confirming form carries only the hash (no re-upload, nothing the browser could alter);
    deleted when imported, and replaced by the user's next upload for the same directive.
    """

    __tablename__ = "import_draft"
    __table_args__ = (UniqueConstraint("created_by_id", "directive_id", "digest",
                                       name="uq_import_draft_created_by_id_directive_id_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the uploaded file
    directive_id: Mapped[int] = mapped_column(ForeignKey("directive.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[list] = mapped_column(JSON)  # [SheetRow.to_json(), ...]
