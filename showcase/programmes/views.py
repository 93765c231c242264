"""The programmes blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/staff/festivals/<slug>/programme")
