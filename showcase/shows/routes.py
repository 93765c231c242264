"""The shows blueprints: the staff's live show pages (caller, stage, as-run) and the show-controller API.

The API is a blueprint of its own, `show_api`, which create_app exempts from CSRF as an object: show
controllers authenticate with staff API tokens (bearer), never cookies. The staff pages keep CSRF.
"""

from __future__ import annotations

from flask import Blueprint

from showcase.shows import api, asrun_views, views

bp = Blueprint("shows", __name__, url_prefix="/staff/festivals/<slug>/sessions/<int:session_id>/show")
bp.add_url_rule("/", view_func=views.show_caller, methods=["GET"])
bp.add_url_rule("/stage", view_func=views.show_stage, methods=["GET"])
bp.add_url_rule("/state.json", view_func=views.show_state, methods=["GET"])
bp.add_url_rule("/events", view_func=views.show_events, methods=["GET"])
bp.add_url_rule(
    "/<any(go, back, rehearse, pause, resume, end, reset, take_over, message, prepare):command>",
    view_func=views.command_show,
    methods=["POST"],
)
bp.add_url_rule("/as-run.<any(csv, pdf):fmt>", view_func=asrun_views.download_as_run, methods=["GET"])

api_bp = Blueprint("show_api", __name__, url_prefix="/api/shows")
api_bp.add_url_rule("/<int:session_id>", view_func=api.get_show, methods=["GET"])
api_bp.add_url_rule("/<int:session_id>/events", view_func=api.show_events, methods=["GET"])
api_bp.add_url_rule(
    "/<int:session_id>/<any(go, back, rehearse, end, reset):command>", view_func=api.command_show, methods=["POST"]
)
