"""The programmes blueprint: the printed programme and QR codes."""

from __future__ import annotations

from flask import Blueprint

from showcase.programmes import views

bp = Blueprint("programmes", __name__, url_prefix="/staff/festivals/<slug>/programme")

bp.add_url_rule("/", view_func=views.show_programme, methods=["GET"])
bp.add_url_rule("/programme.pdf", view_func=views.download_programme, methods=["GET"])
bp.add_url_rule("/cards.pdf", view_func=views.download_cards, methods=["GET"])
bp.add_url_rule("/films/<int:film_id>/qr.png", view_func=views.download_qr_png, methods=["GET"])
bp.add_url_rule("/films/<int:film_id>/qr.svg", view_func=views.download_qr_svg, methods=["GET"])
