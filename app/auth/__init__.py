"""Sign-in and sign-out."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes, token_routes  # noqa: E402,F401
