"""Playlist drafts, publishing (frozen versions), staff pages and downloads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form
from tests.showcase.kiosks.conftest import fake_media


def _festival():
    from showcase.festivals.services import get_festival

    return get_festival("ai-shorts-2026")


def _session(kind: str):
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    return db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == kind))


def test_running_order_becomes_films_and_title_cards(demo, ctx):
    from playlists.format import from_json
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks import drafts, publishing

    fake_media(demo, db.session.scalars(select(Film)).all())
    ceremony = _session("ceremony")
    playlist = drafts.playlist_from_session(_festival(), ceremony.id)
    assert [i.kind for i in playlist.items] == [i.kind for i in ceremony.items]
    manifest = from_json(publishing.publish(playlist).manifest)
    for entry, item in zip(ceremony.items, manifest.items, strict=True):
        assert item.kind == ("film" if entry.kind == "film" else "card")
        if item.kind == "card":
            assert item.card_seconds == entry.planned_seconds
            assert item.card_text == f"{entry.title}\n{entry.title_en}"
        else:
            assert item.media.sha256 == entry.film.media_asset.sha256 and item.title == entry.film.title


def test_awards_playlist_follows_the_ceremony_order_rule(demo, ctx):
    from showcase.kiosks import drafts
    from showcase.schedule.winners import winner_drafts

    playlist = drafts.playlist_from_awards(_festival(), mode="lowest_first")
    drafts = winner_drafts(_festival(), mode="lowest_first")
    assert [(i.kind, i.film_id, i.title) for i in playlist.items] == [(d.kind, d.film_id, d.title) for d in drafts]
    # the shared second prize is one announcement followed by both films
    shared = next(n for n, i in enumerate(playlist.items) if "二等奖（并列）" in i.title)
    assert [i.kind for i in playlist.items[shared : shared + 3]] == ["award", "film", "film"]


def test_publish_refuses_films_without_media_and_writes_nothing(demo, ctx):
    from showcase.errors import ValidationFailed
    from showcase.extensions import db
    from showcase.kiosks import drafts, publishing
    from showcase.kiosks.models import PlaylistVersion

    playlist = drafts.playlist_from_session(_festival(), _session("screening").id)
    with pytest.raises(ValidationFailed, match="no media file"):
        publishing.publish(playlist)
    assert db.session.scalar(select(func.count()).select_from(PlaylistVersion)) == 0
    assert playlist.published_version == 0


def test_a_published_version_never_changes(demo, ctx):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks import drafts, publishing
    from showcase.kiosks.models import ImmutableVersion

    fake_media(demo, db.session.scalars(select(Film)).all())
    playlist = drafts.playlist_from_session(_festival(), _session("ceremony").id)
    version = publishing.publish(playlist)
    db.session.commit()
    frozen, etag = version.manifest, version.etag
    first = playlist.items[0]
    drafts.update_item(playlist, first.id, hold=3, seconds=2, text="changed")
    drafts.move(playlist, first.id, direction="down")
    drafts.add_card(playlist, title="新", seconds=4)
    db.session.commit()
    db.session.expire_all()
    assert version.manifest == frozen and version.etag == etag
    version.manifest = "{}"
    with pytest.raises(ImmutableVersion):
        db.session.flush()
    db.session.rollback()
    second = publishing.publish(playlist)
    assert second.version == 2 and second.etag != etag
    assert json.loads(second.manifest)["items"][1]["card"] == {"text": "changed", "seconds": 2.0}


def test_staff_build_edit_and_publish_through_the_pages(demo, client, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks.models import Playlist

    with demo.app_context():
        fake_media(demo, db.session.scalars(select(Film)).all())
        db.session.commit()
        ceremony_id = _session("ceremony").id
    login_as("editor")
    base = "/staff/festivals/ai-shorts-2026/playlists/"
    made = post_form(client, base, {"source": "session", "session-session_id": ceremony_id})
    assert made.status_code == 303
    page_url = made.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert "开场" in page and "Total" in page
    card = post_form(
        client, page_url + "/cards", {"card-title": "<b>谢谢</b>", "card-seconds": "6"}, token_from=page_url
    )
    assert card.status_code == 303
    assert "&lt;b&gt;谢谢&lt;/b&gt;" in client.get(page_url).get_data(as_text=True)
    published = post_form(client, page_url + "/publish", {}, token_from=page_url)
    assert published.status_code == 303
    with demo.app_context():
        playlist = db.session.scalar(
            select(Playlist).where(Playlist.source == "session", Playlist.session_id == ceremony_id)
        )
        assert playlist.published_version == 1 and playlist.items[-1].seconds == 6


def test_bad_card_is_refused_with_a_message_and_nothing_written(demo, client, login_as):
    from showcase.extensions import db
    from showcase.kiosks.models import PlaylistItem

    login_as("editor")
    page_url = "/staff/festivals/ai-shorts-2026/playlists/1"
    with demo.app_context():
        before = db.session.scalar(select(func.count()).select_from(PlaylistItem))
    for data, message in (
        ({"card-title": "", "card-seconds": "5"}, "Title is required"),
        ({"card-title": "x", "card-seconds": "0"}, "Seconds on screen must be"),
        ({"card-title": "x", "card-seconds": "abc"}, "Not a valid float value"),
    ):
        response = post_form(client, page_url + "/cards", data, token_from=page_url)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlaylistItem)) == before


def test_downloads_of_a_published_version(demo, client, login_as, screening):
    login_as("viewer")
    url = f"/staff/festivals/ai-shorts-2026/playlists/{screening[0]}/export"
    assert "XSPF" in client.get(url).get_data(as_text=True)
    manifest = client.get(url + "?format=json&version=1")
    assert manifest.status_code == 200 and json.loads(manifest.data)["schema"] == "showcase.playlist/1"
    xspf = client.get(url + "?format=xspf")
    assert b"<location>media/" in xspf.data and "attachment" in xspf.headers["Content-Disposition"]
    assert client.get(url + "?format=m3u8").data.startswith(b"#EXTM3U")
    bundle = client.get(url + "?format=zip")
    assert bundle.status_code == 200 and bundle.data[:2] == b"PK"
    assert client.get(url + "?format=exe").status_code == 400
    assert client.get(url + "?format=json&version=9").status_code == 404
