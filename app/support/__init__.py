"""Partner support tickets: a commune asks a partner enterprise; the partner does it; the commune confirms."""
from flask import Blueprint

bp = Blueprint("support", __name__)

from app.support import routes  # noqa: E402,F401
