"""Directive register, items and assignment of items to units."""
from flask import Blueprint

bp = Blueprint("directives", __name__)

from app.directives import correction_routes, routes  # noqa: E402,F401
