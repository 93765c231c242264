from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired

from showcase.auth.models import ROLES


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])
    remember = BooleanField("Keep me signed in on this device (30 days)")


class LogoutForm(FlaskForm):
    pass


class UserForm(FlaskForm):
    email = EmailField("E-mail")
    name = StringField("Name")
    role = SelectField("Role", choices=[SelectChoice(r, r.capitalize()) for r in ROLES], default="viewer")
    password = PasswordField("Initial password")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password")
    new = PasswordField("New password")
