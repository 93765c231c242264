from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.films.fields import CREDIT_ROLES, FILM_STATUSES
from showcase.forms import choices
from showcase.labels import LABELS
from showcase.validation import parse_id

STATUS_CHOICES = [(s, LABELS["film_status"][s]) for s in FILM_STATUSES]  # (value, label): the film list filters by them


class FilmForm(FlaskForm):
    title = StringField(_l("Original title"))
    title_en = StringField(_l("English title"))
    slug = StringField(_l("Slug (blank: made from the title)"))
    runtime_seconds = IntegerField(_l("Runtime (seconds)"), validators=[Optional()])
    year = IntegerField(_l("Year"), validators=[Optional()])
    country = StringField(_l("Country"))
    language = StringField(_l("Language"))
    subtitles = StringField(_l("Subtitles"))
    content_advisory = StringField(_l("Content advisory"))
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES), default="submitted")
    synopsis = TextAreaField(_l("Synopsis"))
    synopsis_en = TextAreaField(_l("English synopsis"))
    external_id = StringField(_l("Submission id"))
    contact_email = EmailField(_l("Contact e-mail"))
    version = HiddenField()

    def values(self) -> dict:
        skip = {"csrf_token", "version"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class CreditForm(FlaskForm):
    name = StringField(_l("Name"))
    name_en = StringField(_l("Name in English"))
    role = SelectField(
        _l("Role"), choices=choices((r, LABELS["credit_role"][r]) for r in CREDIT_ROLES), default="director"
    )


class PosterForm(FlaskForm):
    poster = FileField(
        _l("Poster image (JPEG, PNG or WebP, up to 10 MB)"), render_kw={"accept": "image/jpeg,image/png,image/webp"}
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES))


class MediaForm(FlaskForm):
    media_asset_id = SelectField(_l("Video file"), choices=[], validate_choice=False)

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
        _l("Submissions file: CSV (UTF-8, UTF-16 or GB18030) or Excel .xlsx; up to 10 MB"),
        render_kw={
            "accept": ".csv,.txt,.xlsx,text/csv,text/plain,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
