"""Word documents in the Decree 30/2020 form: the urging letter to a unit, the period report."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from app.documents import routes  # noqa: E402,F401
