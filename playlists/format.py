"""Playlist dataclasses, the versioned JSON manifest, and XSPF / M3U8 writers (stdlib only)."""

from __future__ import annotations

import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SCHEMA = "showcase.playlist/1"
KINDS = ("film", "card")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_XSPF_NS = "http://xspf.org/ns/0/"
_VLC_NS = "http://www.videolan.org/vlc/playlist/ns/0/"
_VLC_APP = "http://www.videolan.org/vlc/playlist/0"


class ManifestError(ValueError):
    """A manifest that cannot be trusted: the message names the offending field."""


@dataclass(frozen=True)
class Media:
    """A media file: where it is, its sha256, size in bytes and duration in seconds (measured from the file)."""

    uri: str
    sha256: str
    bytes: int
    duration: float | None = None


@dataclass(frozen=True)
class Item:
    """One playlist entry: a film with media, or a title card shown for `card_seconds` (None: until the next command).

    `runtime` is the film's listed running time in seconds (from the film's record, not the file): the
    preflight compares it with the file's real length to catch a wrong or truncated file. `waits`: the kiosk
    does not go on to this item by itself; when the item before is done it holds that picture until a
    command (next, jump) moves on (a live show's cue that waits for GO).
    """

    key: str
    kind: str
    title: str
    title_en: str | None = None
    media: Media | None = None
    card_text: str | None = None
    card_seconds: float | None = None
    hold: float = 0.0
    runtime: float | None = None
    waits: bool = False

    @property
    def expected_seconds(self) -> float | None:
        """How long the item should show: the card's seconds (None for a card shown until the next command) or the
        film's duration."""
        if self.kind == "card":
            return self.card_seconds
        return self.media.duration if self.media else None

    def display_title(self) -> str:
        """Original title, with the English one after a slash when it differs."""
        if self.title_en and self.title_en != self.title:
            return f"{self.title} / {self.title_en}"
        return self.title


@dataclass(frozen=True)
class Playlist:
    """A published playlist version: the unit the kiosk downloads, checks and plays."""

    id: str
    version: int
    title: str
    published_at: datetime
    items: tuple[Item, ...] = field(default_factory=tuple)
    title_en: str | None = None

    def index_of(self, key: str) -> int | None:
        """Position of the item with this key, or None."""
        return next((i for i, item in enumerate(self.items) if item.key == key), None)


# ---------------------------------------------------------------- JSON manifest


def to_json(playlist: Playlist, *, indent: int | None = 2) -> str:
    """Serialise a playlist as a `showcase.playlist/1` manifest (UTF-8 text, not ASCII-escaped)."""
    return json.dumps(to_dict(playlist), ensure_ascii=False, indent=indent)


def to_dict(playlist: Playlist) -> dict[str, Any]:
    """The manifest as plain JSON-ready data."""
    return {
        "schema": SCHEMA,
        "id": playlist.id,
        "version": playlist.version,
        "title": playlist.title,
        "title_en": playlist.title_en,
        "published_at": playlist.published_at.isoformat(),
        "items": [_item_dict(item) for item in playlist.items],
    }


def _item_dict(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"key": item.key, "kind": item.kind, "title": item.title, "title_en": item.title_en}
    if item.media is not None:
        m = item.media
        data["media"] = {"uri": m.uri, "sha256": m.sha256, "bytes": m.bytes, "duration": m.duration}
    if item.kind == "card":
        data["card"] = {"text": item.card_text, "seconds": item.card_seconds}
    data["hold"] = item.hold
    if item.runtime is not None:  # absent rather than null: manifests without it stay byte for byte the same
        data["runtime"] = item.runtime
    if item.waits:  # absent when false, as for runtime
        data["waits"] = True
    return data


def from_json(text: str | bytes) -> Playlist:
    """Parse and validate a manifest; raise ManifestError naming the first problem."""
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest is not valid JSON: {exc}") from None
    return from_dict(data)


def from_dict(data: Any) -> Playlist:
    """Validate plain manifest data and build the Playlist."""
    obj = _Obj(data, "manifest")
    if obj.get("schema", str) != SCHEMA:
        raise ManifestError(f"manifest.schema: expected {SCHEMA!r}, got {obj.raw.get('schema')!r}")
    raw_items = obj.get("items", list)
    items = tuple(_parse_item(raw, f"items[{i}]") for i, raw in enumerate(raw_items))
    keys = [item.key for item in items]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ManifestError(f"manifest.items: duplicate keys {duplicates}")
    version = obj.get("version", int)
    if version < 1:
        raise ManifestError("manifest.version: must be >= 1")
    return Playlist(
        id=_nonempty(obj.get("id", (str, int)), "manifest.id"),
        version=version,
        title=obj.get("title", str),
        title_en=obj.optional("title_en", str),
        published_at=_parse_time(obj.get("published_at", str), "manifest.published_at"),
        items=items,
    )


def _parse_item(raw: Any, where: str) -> Item:
    obj = _Obj(raw, where)
    kind = obj.get("kind", str)
    if kind not in KINDS:
        raise ManifestError(f"{where}.kind: expected one of {KINDS}, got {kind!r}")
    hold = float(obj.optional("hold", (int, float)) or 0.0)
    if hold < 0:
        raise ManifestError(f"{where}.hold: must be >= 0")
    runtime = obj.optional("runtime", (int, float))
    if runtime is not None and runtime <= 0:
        raise ManifestError(f"{where}.runtime: must be > 0 (seconds)")
    media = _parse_media(obj.raw.get("media"), f"{where}.media") if obj.raw.get("media") is not None else None
    text, seconds = None, None
    if kind == "film" and media is None:
        raise ManifestError(f"{where}.media: a film needs media")
    if kind == "card":
        card = _Obj(obj.raw.get("card"), f"{where}.card")
        text = card.get("text", str)
        seconds = card.optional("seconds", (int, float))  # absent or null: shown until the next command
        if seconds is not None and seconds <= 0:
            raise ManifestError(f"{where}.card.seconds: must be > 0, or null for a card shown until the next command")
    waits = obj.optional("waits", bool)
    return Item(
        key=_nonempty(obj.get("key", str), f"{where}.key"),
        kind=kind,
        title=obj.get("title", str),
        title_en=obj.optional("title_en", str),
        media=media,
        card_text=text,
        card_seconds=None if seconds is None else float(seconds),
        hold=hold,
        runtime=None if runtime is None else float(runtime),
        waits=bool(waits),
    )


def _parse_media(raw: Any, where: str) -> Media:
    obj = _Obj(raw, where)
    sha = obj.get("sha256", str)
    if not _SHA256.match(sha):
        raise ManifestError(f"{where}.sha256: expected 64 lowercase hex digits")
    size = obj.get("bytes", int)
    duration = obj.optional("duration", (int, float))
    if size < 0 or (duration is not None and duration <= 0):
        raise ManifestError(f"{where}: bytes must be >= 0 and duration > 0")
    uri = _nonempty(obj.get("uri", str), f"{where}.uri")
    return Media(uri=uri, sha256=sha, bytes=size, duration=None if duration is None else float(duration))


class _Obj:
    """A JSON object being validated; errors carry the dotted path of the field."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: expected an object, got {type(raw).__name__}")
        self.raw, self.where = raw, where

    def get(self, name: str, types: type | tuple[type, ...]) -> Any:
        if name not in self.raw:
            raise ManifestError(f"{self.where}.{name}: missing")
        return self._check(name, types)

    def optional(self, name: str, types: type | tuple[type, ...]) -> Any:
        return None if self.raw.get(name) is None else self._check(name, types)

    def _check(self, name: str, types: type | tuple[type, ...]) -> Any:
        value = self.raw[name]
        # bool is an int in Python, never a valid number in a manifest (only a flag asked for as bool)
        if (isinstance(value, bool) and types is not bool) or not isinstance(value, types):
            raise ManifestError(f"{self.where}.{name}: wrong type {type(value).__name__}")
        return value


def _nonempty(value: str | int, where: str) -> str:
    text = str(value).strip()
    if not text:
        raise ManifestError(f"{where}: must not be empty")
    return text


def _parse_time(text: str, where: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ManifestError(f"{where}: not an ISO 8601 time: {text!r}") from None
    if when.tzinfo is None:
        raise ManifestError(f"{where}: needs a time zone offset")
    return when


# ---------------------------------------------------------------- XSPF and M3U8

# location(item) returns a URL, an absolute path or a path relative to the playlist file,
# or None to leave the item out (title cards by default: they have no media file).
Locate = Callable[[Item], "str | None"]


def media_uri(item: Item) -> str | None:
    """Default locator: the film's manifest URI; title cards are left out."""
    return item.media.uri if item.media else None


@dataclass(frozen=True)
class _Entry:
    """One line of an XSPF or M3U8 playlist: a film, a title card, or the still that stands for a hold."""

    uri: str
    title: str
    seconds: float | None  # how long it shows (None: unknown, or until the next command)
    image_seconds: float | None = None  # for pictures: VLC's image-duration (-1: until the next command)
    note: str | None = None


def _entries(playlist: Playlist, locate: Locate, still: str | None) -> list[_Entry]:
    entries = []
    for item in playlist.items:
        location = locate(item)
        if location is not None:
            entries.append(_entry(item, _as_uri(location)))
        if item.hold > 0 and still is not None:
            # VLC has no pause between items: a hold is a black picture shown for the hold's seconds
            hold = f"Hold {item.hold:g} s"
            entries.append(_Entry(_as_uri(still), hold, item.hold, image_seconds=item.hold))
    return entries


def _entry(item: Item, uri: str) -> _Entry:
    if item.kind != "card":
        return _Entry(uri, item.display_title(), item.expected_seconds)
    # stock VLC shows a still picture for 10 s unless told otherwise; -1 keeps it until "next"
    image = item.card_seconds if item.card_seconds else -1.0
    return _Entry(uri, item.display_title(), item.card_seconds, image_seconds=image, note=item.card_text or None)


def _as_uri(location: str) -> str:
    """A URI reference VLC and mpv read back as the same file: `#`, spaces and CJK percent-encoded (UTF-8)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location):
        return location
    if location.startswith("/"):
        return "file://" + urllib.parse.quote(location)  # an absolute path: a file URI
    return urllib.parse.quote(location)  # relative to the playlist file


def to_xspf(playlist: Playlist, *, locate: Locate = media_uri, still: str | None = None) -> str:
    """VLC-compatible XSPF. Cards appear only if `locate` gives them an image (VLC's image-duration: their seconds);
    holds only with `still`, a black picture shown for the hold's seconds after the item."""
    ET.register_namespace("", _XSPF_NS)
    ET.register_namespace("vlc", _VLC_NS)
    root = ET.Element(f"{{{_XSPF_NS}}}playlist", {"version": "1"})
    ET.SubElement(root, f"{{{_XSPF_NS}}}title").text = _playlist_title(playlist)
    tracks = ET.SubElement(root, f"{{{_XSPF_NS}}}trackList")
    entries = _entries(playlist, locate, still)
    for track_id, entry in enumerate(entries):
        _xspf_track(tracks, entry, track_id=track_id)
    ext = ET.SubElement(root, f"{{{_XSPF_NS}}}extension", {"application": _VLC_APP})
    for tid in range(len(entries)):
        ET.SubElement(ext, f"{{{_VLC_NS}}}item", {"tid": str(tid)})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _xspf_track(parent: ET.Element, entry: _Entry, *, track_id: int) -> None:
    track = ET.SubElement(parent, f"{{{_XSPF_NS}}}track")
    ET.SubElement(track, f"{{{_XSPF_NS}}}location").text = entry.uri
    ET.SubElement(track, f"{{{_XSPF_NS}}}title").text = entry.title
    if entry.note:
        ET.SubElement(track, f"{{{_XSPF_NS}}}annotation").text = entry.note
    if entry.seconds:
        ET.SubElement(track, f"{{{_XSPF_NS}}}duration").text = str(round(entry.seconds * 1000))
    ext = ET.SubElement(track, f"{{{_XSPF_NS}}}extension", {"application": _VLC_APP})
    ET.SubElement(ext, f"{{{_VLC_NS}}}id").text = str(track_id)
    if entry.image_seconds is not None:
        ET.SubElement(ext, f"{{{_VLC_NS}}}option").text = f"image-duration={_seconds_text(entry.image_seconds)}"


def to_m3u8(playlist: Playlist, *, locate: Locate = media_uri, still: str | None = None) -> str:
    """Extended M3U (UTF-8): #EXTINF with whole seconds (-1 unknown) and title, #EXTVLCOPT:image-duration for
    pictures, percent-encoded locations (a `#` in a file name is not a comment); cards and holds as for XSPF."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(_playlist_title(playlist))}"]
    for entry in _entries(playlist, locate, still):
        lines.append(f"#EXTINF:{round(entry.seconds) if entry.seconds else -1},{_one_line(entry.title)}")
        if entry.image_seconds is not None:
            lines.append(f"#EXTVLCOPT:image-duration={_seconds_text(entry.image_seconds)}")
        lines.append(entry.uri)
    return "\n".join(lines) + "\n"


def _playlist_title(playlist: Playlist) -> str:
    if playlist.title_en and playlist.title_en != playlist.title:
        return f"{playlist.title} / {playlist.title_en}"
    return playlist.title


def _one_line(text: str) -> str:
    # a newline inside a title would start a new M3U entry
    return " ".join(text.split())


def _seconds_text(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:.3f}"
