"""Outreach activities of the unions and communes, with totals per unit and kind."""
from flask import Blueprint

bp = Blueprint("outreach", __name__)

from app.outreach import routes  # noqa: E402,F401
