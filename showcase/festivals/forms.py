from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.validation import FestivalYear


class FestivalForm(FlaskForm):
    name = StringField(_l("Name"))
    name_en = StringField(_l("English name"))
    edition = StringField(_l("Edition"))
    slug = StringField(_l("Slug (used in addresses)"))
    start_date = DateField(_l("First day"), validators=[Optional(), FestivalYear()])
    end_date = DateField(_l("Last day"), validators=[Optional(), FestivalYear()])
    timezone = StringField(_l("Time zone (IANA name)"), default="Asia/Shanghai")
    public_base_url = StringField(_l("Public base URL for QR codes"))
    welcome = TextAreaField(_l("Welcome text"))
    welcome_en = TextAreaField(_l("English welcome text"))
    published = BooleanField(_l("Published to guests"))

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
