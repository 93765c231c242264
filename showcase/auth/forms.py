from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired

from showcase.auth.models import ROLES
from showcase.labels import LABELS


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    remember = BooleanField(_l("Keep me signed in on this device (30 days)"))


class LogoutForm(FlaskForm):
    pass


class LanguageForm(FlaskForm):
    """The top bar's language switch: 'zh', 'en', or empty to follow the browser."""

    language = StringField(_l("Language"))
    next = StringField()


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"))
    name = StringField(_l("Name"))
    role = SelectField(_l("Role"), choices=[SelectChoice(r, LABELS["role"][r]) for r in ROLES], default="viewer")
    password = PasswordField(_l("Initial password"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"))
    new = PasswordField(_l("New password"))
