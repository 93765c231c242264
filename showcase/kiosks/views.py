"""The kiosks blueprint: the kiosk API on it (CSRF-exempt, bearer tokens), staff pages in nested blueprints.

create_app exempts this blueprint from CSRF; nested blueprints have their own names, so the control room
and the playlist editor keep CSRF protection.
"""

from __future__ import annotations

from flask import Blueprint

from showcase.kiosks import api, control_views, playlist_views

bp = Blueprint("kiosks", __name__)
api.register(bp)
bp.register_blueprint(control_views.bp)
bp.register_blueprint(playlist_views.bp)
