"""Evidence files: checked by content, photos re-encoded, stored in the database once per content, served only to
those who see their owner."""
from flask import Blueprint

bp = Blueprint("evidence", __name__)

from app.evidence import routes  # noqa: E402,F401
