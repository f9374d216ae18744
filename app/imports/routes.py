"""Import routes: the template, the upload with its preview, and the confirmed import."""
from __future__ import annotations

from flask import Response, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import config
from app.exports.sheets import XLSX_TYPE
from app.extensions import db
from app.forms import submit
from app.htmx import redirect_to, render
from app.imports import bp, services
from app.imports.forms import ConfirmForm, UploadForm
from app.imports.reader import FileRefused, read_upload
from app.imports.template import template_workbook
from app.models import Directive
from app.permissions import get_or_404, require
from app.request_limits import body_limit
from app.rules import RuleError

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
    if not form.validate_on_submit():
        return _page(directive, form, 422)
    try:
        rows, digest = read_upload(form.sheet.data, max_bytes)
        planned, errors = services.check_rows(directive, rows, current_user)
    except FileRefused as refusal:
        form.sheet.errors.append(refusal.message)
        return _page(directive, form, 422)
    except RuleError as refusal:
        form.form_errors.append(refusal.message)
        return _page(directive, form, 422)
    if errors:
        return _page(directive, form, 422, errors=errors, row_count=len(rows))
    draft = services.keep_draft(directive, current_user, digest, form.sheet.data.filename, rows)
    return _page(directive, form, planned=planned, confirm_form=ConfirmForm(formdata=None, digest=draft.digest))


def _problems(directive: Directive, draft) -> dict:
    """The rows' problems found again, for the page that says why the import was refused."""
    try:
        planned, errors = services.check_rows(directive, services.draft_rows(draft), current_user)
    except RuleError:
        return {}
    return {"errors": errors, "row_count": len(planned) + len(errors)}


@bp.post("/directives/<int:directive_id>/import/confirm")
@require("directive.manage")
def confirm(directive_id: int):
    """Import the previewed rows, all of them in one transaction, or nothing."""
    directive = _directive(directive_id)
    form = ConfirmForm()
    draft = services.find_draft(directive, current_user, form.digest.data or "") if form.validate() else None
    if draft is None:
        upload_form = UploadForm(formdata=None)
        upload_form.form_errors.append(_("This preview is no longer available: upload the file again."))
        return _page(directive, upload_form, 422)
    items = submit(form, lambda: services.import_draft(directive, current_user, draft))
    if items is None:
        db.session.rollback()
        upload_form = UploadForm(formdata=None)
        upload_form.form_errors.extend(form.form_errors)
        return _page(directive, upload_form, 422, **_problems(directive, draft))
    flash(_("%(count)d items imported and assigned.", count=len(items)), "success")
    return redirect_to(url_for("directives.show", directive_id=directive.id))
