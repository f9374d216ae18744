"""Following up deadlines: notifications (the bell), instructions, urging, the working-day calendar, email status."""
from flask import Blueprint

bp = Blueprint("followup", __name__)


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's number for the signed-in user (base.html shows it on every page)."""
    from flask_login import current_user

    from app.notifications import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


@bp.app_template_global()
def instructions_of(**target):
    """The instructions on a task or directive (the pages' shared _followup.html)."""
    from app.followup.services import instructions_of as query

    return query(**target)


@bp.app_template_global()
def instruction_form():
    """An empty instruction form (its CSRF token) for the pages' shared _followup.html."""
    from app.followup.forms import InstructionForm

    return InstructionForm(formdata=None)


from app.followup import routes  # noqa: E402,F401
