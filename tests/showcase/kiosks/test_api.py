"""The kiosk API over the test client: auth, manifest ETags, media ranges, heartbeats, preflight, commands."""

from __future__ import annotations

import hashlib
import html
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tests.conftest import post_form
from tests.showcase.kiosks.conftest import bearer, fake_media

API = "/api/kiosk"


def _state(app, kiosk_id):
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    with app.app_context():
        found = db.session.get(Kiosk, kiosk_id)
        return found.state, found.last_heartbeat_at, found.preflight


def test_no_token_or_a_wrong_one_is_401_json(client, kiosk):
    for headers in ({}, bearer("not-the-token"), {"Authorization": "Basic abc"}, bearer("")):
        for method, path in (
            ("GET", "/manifest"),
            ("POST", "/heartbeat"),
            ("GET", "/commands"),
            ("GET", "/media/" + "0" * 64),
            ("POST", "/commands/1/ack"),
        ):
            response = client.open(API + path, method=method, headers=headers, json={})
            assert response.status_code == 401, (path, headers)
            assert response.json["error"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_manifest_is_204_with_no_body_while_nothing_is_published(demo, client, kiosk):
    kiosk_id, token = kiosk
    # the demo playlist has no media without clips: a draft, so the kiosk has nothing to play yet
    answer = client.get(API + "/manifest", headers=bearer(token))
    assert answer.status_code == 204 and answer.data == b"" and "ETag" not in answer.headers


def test_manifest_etag_304_and_new_version(demo, client, kiosk, screening):
    from playlists.format import from_json

    _, token = kiosk
    first = client.get(API + "/manifest", headers=bearer(token))
    assert first.status_code == 200
    etag = first.headers["ETag"]
    playlist = from_json(first.data)
    assert playlist.version == screening[1] and len(playlist.items) == 7
    again = client.get(API + "/manifest", headers={**bearer(token), "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and again.data == b""
    with demo.app_context():
        from showcase.extensions import db
        from showcase.kiosks.models import Playlist
        from showcase.kiosks.publishing import publish

        publish(db.session.get(Playlist, screening[0]))
        db.session.commit()
    newer = client.get(API + "/manifest", headers={**bearer(token), "If-None-Match": etag})
    assert newer.status_code == 200 and newer.headers["ETag"] != etag
    assert from_json(newer.data).version == screening[1] + 1


def _first_media(client, token):
    manifest = json.loads(client.get(API + "/manifest", headers=bearer(token)).data)
    return next(i["media"] for i in manifest["items"] if i["kind"] == "film")


def test_media_whole_and_range_resume(client, kiosk, screening):
    _, token = kiosk
    media = _first_media(client, token)
    whole = client.get(f"{API}/media/{media['sha256']}", headers=bearer(token))
    assert whole.status_code == 200 and len(whole.data) == media["bytes"]
    assert hashlib.sha256(whole.data).hexdigest() == media["sha256"]
    part = client.get(f"{API}/media/{media['sha256']}", headers={**bearer(token), "Range": "bytes=1000-"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-{media['bytes'] - 1}/{media['bytes']}"
    assert part.data == whole.data[1000:]
    beyond = client.get(f"{API}/media/{media['sha256']}", headers={**bearer(token), "Range": f"bytes={10**9}-"})
    assert beyond.status_code == 416


def test_media_outside_the_kiosks_playlist_is_404(demo, client, kiosk, screening):
    from showcase.extensions import db
    from showcase.films.models import MediaAsset

    _, token = kiosk
    with demo.app_context():
        outsider = MediaAsset(path="fake/other.mp4", byte_size=3, sha256="a" * 64)
        db.session.add(outsider)
        db.session.commit()
    (Path(demo.config["MEDIA_ROOT"]) / "fake" / "other.mp4").write_bytes(b"abc")
    for sha in ("a" * 64, "b" * 64, "not-hex", "../../etc/passwd"):
        assert client.get(f"{API}/media/{sha}", headers=bearer(token)).status_code == 404, sha


def test_heartbeat_keeps_state_with_film_code(demo, client, kiosk, screening):
    from showcase.extensions import db
    from showcase.kiosks.models import PlaylistVersion

    kiosk_id, token = kiosk
    with demo.app_context():
        version = db.session.scalar(select(PlaylistVersion))
        key, info = next((k, v) for k, v in version.items.items() if v["film_code"])
    body = {
        "state": "playing",
        "playlist_id": str(screening[0]),
        "playlist_version": screening[1],
        "item_key": key,
        "item_index": 0,
        "position": 1.5,
        "cache": {"items": 7, "ready": 7, "bytes": 9},
        "last_error": None,
    }
    response = client.post(API + "/heartbeat", headers=bearer(token), json=body)
    assert response.status_code == 200 and response.json == {"ok": True}
    state, at, _ = _state(demo, kiosk_id)
    assert state["state"] == "playing" and state["film_code"] == info["film_code"]
    assert state["item_title"] == info["title"] and at.tzinfo is not None


def test_bad_heartbeat_is_400_and_nothing_written(demo, client, kiosk, screening):
    kiosk_id, token = kiosk
    huge = 10**30
    bad_bodies = [
        b"not json",
        b"[1, 2]",
        b"",
        b"null",
        b"\xff\xfe{}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"state": "playing", "position": NaN}',
        b'{"state": "playing", "position": 1e999}',
        b'{"state": "playing", "item_index": 1' + b"0" * 5000 + b"}",
        *(
            json.dumps(body).encode()
            for body in (
                {"state": "dancing"},
                {"state": "playing", "position": -1},
                {"state": "playing", "position": "1.5"},
                {"state": "playing", "position": huge**14},
                {"state": "playing", "playlist_version": "3"},
                {"state": "playing", "playlist_version": huge},
                {"state": "playing", "item_index": huge},
                {"state": "playing", "item_index": -1},
                {"state": "playing", "cache": {"items": "many"}},
                {"state": "playing", "cache": {"bytes": huge}},
                {"state": "playing", "cache": [1]},
                {"state": "playing", "playlist_id": True},
                {"state": "playing", "playlist_id": {"id": 1}},
                {"state": "playing", "item_key": 7},
                {"state": ["playing"]},
                {"state": None},
                {"position": 3},
                {},
            )
        ),
    ]
    for body in bad_bodies:
        response = client.post(
            API + "/heartbeat", headers={**bearer(token), "Content-Type": "application/json"}, data=body
        )
        assert response.status_code == 400, body[:80]
        assert response.json["error"] == "invalid"
    assert _state(demo, kiosk_id)[:2] == (None, None)


def test_preflight_report_is_kept_and_validated(demo, client, kiosk, screening):
    kiosk_id, token = kiosk
    bad = client.post(API + "/preflight", headers=bearer(token), json={"playlist_version": 1, "items": [{"ok": 1}]})
    assert bad.status_code == 400 and _state(demo, kiosk_id)[2] is None
    report = {
        "playlist_version": 1,
        "items": [
            {"key": "item-1", "ok": True, "problem": None, "duration": 4.0},
            {"key": "item-2", "ok": False, "problem": "file missing", "duration": None},
        ],
    }
    assert client.post(API + "/preflight", headers=bearer(token), json=report).status_code == 200
    assert _state(demo, kiosk_id)[2]["items"][1]["problem"] == "file missing"


WRONG_FILE = "file lasts 0:04, film listed at 8:00: shorter than it should be (wrong file?)"


def test_preflight_warning_is_shown_in_the_control_room(demo, client, login_as, kiosk, screening):
    kiosk_id, token = kiosk
    report = {
        "playlist_version": 1,
        "items": [
            {"key": "item-1", "ok": True, "problem": None, "duration": 4.0, "warning": WRONG_FILE},
            {"key": "item-2", "ok": False, "problem": "file missing", "duration": None, "warning": None},
            {"key": "item-3", "ok": True, "problem": None, "duration": 4.0},  # a kiosk from before warnings
        ],
    }
    assert client.post(API + "/preflight", headers=bearer(token), json=report).status_code == 200
    login_as("viewer")
    state = client.get("/staff/kiosks/state.json").json["kiosks"][0]["preflight"]
    assert state["warnings"] == [{"key": "item-1", "warning": WRONG_FILE}]
    assert state["failed"] == [{"key": "item-2", "problem": "file missing"}] and state["ok"] == 2
    page = html.unescape(client.get("/staff/kiosks/").get_data(as_text=True))
    assert f"v1: 2/3 ok; item-2: file missing; check item-1: {WRONG_FILE}" in page


@pytest.mark.parametrize(
    ("warning", "field"),
    [(123, "items[0].warning"), (["x"], "items[0].warning"), ({"text": "x"}, "items[0].warning")],
)
def test_bad_preflight_warning_is_400_and_nothing_kept(demo, client, kiosk, screening, warning, field):
    kiosk_id, token = kiosk
    body = {"playlist_version": 1, "items": [{"key": "item-1", "ok": True, "warning": warning}]}
    bad = client.post(API + "/preflight", headers=bearer(token), json=body)
    assert bad.status_code == 400 and bad.json["fields"] == {field: "expected a string"}
    assert _state(demo, kiosk_id)[2] is None


def test_long_preflight_warning_is_cut_to_size(demo, client, kiosk, screening):
    kiosk_id, token = kiosk
    body = {"playlist_version": 1, "items": [{"key": "item-1", "ok": True, "warning": "长" * 100_000}]}
    assert client.post(API + "/preflight", headers=bearer(token), json=body).status_code == 200
    assert _state(demo, kiosk_id)[2]["items"][0]["warning"] == "长" * 500


def test_manifest_carries_each_films_listed_runtime(demo, client, kiosk, screening):
    from showcase.extensions import db
    from showcase.films.models import Film

    _, token = kiosk
    manifest = client.get(API + "/manifest", headers=bearer(token)).json
    with demo.app_context():
        runtimes = {f.title: f.runtime_seconds for f in db.session.scalars(select(Film))}
    films = [i for i in manifest["items"] if i["kind"] == "film"]
    assert films and all(i["runtime"] == runtimes[i["title"]] for i in films)
    assert all("runtime" not in i for i in manifest["items"] if i["kind"] == "card")


def test_command_lifecycle_from_control_room_to_ack(demo, client, login_as, kiosk, screening, make_user):
    from showcase.extensions import db
    from showcase.kiosks.models import KioskCommand

    kiosk_id, token = kiosk
    login_as("editor")
    sent = post_form(client, f"/staff/kiosks/{kiosk_id}/commands", {"command": "next"}, token_from="/staff/kiosks/")
    assert sent.status_code == 303
    pending = client.get(API + "/commands", headers=bearer(token)).json["commands"]
    # publishing queued a reload for the kiosk: that is how it learns of the new version at once
    assert [c["command"] for c in pending] == ["reload", "next"]
    for command in pending:
        assert client.post(f"{API}/commands/{command['id']}/ack", headers=bearer(token), json={}).status_code == 200
    command_id = pending[-1]["id"]
    assert client.get(API + "/commands", headers=bearer(token)).json["commands"] == []
    # someone else's command, a bad body, an unknown command name
    assert client.post(f"{API}/commands/99999/ack", headers=bearer(token), json={}).status_code == 404
    assert client.post(f"{API}/commands/{command_id}/ack", headers=bearer(token), json=[1]).status_code == 400
    refused = post_form(
        client, f"/staff/kiosks/{kiosk_id}/commands", {"command": "explode"}, token_from="/staff/kiosks/"
    )
    assert refused.status_code == 303
    with demo.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(KioskCommand).where(KioskCommand.command == "explode"))
            == 0
        )


def test_viewer_sees_the_control_room_but_cannot_send(demo, client, login_as, kiosk, screening):
    kiosk_id, _ = kiosk
    login_as("viewer")
    page = client.get("/staff/kiosks/")
    assert page.status_code == 200 and "hall-1" in page.get_data(as_text=True)
    assert "Next" not in page.get_data(as_text=True)
    state = client.get("/staff/kiosks/state.json").json["kiosks"][0]
    assert state["name"] == "hall-1" and "Never reported" in state["warnings"][0]
    assert (
        post_form(
            client, f"/staff/kiosks/{kiosk_id}/commands", {"command": "next"}, token_from="/staff/kiosks/"
        ).status_code
        == 403
    )


EN = {"Accept-Language": "en"}


@pytest.fixture
def other_playlist(demo, screening):
    """A second published playlist, with a film of its own: (playlist id, version, item key, film code)."""
    from showcase.awards.models import Award
    from showcase.extensions import db
    from showcase.festivals.models import Festival
    from showcase.films.services import create_film
    from showcase.kiosks.drafts import create_playlist
    from showcase.kiosks.models import PlaylistItem
    from showcase.kiosks.publishing import publish

    with demo.app_context():
        festival = db.session.scalar(select(Festival))
        # revealed, so that the embargo does not hide every "now playing" badge (and this test with it)
        db.session.execute(update(Award).values(revealed_at=func.now() - timedelta(minutes=1)))
        film = create_film(
            festival, title="别处的片", title_en="A Film Elsewhere", runtime_seconds=240, status="selected"
        )
        fake_media(demo, [film], size=50_001)
        playlist = create_playlist(festival, title="别处", title_en="Elsewhere")
        playlist.items.append(
            PlaylistItem(
                kind="film", position=0, film=film, title=film.title, title_en=film.title_en, seconds=240, hold=0.0
            )
        )
        version = publish(playlist)
        db.session.commit()
        return playlist.id, version.version, playlist.items[0].key, film.code


def _own_item(demo, playlist_id):
    from showcase.extensions import db
    from showcase.kiosks.models import PlaylistVersion

    with demo.app_context():
        items = db.session.scalar(select(PlaylistVersion.items).where(PlaylistVersion.playlist_id == playlist_id))
        return next((key, info["film_code"]) for key, info in items.items() if info["film_code"])


def _now_playing(client, code: str) -> bool:
    page = client.get(f"/f/{code}", headers=EN)
    assert page.status_code == 200
    return "Now playing" in html.unescape(page.get_data(as_text=True))


def _beat(playlist_id, version, key, **extra) -> dict:
    return {
        "state": "playing",
        "playlist_id": str(playlist_id),
        "playlist_version": version,
        "item_key": key,
        "item_index": 0,
        "position": 2.0,
        **extra,
    }


def test_a_heartbeat_naming_another_playlists_item_is_refused_and_never_shown(
    demo, client, kiosk, screening, other_playlist
):
    kiosk_id, token = kiosk
    mine, version = screening
    other, other_version, other_key, other_code = other_playlist
    my_key, my_code = _own_item(demo, mine)
    assert client.post(API + "/heartbeat", headers=bearer(token), json=_beat(mine, version, my_key)).status_code == 200
    assert _now_playing(client, my_code) and not _now_playing(client, other_code)
    kept = _state(demo, kiosk_id)

    lies = {
        "playlist_id": _beat(other, other_version, other_key),  # B's item, named as B's
        "item_key": _beat(mine, version, other_key),  # B's item, passed off as one of A's
        "playlist_version": _beat(mine, version + 5, my_key),  # a version of A never published
    }
    for field, body in lies.items():
        response = client.post(API + "/heartbeat", headers=bearer(token), json=body)
        assert response.status_code == 400, field
        assert response.json["error"] == "invalid" and list(response.json["fields"]) == [field]
    refused = client.post(API + "/heartbeat", headers=bearer(token), json=_beat(other, other_version, other_key))
    assert refused.json["message"] == f"playlist_id: this kiosk is assigned playlist {mine}, not playlist {other}"
    assert _state(demo, kiosk_id) == kept  # nothing stored, not even the time
    assert not _now_playing(client, other_code) and _now_playing(client, my_code)


def test_a_kiosk_without_a_playlist_may_report_only_that(demo, client, kiosk, screening):
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    kiosk_id, token = kiosk
    mine, version = screening
    my_key, my_code = _own_item(demo, mine)
    with demo.app_context():
        db.session.get(Kiosk, kiosk_id).playlist_id = None
        db.session.commit()
    for body in (
        _beat(mine, version, my_key),
        _beat("None", None, None),
        {"state": "playing", "item_key": my_key},
        {"state": "playing", "playlist_version": version},
    ):
        assert client.post(API + "/heartbeat", headers=bearer(token), json=body).status_code == 400, body
    assert _state(demo, kiosk_id)[:2] == (None, None)
    assert client.post(API + "/heartbeat", headers=bearer(token), json={"state": "idle"}).status_code == 200
    assert _state(demo, kiosk_id)[0]["film_code"] is None


def test_odd_but_valid_heartbeats_are_kept(demo, client, kiosk, screening):
    kiosk_id, token = kiosk
    mine, version = screening
    my_key, my_code = _own_item(demo, mine)
    body = _beat(
        int(mine),
        version,
        my_key,
        last_error="bad\u0000file " + "é" * 2000,
        position=1e300,
        cache={"items": 7, "ready": 7, "bytes": 2**40},
        unknown={"deep": [[[[1]]]]},
    )
    assert client.post(API + "/heartbeat", headers=bearer(token), json=body).status_code == 200
    state = _state(demo, kiosk_id)[0]
    assert state["film_code"] == my_code and state["cache"]["bytes"] == 2**40
    assert len(state["last_error"]) == 500 and "unknown" not in state
    # the state alone, no playlist named: still the kiosk's own truth
    assert client.post(API + "/heartbeat", headers=bearer(token), json={"state": "paused"}).status_code == 200


@pytest.mark.parametrize("app", [{"KIOSK_COMMANDS_WAIT_MS": 5000}], indirect=True)
def test_a_long_poll_for_commands_answers_as_soon_as_staff_send_one(app, demo, live_server, kiosk, screening):
    import threading
    import time
    import urllib.request

    from showcase.extensions import db
    from showcase.kiosks.services import get_kiosk, queue_command

    kiosk_id, token = kiosk
    client = app.test_client()
    for waiting in client.get("/api/kiosk/commands", headers=bearer(token)).json["commands"]:  # publish's reload
        assert (
            client.post(f"/api/kiosk/commands/{waiting['id']}/ack", json={}, headers=bearer(token)).status_code == 200
        )
    answers = []

    def poll():
        request = urllib.request.Request(f"{live_server.url}/api/kiosk/commands?wait=4", headers=bearer(token))
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the test's own server
            answers.append((time.monotonic(), json.loads(response.read())))

    started = time.monotonic()
    waiting = threading.Thread(target=poll)
    waiting.start()
    time.sleep(0.5)
    assert not answers  # held open: nothing to say yet
    with app.app_context():
        queue_command(get_kiosk(kiosk_id), "next")
        db.session.commit()
    queued = time.monotonic()
    waiting.join(10)
    ((answered, body),) = answers
    assert [c["command"] for c in body["commands"]] == ["next"]
    assert answered - queued < 0.3 and answered - started < 2


@pytest.mark.parametrize("wait", ["-1", "nan", "inf", "soon"])
def test_a_bad_wait_for_commands_is_400(client, kiosk, wait):
    _kiosk_id, token = kiosk
    answer = client.get(f"/api/kiosk/commands?wait={wait}", headers=bearer(token))
    assert answer.status_code == 400 and "wait" in answer.json["fields"]


def test_a_long_poll_is_held_no_longer_than_the_server_allows(client, kiosk):
    import time

    _kiosk_id, token = kiosk
    started = time.monotonic()
    answer = client.get("/api/kiosk/commands?wait=3600", headers=bearer(token))
    assert answer.status_code == 200 and answer.json == {"commands": []}
    assert time.monotonic() - started < 2  # KIOSK_COMMANDS_WAIT_MS is 300 ms in the tests
