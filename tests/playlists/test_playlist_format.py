"""Manifest round trip and validation; XSPF and M3U8 writers."""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from playlists.format import SCHEMA, Item, ManifestError, Media, Playlist, from_json, to_dict, to_json, to_m3u8, to_xspf

NS = {"x": "http://xspf.org/ns/0/", "vlc": "http://www.videolan.org/vlc/playlist/ns/0/"}
SHA = "ab" * 32


def sample() -> Playlist:
    return Playlist(
        id="gala-2026",
        version=3,
        title="颁奖典礼 & <放映>",
        title_en="Awards & <screening>",
        published_at=datetime(2026, 11, 20, 19, 30, tzinfo=UTC),
        items=(
            Item(
                key="f1",
                kind="film",
                title="星河",
                title_en="Star River",
                media=Media(uri="media/星河 #1.mp4", sha256=SHA, bytes=1234, duration=95.5),
                runtime=96,
            ),
            Item(
                key="c1",
                kind="card",
                title="二等奖",
                title_en="Second prize",
                card_text="二等奖 (shared)\nSecond prize",
                card_seconds=6,
                hold=1.5,
            ),
            Item(key="f2", kind="film", title='Rain "Room"', media=Media(uri="https://cdn/x.mp4", sha256=SHA, bytes=9)),
        ),
    )


def test_round_trip_keeps_everything():
    playlist = sample()
    text = to_json(playlist)
    assert "星河" in text  # UTF-8, not \u escapes
    assert from_json(text) == playlist
    assert from_json(text.encode("utf-8")) == playlist
    assert json.loads(text)["schema"] == SCHEMA


def test_runtime_is_optional_and_old_manifests_stay_valid():
    data = to_dict(sample())
    assert data["items"][0]["runtime"] == 96 and "runtime" not in data["items"][2]  # absent, not null
    del data["items"][0]["runtime"]
    assert from_json(json.dumps(data)).items[0].runtime is None
    data["items"][0]["runtime"] = None
    assert from_json(json.dumps(data)).items[0].runtime is None


def _broken(mutate) -> str:
    data = to_dict(sample())
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema="showcase.playlist/9"), "manifest.schema"),
        (lambda d: d.pop("version"), "manifest.version: missing"),
        (lambda d: d.update(version="3"), "manifest.version: wrong type str"),
        (lambda d: d.update(version=True), "manifest.version: wrong type bool"),
        (lambda d: d.update(version=0), "manifest.version: must be >= 1"),
        (lambda d: d.update(published_at="yesterday"), "manifest.published_at: not an ISO 8601"),
        (lambda d: d.update(published_at="2026-11-20T19:30:00"), "needs a time zone"),
        (lambda d: d.update(items={}), "manifest.items: wrong type dict"),
        (lambda d: d["items"][0].update(kind="trailer"), "items[0].kind"),
        (lambda d: d["items"][0].pop("media"), "items[0].media: a film needs media"),
        (lambda d: d["items"][0]["media"].update(sha256="XYZ"), "items[0].media.sha256"),
        (lambda d: d["items"][0]["media"].update(bytes=-1), "items[0].media: bytes must be >= 0"),
        (lambda d: d["items"][0]["media"].update(duration=0), "duration > 0"),
        (lambda d: d["items"][1]["card"].update(seconds=0), "items[1].card.seconds: must be > 0"),
        (lambda d: d["items"][1].pop("card"), "items[1].card: expected an object"),
        (lambda d: d["items"][1].update(hold=-1), "items[1].hold: must be >= 0"),
        (lambda d: d["items"][0].update(runtime=0), "items[0].runtime: must be > 0"),
        (lambda d: d["items"][0].update(runtime="8 min"), "items[0].runtime: wrong type str"),
        (lambda d: d["items"][0].update(runtime=True), "items[0].runtime: wrong type bool"),
        (lambda d: d["items"][2].update(key="f1"), "duplicate keys ['f1']"),
        (lambda d: d["items"][2].update(key="  "), "items[2].key: must not be empty"),
    ],
)
def test_bad_manifest_names_the_field(mutate, message):
    with pytest.raises(ManifestError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        from_json(_broken(mutate))


@pytest.mark.parametrize("text", ["", "{", "[]", "null", b"\xff\xfe"])
def test_not_a_manifest_at_all(text):
    with pytest.raises(ManifestError):
        from_json(text)


def test_xspf_is_well_formed_escaped_and_vlc_flavoured():
    playlist = sample()
    text = to_xspf(playlist, locate=lambda item: item.media.uri if item.media else f"cards/{item.key}.png")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))  # noqa: S314 - our own output
    assert root.find("x:title", NS).text == "颁奖典礼 & <放映> / Awards & <screening>"
    tracks = root.findall("x:trackList/x:track", NS)
    assert [t.find("x:location", NS).text for t in tracks] == [
        "media/%E6%98%9F%E6%B2%B3%20%231.mp4",
        "cards/c1.png",
        "https://cdn/x.mp4",
    ]
    assert [t.findtext("x:duration", None, NS) for t in tracks] == ["95500", "6000", None]
    assert tracks[1].find("x:extension/vlc:option", NS).text == "image-duration=6"
    assert tracks[2].find("x:title", NS).text == 'Rain "Room"'
    assert [t.find("x:extension/vlc:id", NS).text for t in tracks] == ["0", "1", "2"]
    assert [i.get("tid") for i in root.findall("x:extension/vlc:item", NS)] == ["0", "1", "2"]


def test_xspf_leaves_cards_out_by_default():
    root = ET.fromstring(to_xspf(sample()).encode())  # noqa: S314 - our own output
    titles = [t.find("x:title", NS).text for t in root.findall("x:trackList/x:track", NS)]
    assert titles == ["星河 / Star River", 'Rain "Room"']


def test_m3u8_lines():
    text = to_m3u8(sample(), locate=lambda item: f"/srv/{item.key}.mp4" if item.media else None)
    assert text.splitlines() == [
        "#EXTM3U",
        "#PLAYLIST:颁奖典礼 & <放映> / Awards & <screening>",
        "#EXTINF:96,星河 / Star River",
        "file:///srv/f1.mp4",
        '#EXTINF:-1,Rain "Room"',
        "file:///srv/f2.mp4",
    ]


def _films_and_card(item: Item) -> str:
    return item.media.uri if item.media else "/exports/show-cards/第 #2 card.png"


def test_m3u8_percent_encodes_hash_space_and_chinese_so_no_path_turns_into_a_comment():
    lines = to_m3u8(sample(), locate=_films_and_card).splitlines()
    paths = [line for line in lines if not line.startswith("#")]
    assert paths == [
        "media/%E6%98%9F%E6%B2%B3%20%231.mp4",  # 星河 #1.mp4, relative
        "file:///exports/show-cards/%E7%AC%AC%20%232%20card.png",  # absolute: a file URI
        "https://cdn/x.mp4",  # a URL is written as it is
    ]
    assert urllib.parse.unquote(paths[0]) == "media/星河 #1.mp4"
    assert not any("#" in path or " " in path for path in paths)


def test_holds_are_a_black_still_of_the_hold_length_in_both_formats():
    playlist = sample()  # the card c1 holds 1.5 s after it
    lines = to_m3u8(playlist, locate=_films_and_card, still="cards/black.png").splitlines()
    assert lines[2:] == [
        "#EXTINF:96,星河 / Star River",
        "media/%E6%98%9F%E6%B2%B3%20%231.mp4",
        "#EXTINF:6,二等奖 / Second prize",
        "#EXTVLCOPT:image-duration=6",
        "file:///exports/show-cards/%E7%AC%AC%20%232%20card.png",
        "#EXTINF:2,Hold 1.5 s",
        "#EXTVLCOPT:image-duration=1.500",
        "cards/black.png",
        '#EXTINF:-1,Rain "Room"',
        "https://cdn/x.mp4",
    ]
    root = ET.fromstring(to_xspf(playlist, locate=_films_and_card, still="cards/black.png"))  # noqa: S314
    tracks = root.findall("x:trackList/x:track", NS)
    assert [t.findtext("x:title", None, NS) for t in tracks] == [
        "星河 / Star River",
        "二等奖 / Second prize",
        "Hold 1.5 s",
        'Rain "Room"',
    ]
    assert [t.findtext("x:location", None, NS) for t in tracks] == [
        "media/%E6%98%9F%E6%B2%B3%20%231.mp4",
        "file:///exports/show-cards/%E7%AC%AC%20%232%20card.png",
        "cards/black.png",
        "https://cdn/x.mp4",
    ]
    assert [t.findtext("x:duration", None, NS) for t in tracks] == ["95500", "6000", "1500", None]
    options = [[o.text for o in t.findall("x:extension/vlc:option", NS)] for t in tracks]
    assert options == [[], ["image-duration=6"], ["image-duration=1.500"], []]
    assert [t.findtext("x:extension/vlc:id", None, NS) for t in tracks] == ["0", "1", "2", "3"]
    assert [i.get("tid") for i in root.findall("x:extension/vlc:item", NS)] == ["0", "1", "2", "3"]


def test_without_a_still_holds_are_left_out():
    text = to_m3u8(sample(), locate=_films_and_card)
    assert "Hold" not in text and text.count("#EXTINF") == 3


def test_a_card_shown_until_the_next_command_stays_until_next_in_vlc():
    card = Item(key="c", kind="card", title="Q&A", card_text="Q&A", card_seconds=None)
    playlist = Playlist(id="p", version=1, title="t", published_at=sample().published_at, items=(card,))
    assert to_m3u8(playlist, locate=lambda item: "q.png").splitlines()[2:] == [
        "#EXTINF:-1,Q&A",
        "#EXTVLCOPT:image-duration=-1",  # VLC: a negative image duration shows the picture until "next"
        "q.png",
    ]
    track = ET.fromstring(to_xspf(playlist, locate=lambda item: "q.png")).find("x:trackList/x:track", NS)  # noqa: S314
    assert track.findtext("x:duration", None, NS) is None
    assert track.findtext("x:extension/vlc:option", None, NS) == "image-duration=-1"


def test_m3u8_card_gets_image_duration_and_titles_stay_on_one_line():
    playlist = sample()
    text = to_m3u8(playlist, locate=lambda item: "card.png" if item.kind == "card" else None)
    assert text.splitlines()[2:] == ["#EXTINF:6,二等奖 / Second prize", "#EXTVLCOPT:image-duration=6", "card.png"]
    multi = Playlist(
        id="p",
        version=1,
        title="a\nb",
        published_at=playlist.published_at,
        items=(Item(key="k", kind="film", title="x\ny", media=Media(uri="u", sha256=SHA, bytes=1)),),
    )
    assert to_m3u8(multi).splitlines() == ["#EXTM3U", "#PLAYLIST:a b", "#EXTINF:-1,x y", "u"]
