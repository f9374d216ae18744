"""Importing a directive's items and assignments from an .xlsx sheet: template, upload, preview, import."""
from flask import Blueprint

bp = Blueprint("imports", __name__)

from app.imports import routes  # noqa: E402,F401
