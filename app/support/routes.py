"""Partner support: the ticket list, filing, one ticket's page, and the four transitions."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.clock import today
from app.forms import form_status, submit
from app.htmx import is_fragment_request, redirect_to, render
from app.models import SupportTicket
from app.pager import paginate
from app.permissions import get_or_404, require, ticket_side
from app.support import bp, services
from app.support.forms import WHOLE_COMMUNE, TicketForm, TransitionForm

TICKET_FIELDS = ("partner_id", "kind", "village_id", "description", "wanted_by")
DONE_MESSAGES = {"take": _l("Ticket taken."), "done": _l("Marked done."), "confirm": _l("Confirmed."),
                 "reopen": _l("Reopened.")}


@bp.get("/support")
@require("support.view")
def index():
    """The tickets the user may see, open ones first, overdue ones highlighted."""
    status_filter = request.args.get("status", "")
    page = paginate(services.tickets_for(current_user, status_filter), args={"status": status_filter}, rows=True)
    return render("support/index.html", "ticket_list", page=page, status_filter=status_filter,
                  can_file=bool(services.requesting_units(current_user)))


@bp.route("/support/new", methods=["GET", "POST"])
@require("support.request")
def new():
    """A commune asks a partner for support."""
    communes = services.requesting_units(current_user) or abort(403)
    form = TicketForm()
    if len(communes) == 1:
        del form.commune_id
    else:
        form.commune_id.choices = [(unit.id, unit.name) for unit in communes]
    form.partner_id.choices = [(unit.id, unit.name) for unit in services.partners(current_user)]
    form.village_id.choices = [(WHOLE_COMMUNE, _("The whole commune"))] + [
        (village.id, f"{village.name} ({village.commune.short_name})" if form.commune_id else village.name)
        for village in services.villages_of([unit.id for unit in communes])]
    ticket = submit(form, lambda: services.file_ticket(
        actor=current_user, commune_id=form.commune_id.data if form.commune_id else communes[0].id,
        submission_key=form.submission_key.data, **{name: getattr(form, name).data for name in TICKET_FIELDS}))
    if ticket:
        flash(_("Ticket sent to %(partner)s.", partner=ticket.partner.name), "success")
        return redirect_to(url_for("support.show", ticket_id=ticket.id))
    return render("support/new.html", "form", form=form, status=form_status(form))


@bp.get("/support/<int:ticket_id>")
@require("support.view")
def show(ticket_id: int):
    """One ticket with its history and the actions open to the user."""
    ticket = get_or_404(SupportTicket, ticket_id, current_user)
    return render("support/show.html", ticket=ticket, overdue=services.is_overdue(ticket, today()),
                  form=TransitionForm(formdata=None), action=None)


@bp.post("/support/<int:ticket_id>/<any(take, done):action>")
@require("support.work")
def work(ticket_id: int, action: str):
    """The partner takes a ticket or marks it done with a note."""
    return _transition(ticket_id, action)


@bp.post("/support/<int:ticket_id>/<any(confirm, reopen):action>")
@require("support.review")
def review(ticket_id: int, action: str):
    """The commune confirms the work or reopens the ticket with a reason."""
    return _transition(ticket_id, action)


def _transition(ticket_id: int, action: str):
    """Load (404), authorise the side (403), apply (a status moved meanwhile: 409); htmx gets the ticket's row back,
    a plain form a redirect or the page."""
    ticket = get_or_404(SupportTicket, ticket_id, current_user, ticket_side(action))
    form = TransitionForm()
    moved = submit(form, lambda: services.move(ticket, action, actor=current_user, version=form.version.data,
                                               note=form.note.data))
    status = 200 if moved else form_status(form)
    conflict = status == 409
    if moved and not is_fragment_request():
        flash(DONE_MESSAGES[action], "success")
        back = request.form.get("back")
        return redirect_to(url_for("support.show", ticket_id=ticket.id) if back == "ticket"
                           else url_for("support.index"))
    context = dict(ticket=ticket, overdue=services.is_overdue(ticket, today()), form=form, action=action,
                   conflict=conflict)
    if is_fragment_request():
        return render("support/index.html", "ticket_row", moved=bool(moved), status=status, **context)
    return render("support/show.html", status=status, **context)
