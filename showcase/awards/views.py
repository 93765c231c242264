"""The awards blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("awards", __name__, url_prefix="/staff/festivals/<slug>/awards")
