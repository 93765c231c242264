"""The screen follows the show, through the services: the show playlist, the jumps a GO queues, what a kiosk that
was away gets, pause, end."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from playlists import format as fmt
from showcase.db import utcnow
from showcase.extensions import db
from showcase.films.models import MediaAsset
from showcase.kiosks import services as kiosks
from showcase.kiosks.models import KioskCommand, Playlist, PlaylistVersion
from showcase.kiosks.publishing import cued
from showcase.schedule.services import append_item
from showcase.shows import screen, services
from tests.builders import make_festival, make_film, make_screen, make_session, make_user


def _media(film, n: int) -> None:
    data = f"film {n}".encode()
    asset = MediaAsset(
        path=f"f{n}.mp4", byte_size=len(data), sha256=hashlib.sha256(data).hexdigest(), duration_seconds=60
    )
    db.session.add(asset)
    db.session.flush()
    film.media_asset = asset


@pytest.fixture
def night(ctx):
    """A screening on hall 1 (two kiosks there, one elsewhere): welcome card (manual), film A (manual), film B
    (follows A), a card (follows B), film D (follows the card: still waits for its GO), film C (manual)."""
    festival = make_festival()
    hall, other_hall = make_screen(festival), make_screen(festival, venue="别处", name="二号厅", name_en="Hall 2")
    films = [make_film(festival, runtime_seconds=60) for _ in range(4)]
    for n, film in enumerate(films):
        _media(film, n)
    session = make_session(festival, screen_id=hall.id)
    append_item(session, kind="speech", planned_seconds=120, title="欢迎", title_en="Welcome")
    append_item(session, kind="film", planned_seconds=60, film_id=films[0].id, cue_mode="manual")
    append_item(session, kind="film", planned_seconds=60, film_id=films[1].id, cue_mode="follow")
    append_item(session, kind="slate", planned_seconds=30, title="幕间", title_en="Interval", cue_mode="follow")
    append_item(session, kind="film", planned_seconds=60, film_id=films[3].id, cue_mode="follow")
    append_item(session, kind="film", planned_seconds=60, film_id=films[2].id, cue_mode="manual")
    one, _ = kiosks.add_kiosk("hall-1-left", screen_id=hall.id)
    two, _ = kiosks.add_kiosk("hall-1-right", screen_id=hall.id)
    away, _ = kiosks.add_kiosk("hall-2", screen_id=other_hall.id)
    caller = make_user(role="editor")
    db.session.commit()
    return {"session": session, "kiosks": (one, two), "away": away, "caller": caller}


def go(night, now):
    show = services.show_for(night["session"])
    return services.go(show, actor=night["caller"], from_cue=show.cue_id, now=now)


def untaken(kiosk) -> list[KioskCommand]:
    return list(
        db.session.scalars(
            select(KioskCommand)
            .where(KioskCommand.kiosk_id == kiosk.id, KioskCommand.acked_at.is_(None))
            .order_by(KioskCommand.id)
        )
    )


def manifest(playlist_id: int) -> fmt.Playlist:
    version = db.session.scalar(
        select(PlaylistVersion)
        .where(PlaylistVersion.playlist_id == playlist_id)
        .order_by(PlaylistVersion.version.desc())
        .limit(1)
    )
    return fmt.from_json(version.manifest)


def test_the_first_go_publishes_the_show_playlist_to_the_kiosks_of_the_sessions_screen(night):
    now = utcnow()
    go(night, now)
    playlist = db.session.scalar(select(Playlist).where(Playlist.source == "show"))
    assert playlist.session_id == night["session"].id
    built = manifest(playlist.id)
    assert [(i.kind, i.waits, i.card_seconds) for i in built.items] == [
        ("card", True, None),  # a card lasts until the next command
        ("film", True, None),  # manual
        ("film", False, None),  # follows a film: the kiosk goes on by itself
        ("card", False, None),  # follows a film, shown until the next GO
        ("film", True, None),  # follows a card, which never ends by itself on the kiosk: waits for its jump
        ("film", True, None),  # manual
    ]
    assert built.items[0].card_text == "欢迎\nWelcome"
    for kiosk in night["kiosks"]:
        assert kiosk.playlist_id == playlist.id
        jump = [c for c in untaken(kiosk) if c.command == "jump"]
        assert [c.args["item_key"] for c in jump] == [built.items[0].key]
    assert night["away"].playlist_id is None and untaken(night["away"]) == []


def test_a_kiosk_that_was_away_gets_only_the_latest_jump_with_the_place_the_show_has_reached(night):
    start = utcnow() - timedelta(seconds=100)
    go(night, start)
    go(night, start + timedelta(seconds=30))  # film A
    db.session.commit()
    kiosk = night["kiosks"][0]
    built = manifest(kiosk.playlist_id)
    pending = kiosks.pending_commands(kiosk, now=start + timedelta(seconds=45))
    jumps = [c for c in pending if c.command == "jump"]
    assert [(c.args["item_key"], c.args["start"]) for c in jumps] == [(built.items[1].key, 15.0)]
    # still there long after a one-off command would have expired
    later = kiosks.pending_commands(kiosk, now=start + timedelta(minutes=30))
    assert [c.args["start"] for c in later if c.command == "jump"] == [30 * 60 - 30.0]


def test_pause_freezes_the_place_of_a_jump_not_yet_taken_and_resume_runs_it_on(night):
    start = utcnow() - timedelta(seconds=100)
    go(night, start)
    show = go(night, start + timedelta(seconds=10))  # film A from 10 s
    services.pause(show, actor=night["caller"], now=start + timedelta(seconds=20))
    kiosk = night["kiosks"][1]
    pending = kiosks.pending_commands(kiosk, now=start + timedelta(seconds=90))
    assert [c.command for c in pending] == ["reload", "jump", "pause"]
    assert pending[1].args["start"] == 10.0  # where the show paused, however late the kiosk comes back
    services.resume(show, actor=night["caller"], now=start + timedelta(seconds=50))
    pending = kiosks.pending_commands(kiosk, now=start + timedelta(seconds=60))
    assert [c.command for c in pending][-2:] == ["jump", "play"]
    assert pending[-2].args["start"] == 20.0  # 10 s before the pause, 10 s since the resume


def test_a_kiosk_that_took_its_jump_gets_only_the_pause(night):
    start = utcnow()
    show = go(night, start)
    kiosk = night["kiosks"][0]
    for command in kiosks.pending_commands(kiosk):
        kiosks.ack_command(kiosk, command.id)
    services.pause(show, actor=night["caller"], now=start + timedelta(seconds=3))
    assert [c.command for c in kiosks.pending_commands(kiosk)] == ["pause"]


def test_end_blacks_the_screen_and_supersedes_what_was_not_taken(night):
    start = utcnow()
    show = go(night, start)
    go(night, start + timedelta(seconds=5))
    services.end(show, actor=night["caller"], now=start + timedelta(seconds=9))
    kiosk = night["kiosks"][0]
    assert [c.command for c in kiosks.pending_commands(kiosk)] == ["reload", "stop"]


def test_the_show_playlist_is_published_again_only_when_the_running_order_changed(night):
    start = utcnow()
    go(night, start)
    go(night, start + timedelta(seconds=5))
    playlist = db.session.scalar(select(Playlist).where(Playlist.source == "show"))
    keys = [i.key for i in manifest(playlist.id).items]
    assert playlist.published_version == 1
    append_item(night["session"], kind="speech", planned_seconds=60, title="谢谢", title_en="Thanks")
    show = go(night, start + timedelta(seconds=10))
    assert playlist.published_version == 2
    assert [i.key for i in manifest(playlist.id).items][:6] == keys  # an item keeps its key: kiosks keep their place
    jump = [c for c in untaken(night["kiosks"][0]) if c.command == "jump"]
    assert [c.args["item_key"] for c in jump] == [keys[2]]
    assert show.cue_id == night["session"].items[2].id


def test_a_film_with_no_file_yet_shows_its_title_instead_of_stopping_the_go(night):
    night["session"].items[1].film.media_asset = None
    db.session.flush()
    go(night, utcnow())
    built = manifest(db.session.scalar(select(Playlist.id).where(Playlist.source == "show")))
    assert built.items[1].kind == "card" and built.items[1].waits


def test_prepare_puts_the_playlist_on_the_screen_before_the_first_go(night):
    show = services.show_for(night["session"])
    playlist = screen.prepare(show, actor=night["caller"])
    assert [k.playlist_id for k in night["kiosks"]] == [playlist.id, playlist.id]
    assert all(c.command == "reload" for k in night["kiosks"] for c in untaken(k))
    assert manifest(playlist.id).items[0].waits  # the kiosk holds black until the first GO


def test_cued_rules_are_plain_data():
    film = fmt.Item("a", "film", "A", media=fmt.Media("a.mp4", "0" * 64, 1, 2.0))
    card = fmt.Item("b", "card", "B", card_text="B", card_seconds=5.0)
    items = cued([film, film, card, card, film], ["manual", "follow", "follow", "follow", "follow"])
    assert [(i.waits, i.card_seconds) for i in items] == [
        (True, None),
        (False, None),
        (False, None),
        (True, None),
        (True, None),
    ]


def test_the_manifest_a_show_publishes_says_waits_and_null_seconds(night):
    go(night, utcnow())
    raw = json.loads(db.session.scalar(select(PlaylistVersion.manifest)))
    assert raw["items"][0]["card"]["seconds"] is None and raw["items"][0]["waits"] is True
    assert "waits" not in raw["items"][2]
