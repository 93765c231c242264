"""Fixtures for the kiosk server tests: media files for the demo films, a published playlist, a kiosk token."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select


def fake_media(app, films, *, size: int = 50_000) -> None:
    """Give each film a distinct (not playable) file under MEDIA_ROOT: enough for API tests."""
    from showcase.extensions import db
    from showcase.films.models import MediaAsset

    root = Path(app.config["MEDIA_ROOT"])
    for n, film in enumerate(films):
        data = bytes((n * 7 + i) % 251 for i in range(size))
        path = root / "fake" / f"{film.slug}.mp4"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        asset = MediaAsset(
            path=f"fake/{film.slug}.mp4", byte_size=size, sha256=hashlib.sha256(data).hexdigest(), duration_seconds=4.0
        )
        db.session.add(asset)
        db.session.flush()
        film.media_asset = asset


@pytest.fixture
def screening(demo):
    """The demo's screening playlist published with fake media: (playlist id, version number)."""
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish

    with demo.app_context():
        fake_media(demo, db.session.scalars(select(Film).order_by(Film.id)).all())
        playlist = db.session.scalar(select(Playlist).where(Playlist.source == "session"))
        version = publish(playlist)
        db.session.commit()
        return playlist.id, version.version


@pytest.fixture
def kiosk(demo):
    """The demo kiosk hall-1 with a fresh token: (kiosk id, token)."""
    from showcase.extensions import db
    from showcase.kiosks.services import find_kiosk, new_token

    with demo.app_context():
        found = find_kiosk("hall-1")
        token = new_token(found)
        db.session.commit()
        return found.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
