"""Opening a file (a download, to those who see its owner) and attaching files to directives, teams, outreach."""
from __future__ import annotations

import io

from flask import abort, flash, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import undefer

from app.evidence import bp, services
from app.evidence.files import MIME_TYPES, attachments_of
from app.evidence.forms import AttachForm, files_hint, upload_body_limit, uploads_of
from app.extensions import db
from app.forms import form_status, submit
from app.htmx import redirect_to
from app.models import Attachment, AttachmentBlob, Directive, OutreachActivity, Team
from app.permissions import get_or_404, require
from app.request_limits import body_limit

# Served files are never rendered as a page of this site: a download, in a sandbox, type as checked on upload.
FILE_CSP = "sandbox; default-src 'none'"


def _visible_attachment(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    model, owner_id = services.owner_of(attachment)
    get_or_404(model, owner_id, current_user)
    return attachment


def _sandboxed(response):
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/files/<int:attachment_id>")
@require("attachment.view")
def download(attachment_id: int):
    """The file as a download with its safe name, to users who may see its owner (others 404)."""
    attachment = _visible_attachment(attachment_id)
    data = db.session.get(AttachmentBlob, attachment.blob_sha256, options=[undefer(AttachmentBlob.data)]).data
    return _sandboxed(send_file(io.BytesIO(data), mimetype=MIME_TYPES[attachment.kind], as_attachment=True,
                                download_name=attachment.filename, max_age=0))


@bp.get("/files/<int:attachment_id>/preview")
@require("attachment.view")
def preview(attachment_id: int):
    """A photo's small preview (JPEG) for lists; 404 for other files."""
    attachment = _visible_attachment(attachment_id)
    blob = db.session.get(AttachmentBlob, attachment.blob_sha256, options=[undefer(AttachmentBlob.preview)])
    if blob.preview is None:
        abort(404)
    return _sandboxed(send_file(io.BytesIO(blob.preview), mimetype="image/jpeg", max_age=0))


def _add(model: type, owner_id: int, page):
    """Store the files on the owner (the action OWNERS names allowing it) and go back to its page, whose URL takes
    the same id as this one; refused: `page` again with the form's message (422)."""
    owner = get_or_404(model, owner_id, current_user, services.OWNERS[model][1])
    form = AttachForm()
    if submit(form, lambda: services.add_files(owner, current_user, uploads_of(form.files))) is None:
        return page(owner, attach_form=form, status=form_status(form))
    flash(_("Files attached."), "success")
    return redirect_to(url_for(OWNER_PAGES[model], **request.view_args))


# The page each owner's files are listed on.
OWNER_PAGES = {Directive: "directives.show", Team: "teams.show", OutreachActivity: "outreach.edit"}


@bp.post("/directives/<int:directive_id>/files")
@body_limit(upload_body_limit)
@require("directive.manage")
def add_to_directive(directive_id: int):
    """Attach files (the signed document) to a directive."""
    from app.directives.routes import show_page
    return _add(Directive, directive_id, show_page)


@bp.post("/teams/<int:team_id>/files")
@body_limit(upload_body_limit)
@require("team.manage")
def add_to_team(team_id: int):
    """Attach files (the founding decision) to a team."""
    from app.teams.routes import show_page
    return _add(Team, team_id, show_page)


@bp.post("/outreach/<int:activity_id>/files")
@body_limit(upload_body_limit)
@require("outreach.log")
def add_to_activity(activity_id: int):
    """Attach files (photos, attendance lists) to an outreach activity."""
    from app.outreach.routes import edit_page
    return _add(OutreachActivity, activity_id, edit_page)


@bp.app_template_global()
def new_attach_form() -> AttachForm:
    """An empty attach form for an owner page (a refused one is passed as `attach_form`)."""
    return AttachForm(formdata=None)


@bp.app_template_global()
def files_of(owner) -> list[Attachment]:
    """The files of a directive, team or outreach activity, for its page."""
    return attachments_of(**{services.OWNERS[type(owner)][0]: owner.id})


@bp.app_template_global()
def evidence_hint() -> str:
    return files_hint()
