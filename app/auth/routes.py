"""Sign-in, sign-out and the language switch."""
from flask import abort, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import bp
from app.auth.forms import LoginForm, PasswordChangeForm
from app.auth.rate_limit import login_limit
from app.auth.services import authenticate, end_sessions
from app.auth.services import change_password as change_own_password
from app.auth.sessions import safe_next, sign_in, sign_out
from app.extensions import limiter
from app.forms import form_status, submit
from app.htmx import redirect_to, render
from app.permissions import public, require


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@public
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect_to(url_for("main.dashboard"), code=302)
    form = LoginForm(next=request.args.get("next", ""))
    user = submit(form, lambda: authenticate(form.username.data, form.password.data))
    if user is None:
        return render("auth/login.html", "login_form", form=form, status=form_status(form))
    sign_in(user)
    return redirect_to(safe_next(form.next.data) or url_for("main.dashboard"))


@bp.post("/logout")
@public
def logout():
    """Sign out: this session and every copy of it, on every device, stop working."""
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect_to(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@require("account.use")
def change_password():
    """Change one's own password: the current one first, then the new one twice."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if submit(form, lambda: change_own_password(user, current=form.current_password.data,
                                                new=form.new_password.data, actor=user)):
        sign_in(user)  # this session carries on with the new session version; the others have ended
        flash(_("Your password has been changed. Other devices have been signed out."), "success")
        return redirect_to(url_for("main.dashboard"))
    return render("auth/password.html", form=form, forced=user.must_change_password,
                  status=form_status(form))


@bp.post("/language/<code>")
@public
def set_language(code: str):
    """Switch the interface language between Vietnamese and English."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect_to(safe_next(request.form.get("next")) or url_for("main.dashboard"))
