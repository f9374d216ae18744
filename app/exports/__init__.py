"""Downloads: the task list, a directive's grid and the period report as .xlsx and .csv."""
from flask import Blueprint

bp = Blueprint("exports", __name__)

from app.exports import routes  # noqa: E402,F401
