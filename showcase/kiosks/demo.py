"""The demo's playback: a "Showcase screening" playlist and a kiosk "hall-1" on the first screen."""

from __future__ import annotations

from sqlalchemy import select

from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.kiosks import drafts, publishing, services
from showcase.kiosks.models import Kiosk, Playlist
from showcase.schedule.models import ScheduleSession

KIOSK_NAME = "hall-1"


def load_demo_playback(festival: Festival, report: list[str]) -> None:
    """Create (once) the screening playlist and the kiosk; publish when every film has its clip."""
    playlist = db.session.scalar(
        select(Playlist).where(Playlist.festival_id == festival.id, Playlist.source == "session").limit(1)
    )
    if playlist is None:
        screening = db.session.scalar(
            select(ScheduleSession)
            .where(ScheduleSession.festival_id == festival.id, ScheduleSession.kind == "screening")
            .limit(1)
        )
        if screening is None:
            return
        playlist = drafts.playlist_from_session(festival, screening.id)
        playlist.title, playlist.title_en = "展映", "Showcase screening"
    if not playlist.published_version:
        try:
            publishing.publish(playlist)
            report.append(f"Playlist {playlist.title_en!r} published (version 1).")
        except ValidationFailed:
            report.append(f"Playlist {playlist.title_en!r} is a draft: its films have no clips yet.")
    if db.session.scalar(select(Kiosk.id).where(Kiosk.name == KIOSK_NAME)) is None:
        screens = festival.screens
        kiosk, _token = services.add_kiosk(KIOSK_NAME, screen_id=screens[0].id if screens else None)
        kiosk.playlist_id = playlist.id
        db.session.flush()
        # the token is not printed: staff issue one when a real machine is set up
        report.append(
            f"Kiosk {KIOSK_NAME!r} registered: give it a token with `showcase kiosks new-token {KIOSK_NAME}`."
        )
