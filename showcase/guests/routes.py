"""The guests blueprint: public festival, schedule and film pages, calendar feeds, the schedule for apps."""

from __future__ import annotations

from flask import Blueprint

from showcase.guests import feed_views, frab_views, public_version, views

bp = Blueprint("guests", __name__)
# Count public changes in every unit of work of the app (the ready pages are keyed by their count).
bp.record_once(lambda state: public_version.install(state.app))

bp.add_url_rule("/posters/<name>", view_func=views.poster, methods=["GET"])
bp.add_url_rule("/posters/thumbs/<name>", view_func=views.poster_thumb, methods=["GET"])
bp.add_url_rule("/", view_func=views.list_festivals, methods=["GET"])
bp.add_url_rule("/f/<code>", view_func=views.show_film, methods=["GET"])
bp.add_url_rule("/f/<code>/preview.jpg", view_func=views.film_preview, methods=["GET"])
bp.add_url_rule("/festivals/<slug>", view_func=views.show_festival, methods=["GET"])
bp.add_url_rule("/festivals/<slug>/schedule", view_func=views.show_schedule, methods=["GET"])
bp.add_url_rule("/festivals/<slug>/schedule.xml", view_func=frab_views.schedule_xml, methods=["GET"])
bp.add_url_rule("/festivals/<slug>/schedule.json", view_func=frab_views.schedule_json, methods=["GET"])
bp.add_url_rule("/festivals/<slug>/favourites", view_func=views.show_favourites, methods=["GET"])
bp.add_url_rule("/festivals/<slug>/calendar.ics", view_func=feed_views.festival_calendar, methods=["GET"])
bp.add_url_rule(
    "/festivals/<slug>/screens/<int:screen_id>/calendar.ics", view_func=feed_views.screen_calendar, methods=["GET"]
)
bp.add_url_rule(
    "/festivals/<slug>/sessions/<int:session_id>/calendar.ics", view_func=feed_views.session_calendar, methods=["GET"]
)
bp.add_url_rule("/sitemap.xml", view_func=feed_views.sitemap, methods=["GET"])
