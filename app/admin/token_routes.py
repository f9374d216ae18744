"""API tokens of every user, for an administrator to revoke (a lost laptop, a user who left)."""
from flask import url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.admin import bp
from app.auth.token_routes import revoke
from app.forms import Form
from app.htmx import render
from app.models import ApiToken, User
from app.models.user import utcnow
from app.pager import paginate
from app.permissions import get_or_404, require, scoped


@bp.get("/tokens")
@require("admin.manage")
def tokens_index():
    """Every API token of the administrator's district or province, newest first, with its user and state."""
    stmt = (scoped(ApiToken, current_user).options(joinedload(ApiToken.user).joinedload(User.organization))
            .order_by(ApiToken.id.desc()))  # is_valid() asks whether the user's unit is active
    return render("admin/tokens.html", page=paginate(stmt), now=utcnow(), revoke_form=Form(formdata=None))


@bp.post("/tokens/<int:token_id>/revoke")
@require("admin.manage")
def revoke_token(token_id: int):
    """Revoke any user's token."""
    token = get_or_404(ApiToken, token_id, current_user)
    return revoke(token, url_for("admin.tokens_index"))
