"""The HTTP client and the cache against a real local server: ETags, Range resume, corrupt files, offline."""

from __future__ import annotations

import hashlib

import pytest

from playlists.format import Media, from_json, to_json
from playlists.kiosk.cache import Cache, CacheError
from playlists.kiosk.source import ServerSource, SourceError
from tests.playlists.fake_server import TOKEN, FakeServer
from tests.playlists.kiosk_support import film_item, make_playlist


@pytest.fixture
def server():
    running = FakeServer()
    yield running
    running.stop()


def _media(data: bytes) -> Media:
    return Media(uri="x.mp4", sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), duration=2.0)


def test_manifest_etag_304_204_and_bad_token(server, clips):
    source = ServerSource(server.url, TOKEN)
    assert source.fetch_manifest().status == "none"
    playlist = make_playlist(film_item("a", clips["good1"]))
    server.state.publish(playlist, {"a": clips["good1"].read_bytes()})
    fetched = source.fetch_manifest()
    assert fetched.status == "new" and fetched.etag == '"gala-v1"' and from_json(fetched.text) == playlist
    assert source.fetch_manifest(fetched.etag).status == "unchanged"
    with pytest.raises(SourceError, match="HTTP 401"):
        ServerSource(server.url, "wrong").fetch_manifest()
    assert server.state.unauthorized == 1


def test_partial_download_is_resumed_with_range(server, tmp_path):
    data = bytes(range(256)) * 400
    media = _media(data)
    server.state.media[media.sha256] = data
    cache = Cache(tmp_path)
    partial = cache.media_path(media).with_name(media.sha256 + ".part")
    partial.write_bytes(data[:40_000])
    path = cache.ensure(media, ServerSource(server.url, TOKEN).download)
    assert server.state.ranges == ["bytes=40000-"]
    assert path.read_bytes() == data and not partial.exists() and cache.is_ready(media)


def test_truncated_cached_file_is_completed_and_corrupt_one_fetched_again(server, tmp_path):
    data = b"showcase" * 5000
    media = _media(data)
    server.state.media[media.sha256] = data
    cache, source = Cache(tmp_path), ServerSource(server.url, TOKEN)
    cache.media_path(media).write_bytes(data[:1000])  # e.g. the disk filled up
    assert not cache.is_ready(media)
    assert cache.ensure(media, source.download).read_bytes() == data
    assert server.state.ranges == ["bytes=1000-"]
    corrupt = bytearray(data)
    corrupt[500] ^= 0xFF
    cache.media_path(media).write_bytes(bytes(corrupt))
    assert not cache.is_ready(media)
    assert cache.ensure(media, source.download).read_bytes() == data
    assert server.state.ranges == ["bytes=1000-"]  # a corrupt file is fetched whole, not resumed


def test_media_that_never_matches_its_sha256_is_refused(server, tmp_path):
    media = _media(b"what the manifest promised")
    server.state.media[media.sha256] = b"something else entirely!!"
    cache = Cache(tmp_path)
    with pytest.raises(CacheError, match="never matched"):
        cache.ensure(media, ServerSource(server.url, TOKEN).download)
    assert not cache.media_path(media).exists()
    assert list(cache.media_dir.iterdir()) == []


def test_commands_acks_heartbeat_and_preflight(server):
    source = ServerSource(server.url, TOKEN)
    first = server.state.command("jump", item_key="b")
    server.state.command("next")
    assert [(c["command"], c["args"]) for c in source.commands()] == [("jump", {"item_key": "b"}), ("next", {})]
    source.ack(first)
    assert [c["command"] for c in source.commands()] == ["next"]
    source.heartbeat({"state": "idle"})
    source.post_preflight({"playlist_version": 1, "items": []})
    assert server.state.heartbeats == [{"state": "idle"}] and server.state.preflights[0]["playlist_version"] == 1


def test_server_gone_raises_source_error_and_cache_still_answers(server, tmp_path, clips):
    playlist = make_playlist(film_item("a", clips["good1"]))
    cache = Cache(tmp_path)
    cache.save_manifest(to_json(playlist), '"gala-v1"')
    server.stop()
    source = ServerSource(server.url, TOKEN, timeout=1)
    with pytest.raises(SourceError):
        source.fetch_manifest()
    with pytest.raises(SourceError):
        source.heartbeat({"state": "playing"})
    assert Cache(tmp_path).load_manifest() == (playlist, '"gala-v1"')


def test_unreadable_cached_manifest_is_ignored(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    assert Cache(tmp_path).load_manifest() is None
