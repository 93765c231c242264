"""The workspace blueprint: the staff dashboard, festival overviews, the film list and film pages."""

from __future__ import annotations

from flask import Blueprint

from showcase.workspace import views

FILMS = "/staff/festivals/<slug>/films"

bp = Blueprint("workspace", __name__)

bp.add_url_rule("/staff/", view_func=views.dashboard, methods=["GET"])
bp.add_url_rule("/staff/festivals/<slug>", view_func=views.show_festival, methods=["GET"])
bp.add_url_rule(f"{FILMS}/", view_func=views.list_films, methods=["GET"])
bp.add_url_rule(f"{FILMS}/search", view_func=views.search_films, methods=["GET"])
bp.add_url_rule(f"{FILMS}/<int:film_id>", view_func=views.show_film, methods=["GET"])
bp.add_url_rule(f"{FILMS}/<int:film_id>/status", view_func=views.change_status, methods=["POST"])
