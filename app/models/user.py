"""Users: one role, exactly one unit."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import as_utc
from app.extensions import db
from app.models.org import Organization, _enum

_hasher = PasswordHasher()  # argon2id with the library's current parameters
# Checked against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("dummy password for timing")


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MONITOR = "monitor"
    OFFICER = "officer"


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class User(UserMixin, db.Model):
    """A person who signs in; what they may do follows from role and organization."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on sign-out-everywhere, password change and deactivation: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Brute-force protection, in the database so that every worker sees the same count.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set by an administrator's password reset: the user must choose their own password before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The daily email digest of the unit's tasks (app.digest); a user may turn it off on /account.
    email_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    organization: Mapped[Organization] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def can_sign_in(self) -> bool:
        """An active user of an active unit: deactivating a unit shuts out its users too."""
        return self.active and self.organization.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def spend_password_check_time(password: str) -> None:
        """Verify against a dummy hash so an unknown username costs as long as a wrong password."""
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass

    def is_locked(self, now: datetime) -> bool:
        """Whether sign-in is refused until locked_until (SQLite gives naive UTC datetimes back)."""
        return self.locked_until is not None and as_utc(self.locked_until) > now

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued so far."""
        self.session_version += 1

    def __str__(self) -> str:
        return self.full_name
