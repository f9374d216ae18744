"""The dashboard and /healthz."""
from flask import jsonify
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.htmx import render
from app.main import bp
from app.permissions import public, require


@bp.get("/")
@require("dashboard.view")
def dashboard():
    """The signed-in user's overview."""
    return render("main/dashboard.html", user=current_user)


@bp.get("/healthz")
@public
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
