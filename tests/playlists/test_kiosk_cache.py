"""The kiosk cache remembers which files it verified, across restarts, without trusting a changed file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playlists.format import Media
from playlists.kiosk.cache import Cache
from playlists.kiosk.files import sha256_file


def _cached(tmp_path: Path, data: bytes) -> tuple[Cache, Media]:
    cache = Cache(tmp_path / "cache")
    source = tmp_path / "film.mp4"
    source.write_bytes(data)
    media = Media(uri="film.mp4", sha256=sha256_file(source), bytes=len(data))
    shutil.copyfile(source, cache.media_path(media))
    assert cache.is_ready(media)  # hashed once, here
    return cache, media


def _same_size_other_bytes(path: Path, *, keep_mtime: bool) -> None:
    before = path.stat()
    with path.open("r+b") as handle:  # in place: the same inode
        handle.write(b"X")
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_kiosk_starting_again_trusts_the_files_it_verified_without_reading_them(tmp_path):
    _cache, media = _cached(tmp_path, b"film" * 50_000)
    path = _cache.media_path(media)
    # Change the bytes behind the cache's back but keep size, mtime and inode: only reading the file could
    # tell. A new Cache (the kiosk started again) still calls it ready, so it did not read it.
    _same_size_other_bytes(path, keep_mtime=True)
    assert Cache(tmp_path / "cache").is_ready(media)


def test_a_file_changed_since_it_was_verified_is_hashed_again_and_refused(tmp_path):
    _cache, media = _cached(tmp_path, b"film" * 50_000)
    _same_size_other_bytes(_cache.media_path(media), keep_mtime=False)
    assert not Cache(tmp_path / "cache").is_ready(media)


def test_a_file_replaced_by_another_of_the_same_size_and_time_is_hashed_again(tmp_path):
    _cache, media = _cached(tmp_path, b"film" * 50_000)
    path = _cache.media_path(media)
    before = path.stat()
    other = path.with_name("other")
    other.write_bytes(b"mlif" * 50_000)
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)  # a new inode
    assert not Cache(tmp_path / "cache").is_ready(media)


def test_an_unreadable_record_of_verified_files_means_hashing_again_not_failing(tmp_path):
    _cache, media = _cached(tmp_path, b"film" * 50_000)
    (tmp_path / "cache" / "verified.json").write_text("{not json", encoding="utf-8")
    again = Cache(tmp_path / "cache")
    assert again.is_ready(media)  # hashed, and good
    _same_size_other_bytes(again.media_path(media), keep_mtime=True)
    assert Cache(tmp_path / "cache").is_ready(media)  # and remembered again
