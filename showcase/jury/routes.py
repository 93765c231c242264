"""The jury blueprint: a juror's pages under /jury, and staff's view of a festival's judging."""

from __future__ import annotations

from flask import Blueprint

from showcase.jury import staff_views, views

bp = Blueprint("jury", __name__)

FILM = "/jury/rounds/<int:round_id>/films/<int:film_id>"
bp.add_url_rule("/jury/", view_func=views.home, methods=["GET"])
bp.add_url_rule("/jury/rounds/<int:round_id>/", view_func=views.show_round, methods=["GET"])
bp.add_url_rule(FILM, view_func=views.score_film, methods=["GET", "POST"])
bp.add_url_rule(f"{FILM}/score", view_func=views.save_score, methods=["POST"])
bp.add_url_rule(f"{FILM}/video", view_func=views.film_video, methods=["GET"])
bp.add_url_rule(f"{FILM}/conflict", view_func=views.declare_conflict, methods=["POST"])

STAFF = "/staff/festivals/<slug>/jury"
bp.add_url_rule(f"{STAFF}/", view_func=staff_views.list_rounds, methods=["GET"])
bp.add_url_rule(f"{STAFF}/rounds/<int:round_id>", view_func=staff_views.show_results, methods=["GET"])
bp.add_url_rule(f"{STAFF}/rounds/<int:round_id>/winners", view_func=staff_views.propose_winners, methods=["POST"])
bp.add_url_rule(f"{STAFF}/rounds", view_func=staff_views.create_round, methods=["POST"])
bp.add_url_rule(f"{STAFF}/rounds/<int:round_id>/manage", view_func=staff_views.manage_round, methods=["POST"])
