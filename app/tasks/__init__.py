"""Tasks: list, page, status updates."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)

from app.tasks import routes  # noqa: E402,F401
