"""Administration: units and users (admins only); villages are kept on /villages."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import routes, token_routes  # noqa: E402,F401
