"""The festivals blueprint: creating and editing festival editions."""

from __future__ import annotations

from flask import Blueprint

from showcase.festivals import views

bp = Blueprint("festivals", __name__, url_prefix="/staff")

bp.add_url_rule("/festivals/new", view_func=views.create_festival, methods=["GET", "POST"])
bp.add_url_rule("/festivals/<slug>/edit", view_func=views.edit_festival, methods=["GET", "POST"])
