"""Static files under names that carry their content's hash, cached by browsers and proxies for a year.

`url_for("static", filename="css/app.css")` gives `/static/css/app.<12 hex digits>.css`: a new version of a file
has a new name, so the old name may be cached forever (`Cache-Control: public, max-age=31536000, immutable`). The
plain name still answers, revalidated on every use, for links that cannot know the hash (bookmarks, e-mails).
No build step: the hash is computed from the file the first time it is asked for, again when the file changes.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from flask import Flask, abort, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

IMMUTABLE_MAX_AGE = 31536000  # one year, the customary longest (HTTP/1.1 once allowed no more)
DIGEST_LENGTH = 12
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$")

# filename -> (mtime_ns, size, digest): a file is read again only when it changed.
_digests: dict[str, tuple[int, int, str]] = {}


def digest(filename: str) -> str | None:
    """The first hex digits of the SHA-256 of a static file, None when there is no such file."""
    path = safe_join(current_app.static_folder, filename)
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    known = _digests.get(path)
    if known and known[:2] == (info.st_mtime_ns, info.st_size):
        return known[2]
    value = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:DIGEST_LENGTH]
    _digests[path] = (info.st_mtime_ns, info.st_size, value)
    return value


def hashed_name(filename: str) -> str:
    """`css/app.css` as `css/app.<digest>.css`; unchanged when the file does not exist or has no suffix."""
    value = digest(filename)
    head, dot, suffix = filename.rpartition(".")
    if value is None or not dot or "/" in suffix:
        return filename
    return f"{head}.{value}.{suffix}"


def _add_hash(endpoint: str, values: dict) -> None:
    """url_for's hook: static URLs get the hashed name (once: a name that already carries one is kept)."""
    if endpoint == "static" and "filename" in values and not HASHED_NAME.match(values["filename"]):
        values["filename"] = hashed_name(values["filename"])


def serve(filename: str):
    """A static file: under its hashed name for a year; under its plain name or another hash, revalidated.

    Another hash is what a server still running the previous release is asked for during a rolling upgrade
    (the page came from an upgraded server): it answers with the file it has, but never lets that be cached
    under the new name.
    """
    match = HASHED_NAME.match(filename)
    plain = f"{match['stem']}{match['suffix']}" if match else filename
    current = digest(plain)
    if current is None and plain != filename:  # a file whose own name merely looks hashed
        plain, current = filename, digest(filename)
    if current is None:
        abort(404)
    immutable = plain != filename and match["digest"] == current
    response = send_from_directory(current_app.static_folder, plain,
                                   max_age=IMMUTABLE_MAX_AGE if immutable else None)
    response.cache_control.immutable = immutable or None
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that leave static files alone.

    Flask-Login looks into the session on every response, which makes Flask send `Vary: Cookie`; on a static file
    that would make browsers fetch it again whenever the session cookie is renewed (every minute of use).
    """

    def save_session(self, app, session, response):
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Hash static URLs and serve the hashed names."""
    app.url_defaults(_add_hash)
    app.view_functions["static"] = serve
    app.session_interface = SessionInterface()
