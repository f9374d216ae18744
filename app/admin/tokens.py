"""API tokens of every user, for an administrator to revoke (a lost laptop, a user who left)."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.admin import bp
from app.auth import tokens
from app.forms import Form, submit
from app.htmx import redirect_to, render
from app.models import ApiToken
from app.models.user import utcnow
from app.pager import paginate
from app.permissions import get_or_404, require, scoped


@bp.get("/tokens")
@require("admin.manage")
def tokens_index():
    """Every API token of the administrator's district or province, newest first, with its user and state."""
    stmt = scoped(ApiToken, current_user).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
    return render("admin/tokens.html", page=paginate(stmt), now=utcnow(), revoke_form=Form(formdata=None))


@bp.post("/tokens/<int:token_id>/revoke")
@require("admin.manage")
def revoke_token(token_id: int):
    """Revoke any user's token."""
    token = get_or_404(ApiToken, token_id, current_user, "admin.manage")
    form = Form()
    if submit(form, lambda: tokens.revoke_token(token, actor=current_user)) is not None:
        flash(_("Token revoked."), "success")
    else:
        for error in form.form_errors:
            flash(error, "error")
    return redirect_to(url_for("admin.tokens_index"))
