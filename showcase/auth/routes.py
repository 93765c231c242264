"""The auth blueprint: sign-in, sign-out, own password, staff accounts."""

from __future__ import annotations

from flask import Blueprint

from showcase.auth import views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/account/password", view_func=views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/language", view_func=views.set_language, methods=["POST"])
bp.add_url_rule("/staff/users", view_func=views.list_users, methods=["GET"])
bp.add_url_rule("/staff/users/new", view_func=views.create_user, methods=["GET", "POST"])
