"""The village form: the commune field only for those who may move or create villages."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form, strip
from app.labels import VILLAGE_KIND_LABELS, choices


class VillageForm(Form):
    commune_id = SelectField(_l("Commune / town"), coerce=int, validate_choice=True)
    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(message=_l("Enter the village's name.")), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(VILLAGE_KIND_LABELS))
