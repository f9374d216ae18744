"""The file field every evidence form shares, and reading what it received within the size limit."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField

from app.evidence.files import Upload
from app.forms import Form

FILES_HINT = _l("PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx), up to %(mb)d MB each; photos lose their location data.")


def files_field(id: str | None = None):
    """The file input; a page with two upload forms gives one of them another `id` (labels point by id)."""
    return MultipleFileField(_l("Evidence files"), id=id)


def files_hint() -> str:
    return FILES_HINT % {"mb": current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)}


def uploads_of(field) -> list[Upload]:
    """The files the field received, each read up to one byte past the limit (so a larger one is told apart)."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    return [Upload(storage.filename or "", storage.read(limit + 1)) for storage in (field.data or [])
            if storage is not None and getattr(storage, "filename", None)]


def upload_body_limit(config) -> int:
    """The body an upload route accepts: its files at their largest, plus the form around them."""
    return config["ATTACHMENT_MAX_BYTES"] * config["ATTACHMENT_MAX_FILES"] + config["MAX_CONTENT_LENGTH"]


class AttachForm(Form):
    """Files for a directive, team or outreach activity."""

    files = files_field()


