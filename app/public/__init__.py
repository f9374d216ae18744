"""The public page: coverage and teams per village for residents, without signing in."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import routes  # noqa: E402,F401
