"""Community Technology Teams per village, their members, and coverage per commune."""
from flask import Blueprint

bp = Blueprint("teams", __name__)

from app.teams import coverage, routes  # noqa: E402,F401  (coverage also gives Task its computed progress)
