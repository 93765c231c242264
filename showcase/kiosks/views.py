"""The kiosks blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("kiosks", __name__)
