"""Forms of the playlist editor and the control room (every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.kiosks.payloads import COMMANDS
from showcase.validation import optional_id


class NewPlaylistForm(FlaskForm):
    title = StringField(_l("Title"))
    title_en = StringField(_l("English title"))


class FromSessionForm(FlaskForm):
    session_id = SelectField(
        _l("Running order of"),
        coerce=optional_id,
        validate_choice=False,
        invalid_value_message=_l("That is not one of this festival's sessions."),
    )


class FromAwardsForm(FlaskForm):
    mode = SelectField(_l("Announce in this order"), validate_choice=False)


class CardForm(FlaskForm):
    title = StringField(_l("Title"))
    title_en = StringField(_l("English title"))
    text = TextAreaField(_l("Card text (empty: the titles)"))
    seconds = FloatField(_l("Seconds on screen"), default=8, validators=[Optional()])
    hold = FloatField(_l("Hold after it (seconds)"), default=0, validators=[Optional()])


class ItemForm(FlaskForm):
    hold = FloatField(_l("Hold after (s)"), validators=[Optional()])
    seconds = FloatField(_l("Seconds"), validators=[Optional()])
    text = TextAreaField(_l("Card text"))


class MoveForm(FlaskForm):
    direction = HiddenField()


class ActionForm(FlaskForm):
    """A button with nothing but the CSRF token (publish, remove)."""


class CommandForm(FlaskForm):
    command = SelectField(_l("Command"), choices=[SelectChoice(c) for c in COMMANDS], validate_choice=False)
    item_key = SelectField(_l("Item"), validate_choice=False, validators=[Optional()])


class AssignForm(FlaskForm):
    playlist_id = SelectField(
        _l("Playlist"),
        coerce=optional_id,
        validate_choice=False,
        invalid_value_message=_l("That is not one of the playlists."),
    )
