"""The jobs blueprint: a job's page, its status for the page's script, and its result file."""

from __future__ import annotations

from flask import Blueprint

from showcase.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/staff/jobs")

bp.add_url_rule("/<int:job_id>", view_func=views.show_job, methods=["GET"])
bp.add_url_rule("/<int:job_id>/status", view_func=views.job_status, methods=["GET"])
bp.add_url_rule("/<int:job_id>/download", view_func=views.download_result, methods=["GET"])
