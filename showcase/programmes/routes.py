"""The programmes blueprint: the printed programme, table cards, QR codes, and a session's cue sheet PDF."""

from __future__ import annotations

from flask import Blueprint

from showcase.programmes import views

PROGRAMME = "/staff/festivals/<slug>/programme"

bp = Blueprint("programmes", __name__)

bp.add_url_rule(f"{PROGRAMME}/", view_func=views.show_programme, methods=["GET"])
bp.add_url_rule(f"{PROGRAMME}/build", view_func=views.start_build, methods=["POST"])
bp.add_url_rule(f"{PROGRAMME}/programme.pdf", view_func=views.download_programme, methods=["GET"])
bp.add_url_rule(f"{PROGRAMME}/programme.proof.txt", view_func=views.show_proof_report, methods=["GET"])
bp.add_url_rule(f"{PROGRAMME}/cards.pdf", view_func=views.download_cards, methods=["GET"])
bp.add_url_rule(f"{PROGRAMME}/films/<int:film_id>/qr.png", view_func=views.download_qr_png, methods=["GET"])
bp.add_url_rule(f"{PROGRAMME}/films/<int:film_id>/qr.svg", view_func=views.download_qr_svg, methods=["GET"])
# Beside the session's cue sheet page (schedule.show_cue_sheet); the PDF is the programmes package's.
bp.add_url_rule(
    "/staff/festivals/<slug>/sessions/<int:session_id>/cue-sheet.pdf", view_func=views.cue_sheet_pdf, methods=["GET"]
)
