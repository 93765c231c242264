"""The awards blueprint: categories, winners and the embargo."""

from __future__ import annotations

from flask import Blueprint

from showcase.awards import views
from showcase.awards.present import staff_prize

bp = Blueprint("awards", __name__, url_prefix="/staff/festivals/<slug>/awards")
bp.add_app_template_global(staff_prize, "prize")

bp.add_url_rule("/", view_func=views.list_awards, methods=["GET"])
bp.add_url_rule("/categories", view_func=views.create_category, methods=["POST"])
bp.add_url_rule("/categories/<int:category_id>/edit", view_func=views.edit_category, methods=["GET", "POST"])
bp.add_url_rule("/categories/<int:category_id>/move", view_func=views.move_category, methods=["POST"])
bp.add_url_rule("/categories/<int:category_id>/winners", view_func=views.add_winner, methods=["POST"])
bp.add_url_rule("/winners/<int:award_id>/edit", view_func=views.edit_award, methods=["GET", "POST"])
bp.add_url_rule("/winners/<int:award_id>/delete", view_func=views.remove_award, methods=["POST"])
for rule, endpoint, view in views.reveal_routes():
    bp.add_url_rule(rule, endpoint, view, methods=["POST"])
