from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.films.models import FILM_STATUSES


class FilmForm(FlaskForm):
    title = StringField("Original title")
    title_en = StringField("English title")
    slug = StringField("Slug (blank: made from the title)")
    runtime_seconds = IntegerField("Runtime (seconds)", validators=[Optional()])
    year = IntegerField("Year", validators=[Optional()])
    country = StringField("Country")
    language = StringField("Language")
    subtitles = StringField("Subtitles")
    content_advisory = StringField("Content advisory")
    status = SelectField("Status", choices=[(s, s.capitalize()) for s in FILM_STATUSES], default="submitted")
    synopsis = TextAreaField("Synopsis")
    synopsis_en = TextAreaField("English synopsis")
    external_id = StringField("Submission id")
    contact_email = EmailField("Contact e-mail")
    version = HiddenField()

    def values(self) -> dict:
        skip = {"csrf_token", "version"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}
