"""The upload form and the confirming form of an import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from app.forms import Form
from app.imports.services import PREVIEW_GONE


class UploadForm(Form):
    sheet = FileField(_l("Excel file (.xlsx)"), validators=[FileRequired(_l("Choose the .xlsx file to import."))])


class ConfirmForm(Form):
    digest = HiddenField(validators=[DataRequired(PREVIEW_GONE), Regexp(r"^[0-9a-f]{64}$", message=PREVIEW_GONE)])
