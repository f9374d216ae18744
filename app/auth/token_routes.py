"""The account page: the daily email switch, and one's own API tokens, made (the secret shown once) and revoked."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import mail
from app.auth import bp, services, tokens
from app.auth.forms import DigestForm, TokenForm
from app.forms import Form, form_status, submit
from app.htmx import redirect_to, render
from app.models import ApiToken
from app.models.user import utcnow
from app.permissions import get_own_or_404, require


def _account_page(form: TokenForm, status: int = 200, secret: str | None = None):
    return render("auth/account.html", form=form, tokens=tokens.tokens_of(current_user), secret=secret,
                  now=utcnow(), revoke_form=Form(formdata=None), status=status,
                  digest_form=DigestForm(formdata=None, obj=current_user), mail_on=mail.configured())


@bp.post("/account/email")
@require("account.use")
def email_settings():
    """Turn one's daily email on or off."""
    form = DigestForm()
    if submit(form, lambda: services.set_email_digest(current_user, form.email_digest.data)) is not None:
        flash(_("Settings saved."), "success")
    return redirect_to(url_for("auth.account"))


@bp.get("/account")
@require("account.use")
def account():
    """The account page: password link, API tokens."""
    return _account_page(TokenForm(formdata=None))


@bp.post("/account/tokens")
@require("account.use")
def create_token():
    """Make a token; its secret is in this response only (never in a cookie, a flash message or a log)."""
    form = TokenForm()
    made = submit(form, lambda: tokens.create_token(actor=current_user, name=form.name.data, days=form.days.data))
    if made is None:
        return _account_page(form, status=form_status(form))
    return _account_page(TokenForm(formdata=None), secret=made[1])


@bp.post("/account/tokens/<int:token_id>/revoke")
@require("account.use")
def revoke_token(token_id: int):
    """Revoke one of one's own tokens; another user's token is not found."""
    token = get_own_or_404(ApiToken, token_id, current_user, ApiToken.user_id)
    return revoke(token, url_for("auth.account"))


def revoke(token, back: str):
    """Revoke a token on the confirmed form and go back to `back`, saying whether it was done (the account page
    and the administrators' list of tokens both do it this way)."""
    form = Form()
    if submit(form, lambda: tokens.revoke_token(token, actor=current_user)) is not None:
        flash(_("Token revoked."), "success")
    else:
        for error in form.form_errors:
            flash(error, "error")
    return redirect_to(back)
