from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.validation import FestivalYear


class FestivalForm(FlaskForm):
    name = StringField("Name")
    name_en = StringField("English name")
    edition = StringField("Edition")
    slug = StringField("Slug (used in addresses)")
    start_date = DateField("First day", validators=[Optional(), FestivalYear()])
    end_date = DateField("Last day", validators=[Optional(), FestivalYear()])
    timezone = StringField("Time zone (IANA name)", default="Asia/Shanghai")
    public_base_url = StringField("Public base URL for QR codes")
    welcome = TextAreaField("Welcome text")
    welcome_en = TextAreaField("English welcome text")
    published = BooleanField("Published to guests")

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
