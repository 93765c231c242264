from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from showcase.schedule.models import SESSION_KINDS


class SessionForm(FlaskForm):
    title = StringField("Title")
    title_en = StringField("English title")
    kind = SelectField("Kind", choices=[(k, k.capitalize()) for k in SESSION_KINDS], default="screening")
    screen_id = SelectField("Screen", coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    starts_at = DateTimeLocalField("Starts (festival time)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ends_at = DateTimeLocalField("Ends (festival time)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    public = BooleanField("Public (shown to guests)", default=True)
    description = TextAreaField("Description")
    description_en = TextAreaField("English description")
    version = HiddenField()
