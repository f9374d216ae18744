"""The village registry per commune: district staff edit any village, a commune its own villages' details."""
from flask import Blueprint

bp = Blueprint("villages", __name__)

from app.villages import routes  # noqa: E402,F401
