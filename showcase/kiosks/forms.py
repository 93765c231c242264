"""Forms of the playlist editor and the control room (every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.kiosks.payloads import COMMANDS
from showcase.validation import optional_id


class NewPlaylistForm(FlaskForm):
    title = StringField("Title")
    title_en = StringField("English title")


class FromSessionForm(FlaskForm):
    session_id = SelectField(
        "Running order of",
        coerce=optional_id,
        validate_choice=False,
        invalid_value_message="That is not one of this festival's sessions.",
    )


class FromAwardsForm(FlaskForm):
    mode = SelectField("Announce in this order", validate_choice=False)


class CardForm(FlaskForm):
    title = StringField("Title")
    title_en = StringField("English title")
    text = TextAreaField("Card text (empty: the titles)")
    seconds = FloatField("Seconds on screen", default=8, validators=[Optional()])
    hold = FloatField("Hold after it (seconds)", default=0, validators=[Optional()])


class ItemForm(FlaskForm):
    hold = FloatField("Hold after (s)", validators=[Optional()])
    seconds = FloatField("Seconds", validators=[Optional()])
    text = TextAreaField("Card text")


class MoveForm(FlaskForm):
    direction = HiddenField()


class ActionForm(FlaskForm):
    """A button with nothing but the CSRF token (publish, remove)."""


class CommandForm(FlaskForm):
    command = SelectField("Command", choices=[SelectChoice(c) for c in COMMANDS], validate_choice=False)
    item_key = SelectField("Item", validate_choice=False, validators=[Optional()])


class AssignForm(FlaskForm):
    playlist_id = SelectField(
        "Playlist", coerce=optional_id, validate_choice=False, invalid_value_message="That is not one of the playlists."
    )
