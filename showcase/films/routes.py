"""The films blueprint: the film workspace and the CSV import."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge

from showcase.films import import_views, views

bp = Blueprint("films", __name__, url_prefix="/staff/festivals/<slug>/films")

bp.add_url_rule("/export.<any(csv, xlsx):fmt>", view_func=views.export_films, methods=["GET"])
bp.add_url_rule("/new", view_func=views.create_film, methods=["GET", "POST"])
bp.add_url_rule("/<int:film_id>/edit", view_func=views.edit_film, methods=["GET", "POST"])
bp.add_url_rule("/<int:film_id>/credits", view_func=views.add_credit, methods=["POST"])
bp.add_url_rule("/<int:film_id>/credits/<int:credit_id>/move", view_func=views.move_credit, methods=["POST"])
bp.add_url_rule("/<int:film_id>/credits/<int:credit_id>/delete", view_func=views.remove_credit, methods=["POST"])
bp.add_url_rule("/<int:film_id>/poster", view_func=views.upload_poster, methods=["POST"])
bp.add_url_rule("/<int:film_id>/poster/delete", view_func=views.remove_poster, methods=["POST"])
bp.add_url_rule("/<int:film_id>/media", view_func=views.choose_media, methods=["POST"])
bp.add_url_rule("/media/scan", view_func=views.scan_media, methods=["POST"])
bp.add_url_rule("/import", view_func=import_views.import_films, methods=["GET", "POST"])
bp.add_url_rule("/import/confirm", view_func=import_views.confirm_import, methods=["POST"])
bp.register_error_handler(RequestEntityTooLarge, import_views.too_large)
