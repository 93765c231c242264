from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.films.fields import CREDIT_ROLES, FILM_STATUSES
from showcase.forms import choices
from showcase.validation import parse_id

STATUS_CHOICES = [(s, s.capitalize()) for s in FILM_STATUSES]  # (value, label): the film list filters by them


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
    status = SelectField("Status", choices=choices(STATUS_CHOICES), default="submitted")
    synopsis = TextAreaField("Synopsis")
    synopsis_en = TextAreaField("English synopsis")
    external_id = StringField("Submission id")
    contact_email = EmailField("Contact e-mail")
    version = HiddenField()

    def values(self) -> dict:
        skip = {"csrf_token", "version"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class CreditForm(FlaskForm):
    name = StringField("Name")
    name_en = StringField("Name in English")
    role = SelectField("Role", choices=choices((r, r.capitalize()) for r in CREDIT_ROLES), default="director")


class PosterForm(FlaskForm):
    poster = FileField(
        "Poster image (JPEG, PNG or WebP, up to 10 MB)", render_kw={"accept": "image/jpeg,image/png,image/webp"}
    )


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=choices(STATUS_CHOICES))


class MediaForm(FlaskForm):
    media_asset_id = SelectField("Video file", choices=[], validate_choice=False)

    def asset_id(self) -> int | None:
        """The chosen asset id, None for "no video"; a value that is not a number counts as none."""
        return parse_id(self.media_asset_id.data)


class MoveForm(FlaskForm):
    """A button that moves or removes one item: only the CSRF token and a direction."""

    direction = HiddenField()

    def offset(self) -> int:
        return -1 if self.direction.data == "up" else 1


class ImportForm(FlaskForm):
    file = FileField(
        "Submissions CSV (UTF-8, UTF-16 or GB18030; up to 10 MB)", render_kw={"accept": ".csv,.txt,text/csv,text/plain"}
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
