"""Import routes: the template, the upload with its preview, and the confirmed import."""
from __future__ import annotations

from flask import Response, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import config
from app.exports.sheets import XLSX_TYPE
from app.extensions import db
from app.forms import form_status, submit
from app.htmx import redirect_to, render
from app.imports import bp, services
from app.imports.forms import ConfirmForm, UploadForm
from app.imports.template import template_workbook
from app.models import Directive
from app.permissions import get_or_404, require
from app.request_limits import body_limit

# Room for the multipart envelope and the form's other fields around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _directive(directive_id: int) -> Directive:
    return get_or_404(Directive, directive_id, current_user, "directive.manage")


def _page(directive: Directive, form: UploadForm, status: int = 200, **preview):
    return render("imports/directive.html", directive=directive, form=form, status=status, **preview)


@bp.get("/directives/<int:directive_id>/import")
@require("directive.manage")
def start(directive_id: int):
    """The import page: the template to download and the upload form."""
    return _page(_directive(directive_id), UploadForm(formdata=None))


@bp.get("/directives/<int:directive_id>/import/template.xlsx")
@require("directive.manage")
def template(directive_id: int):
    """The blank sheet with the usual headings and the list of units."""
    response = Response(template_workbook(_directive(directive_id), current_user), mimetype=XLSX_TYPE)
    response.headers["Content-Disposition"] = "attachment; filename=mau-nhiem-vu.xlsx"
    return response


@bp.post("/directives/<int:directive_id>/import")
@body_limit(max_content_length=config.Config.IMPORT_MAX_BYTES + ENVELOPE_BYTES)  # before CSRF reads the body
@require("directive.manage")
def upload(directive_id: int):
    """Read the uploaded sheet and show what would be imported, or every problem by row and column."""
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    # The setting as this app has it (a test, an instance), for a body not read yet; the decorator's is the default.
    request.max_content_length = max_bytes + ENVELOPE_BYTES
    directive = _directive(directive_id)
    form = UploadForm()
    preview = submit(form, lambda: services.preview_upload(directive, current_user, form.sheet.data, max_bytes))
    if preview is None:
        return _page(directive, form, form_status(form), **_problems(form))
    return _page(directive, form, planned=preview.planned,
                 confirm_form=ConfirmForm(formdata=None, digest=preview.draft.digest))


def _problems(form) -> dict:
    """The rows' problems when the service refused the rows, for the table that lists them."""
    refusal = getattr(form, "refusal", None)
    if isinstance(refusal, services.RowsRefused):
        return {"errors": refusal.problems, "row_count": refusal.row_count}
    return {}


@bp.post("/directives/<int:directive_id>/import/confirm")
@require("directive.manage")
def confirm(directive_id: int):
    """Import the previewed rows, all of them in one transaction, or nothing."""
    directive = _directive(directive_id)
    form = ConfirmForm()
    items = submit(form, lambda: services.import_draft(directive, current_user, form.digest.data))
    if items is None:
        db.session.rollback()
        upload_form = UploadForm(formdata=None)  # the page shows the upload form again, with the confirm's refusal
        upload_form.form_errors.extend(message for messages in form.errors.values() for message in messages)
        return _page(directive, upload_form, form_status(form), **_problems(form))
    flash(_("%(count)d items imported and assigned.", count=len(items)), "success")
    return redirect_to(url_for("directives.show", directive_id=directive.id))
