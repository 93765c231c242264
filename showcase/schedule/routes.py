"""The schedule blueprint: sessions and their running orders."""

from __future__ import annotations

from flask import Blueprint

from showcase.schedule import people_views, running_order_views, views

bp = Blueprint("schedule", __name__, url_prefix="/staff/festivals/<slug>/sessions")

bp.add_url_rule("/", view_func=views.list_sessions, methods=["GET"])
bp.add_url_rule("/grid", view_func=views.show_grid, methods=["GET"])
bp.add_url_rule("/grid.css", view_func=views.show_grid_css, methods=["GET"])
bp.add_url_rule("/new", view_func=views.create_session, methods=["GET", "POST"])
bp.add_url_rule("/<int:session_id>/edit", view_func=views.edit_session, methods=["GET", "POST"])
bp.add_url_rule("/<int:session_id>/people", view_func=people_views.edit_session_people, methods=["GET", "POST"])
bp.add_url_rule("/people/search", view_func=people_views.search_people, methods=["GET"])
bp.add_url_rule(
    "/<int:session_id>/running-order", view_func=running_order_views.edit_running_order, methods=["GET", "POST"]
)
bp.add_url_rule("/<int:session_id>/cue-sheet", view_func=running_order_views.show_cue_sheet, methods=["GET"])
