"""The kiosks blueprints: the staff pages (control room, playlist editor) and the kiosk API.

The kiosk API is a blueprint of its own, `kiosk_api`, which create_app exempts from CSRF as an object:
kiosks authenticate with bearer tokens, never cookies. The staff pages keep CSRF protection.
"""

from __future__ import annotations

from flask import Blueprint

from showcase.kiosks import api, control_views, playlist_views

control = Blueprint("control", __name__, url_prefix="/staff/kiosks")
control.add_url_rule("/", view_func=control_views.control_room, methods=["GET"])
control.add_url_rule("/state.json", view_func=control_views.control_state, methods=["GET"])
control.add_url_rule("/events", view_func=control_views.control_events, methods=["GET"])
control.add_url_rule("/<int:kiosk_id>/thumbnail.jpg", view_func=control_views.thumbnail, methods=["GET"])
control.add_url_rule("/<int:kiosk_id>/commands", view_func=control_views.send_command, methods=["POST"])
control.add_url_rule("/<int:kiosk_id>/playlist", view_func=control_views.assign_playlist, methods=["POST"])

playlists = Blueprint("playlists", __name__, url_prefix="/staff/festivals/<slug>/playlists")
playlists.add_url_rule("/", view_func=playlist_views.list_playlists, methods=["GET"])
playlists.add_url_rule("/", view_func=playlist_views.create_playlist, methods=["POST"])
playlists.add_url_rule("/<int:playlist_id>", view_func=playlist_views.show_playlist, methods=["GET"])
playlists.add_url_rule("/<int:playlist_id>/cards", view_func=playlist_views.add_card, methods=["POST"])
playlists.add_url_rule("/<int:playlist_id>/items/<int:item_id>", view_func=playlist_views.update_item, methods=["POST"])
playlists.add_url_rule(
    "/<int:playlist_id>/items/<int:item_id>/move", view_func=playlist_views.move_item, methods=["POST"]
)
playlists.add_url_rule(
    "/<int:playlist_id>/items/<int:item_id>/remove", view_func=playlist_views.remove_item, methods=["POST"]
)
playlists.add_url_rule("/<int:playlist_id>/publish", view_func=playlist_views.publish_playlist, methods=["POST"])
playlists.add_url_rule("/<int:playlist_id>/export", view_func=playlist_views.export_playlist, methods=["GET"])
playlists.add_url_rule("/<int:playlist_id>/bundle", view_func=playlist_views.start_bundle, methods=["POST"])

# The staff pages: endpoints kiosks.control.* and kiosks.playlists.*, templates in templates/kiosks/.
bp = Blueprint("kiosks", __name__)
bp.register_blueprint(control)
bp.register_blueprint(playlists)

api_bp = Blueprint("kiosk_api", __name__, url_prefix="/api/kiosk")
api_bp.add_url_rule("/manifest", view_func=api.manifest, methods=["GET"])
api_bp.add_url_rule("/media/<sha256>", view_func=api.media, methods=["GET"])
api_bp.add_url_rule("/heartbeat", view_func=api.heartbeat, methods=["POST"])
api_bp.add_url_rule("/preflight", view_func=api.preflight, methods=["POST"])
api_bp.add_url_rule("/thumbnail", view_func=api.thumbnail, methods=["POST"])
api_bp.add_url_rule("/commands", view_func=api.commands, methods=["GET"])
api_bp.add_url_rule("/commands/<int:command_id>/ack", view_func=api.ack_command, methods=["POST"])
