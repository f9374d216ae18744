"""What an uploaded file is (by its bytes), making photos safe to share, and storing files as blobs + attachments."""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree  # an uploaded file's XML: no entity expansion, no external entities
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, AttachmentBlob, FileKind, User
from app.rules import RuleError

MIME_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {FileKind.PDF: "pdf", FileKind.JPEG: "jpg", FileKind.PNG: "png", FileKind.DOCX: "docx",
              FileKind.XLSX: "xlsx"}
# The main part an Office file must declare in [Content_Types].xml (macro-enabled variants declare others).
OFFICE_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": FileKind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileKind.XLSX,
}
CONTENT_TYPES_MAX = 256 * 1024  # [Content_Types].xml is a few KB; a huge one is not an Office file
PREVIEW_SIZE = (320, 320)
MAX_PIXELS = 40_000_000  # a photo of a phone is ~12 Mpx; more is a decompression bomb


class FileRefused(RuleError):
    """An upload that is not one of the five kinds, too large, or damaged; the message goes on the files field."""

    def __init__(self, message):
        super().__init__(message, field="files")


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes (read up to one byte past the limit)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file accepted for storage: what it is, its stored bytes (re-encoded for photos) and preview."""

    filename: str
    kind: FileKind
    data: bytes
    preview: bytes | None


def sniff(data: bytes) -> FileKind | None:
    """The kind of a file from its content alone; None for anything else."""
    if data.startswith(b"%PDF-"):
        return FileKind.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            root = ElementTree.fromstring(archive.read(info))
            names = set(archive.namelist())
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, RuntimeError, ValueError):
        return None
    for element in root:
        if element.tag.endswith("Override"):
            kind = OFFICE_MAIN_PARTS.get(element.get("ContentType", ""))
            if kind is not None and element.get("PartName", "").lstrip("/") in names:
                return kind
    return None


def _reencoded(data: bytes, kind: FileKind) -> tuple[bytes, bytes]:
    """A photo drawn again from its pixels (EXIF, GPS and anything hidden after the image are gone), upright,
    and a small JPEG preview."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise FileRefused(_l("The image is too large (more than 40 megapixels)."))
            image.load()
            image = ImageOps.exif_transpose(image)
            if kind == FileKind.JPEG or image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGB")
            out = io.BytesIO()
            if kind == FileKind.JPEG:
                image.save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
            thumb = image.convert("RGB")
            thumb.thumbnail(PREVIEW_SIZE)
            small = io.BytesIO()
            thumb.save(small, "JPEG", quality=75)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise FileRefused(_l("The image cannot be read: it may be damaged.")) from error
    return out.getvalue(), small.getvalue()


def safe_filename(filename: str, kind: FileKind) -> str:
    """The name shown and offered on download: no folders, no control characters, the extension of its kind."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*;]", "", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{(stem or 'tep')[:150]}.{EXTENSIONS[kind]}"


def check(uploads: list[Upload], max_bytes: int, max_files: int) -> list[CheckedFile]:
    """Every upload accepted, or FileRefused for the first that is not (nothing is stored either way)."""
    uploads = [upload for upload in uploads if upload.filename or upload.data]
    if len(uploads) > max_files:
        raise FileRefused(_l("Attach at most %(n)d files at once.", n=max_files))
    checked = []
    for upload in uploads:
        if not upload.data:
            raise FileRefused(_l("The file %(name)s is empty.", name=upload.filename))
        if len(upload.data) > max_bytes:
            raise FileRefused(_l("The file %(name)s is larger than %(mb)d MB.", name=upload.filename,
                                 mb=max_bytes // (1024 * 1024)))
        kind = sniff(upload.data)
        if kind is None:
            raise FileRefused(_l("%(name)s: only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files can be "
                                 "attached.", name=upload.filename))
        data, preview = _reencoded(upload.data, kind) if kind in (FileKind.JPEG, FileKind.PNG) else (upload.data,
                                                                                                   None)
        checked.append(CheckedFile(safe_filename(upload.filename, kind), kind, data, preview))
    return checked


def accepted(uploads: list[Upload]) -> list[CheckedFile]:
    """check() with the limits of the settings (ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES)."""
    config = current_app.config
    return check(uploads, config["ATTACHMENT_MAX_BYTES"], config["ATTACHMENT_MAX_FILES"])


def attach(files: list[CheckedFile], *, actor: User | None, **owner) -> list[Attachment]:
    """Add the files to the session under one owner (task_update_id=…, team_id=…); equal bytes share one blob."""
    rows = []
    for file in files:
        digest = hashlib.sha256(file.data).hexdigest()
        if db.session.get(AttachmentBlob, digest) is None:
            db.session.add(AttachmentBlob(sha256=digest, size=len(file.data), data=file.data, preview=file.preview))
            db.session.flush()
        rows.append(Attachment(blob_sha256=digest, filename=file.filename, kind=file.kind, size=len(file.data),
                               uploaded_by_id=actor.id if actor else None, **owner))
    db.session.add_all(rows)
    return rows


def attachments_of(**owner) -> list[Attachment]:
    """The files of one owner, oldest first (bounded by what one owner can hold)."""
    (column, value), = owner.items()
    return list(db.session.scalars(select(Attachment).where(getattr(Attachment, column) == value)
                                   .order_by(Attachment.id).limit(100)))


def attachments_by_update(update_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files of the given history rows, by row."""
    found: dict[int, list[Attachment]] = {}
    if update_ids:
        for row in db.session.scalars(select(Attachment).where(Attachment.task_update_id.in_(update_ids))
                                      .order_by(Attachment.id)):
            found.setdefault(row.task_update_id, []).append(row)
    return found
