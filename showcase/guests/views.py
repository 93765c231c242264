"""The guests blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("guests", __name__)
