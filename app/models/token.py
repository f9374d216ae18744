"""Personal API tokens: only a hash of the secret is kept; the secret is shown once, when the token is made."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import as_utc
from app.extensions import db
from app.models.user import User, utcnow


class ApiToken(db.Model):
    """A named bearer token of one user, valid until it expires or is revoked."""

    __tablename__ = "api_token"
    __table_args__ = (
        # A user's tokens on /account, newest first.
        Index("ix_api_token_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    # sha256 of the secret, hex: the secret has 256 random bits, so a slow hash would add nothing.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the secret's first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def is_valid(self, now: datetime) -> bool:
        """Not revoked, not expired, and its user may still sign in."""
        return self.revoked_at is None and as_utc(self.expires_at) > now and self.user.can_sign_in
