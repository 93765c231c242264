"""Ceremony order of winners (with shared placements) and running order → playlist items."""

from __future__ import annotations

import pytest

from playlists.format import Item, Media
from playlists.ordering import (
    Award,
    OrderingError,
    RunningEntry,
    ceremony_items,
    ceremony_order,
    running_order_items,
)

SHA = "cd" * 32

# the model case: one first prize, two shared second prizes, a third prize; plus a jury award shown first
AWARDS = [
    Award("Best AI Short", 1, 1, "gold"),
    Award("Best AI Short", 1, 2, "silver-a"),
    Award("Jury Award", 0, 1, "jury"),
    Award("Best AI Short", 1, 3, "bronze"),
    Award("Best AI Short", 1, 2, "silver-b"),
]


def _summary(groups):
    return [(g.category, g.placement, g.films) for g in groups]


def test_categories_mode_first_prize_last_within_each_category():
    groups = ceremony_order(AWARDS, mode="categories")
    assert _summary(groups) == [
        ("Jury Award", 1, ("jury",)),
        ("Best AI Short", 3, ("bronze",)),
        ("Best AI Short", 2, ("silver-a", "silver-b")),
        ("Best AI Short", 1, ("gold",)),
    ]
    assert groups[2].announcement == "Best AI Short — Second prize (shared)"
    assert groups[3].announcement == "Best AI Short — First prize"


def test_lowest_first_across_categories():
    assert _summary(ceremony_order(AWARDS, mode="lowest_first")) == [
        ("Best AI Short", 3, ("bronze",)),
        ("Best AI Short", 2, ("silver-a", "silver-b")),
        ("Jury Award", 1, ("jury",)),
        ("Best AI Short", 1, ("gold",)),
    ]


def test_highest_first():
    assert _summary(ceremony_order(AWARDS, mode="highest_first")) == [
        ("Jury Award", 1, ("jury",)),
        ("Best AI Short", 1, ("gold",)),
        ("Best AI Short", 2, ("silver-a", "silver-b")),
        ("Best AI Short", 3, ("bronze",)),
    ]


def test_prize_name_and_placements_beyond_third():
    groups = ceremony_order([Award("Audience", 2, 4, "x"), Award("Grand", 1, 1, "y", prize_name="Grand Prix")])
    assert [g.announcement for g in groups] == ["Grand — Grand Prix", "Audience — Fourth prize"]


def test_same_film_listed_twice_in_a_group_appears_once():
    groups = ceremony_order([Award("A", 1, 2, "x"), Award("A", 1, 2, "x")])
    assert groups[0].films == ("x",)


@pytest.mark.parametrize(
    ("awards", "mode", "message"),
    [
        (AWARDS, "alphabetical", "unknown ceremony mode"),
        ([Award("A", 1, 0, "x")], "categories", "placement must be >= 1"),
    ],
)
def test_bad_award_input(awards, mode, message):
    with pytest.raises(OrderingError, match=message):
        ceremony_order(awards, mode=mode)


def test_empty_awards_give_no_groups():
    assert ceremony_order([]) == []


def _media(name: str) -> Media:
    return Media(uri=f"{name}.mp4", sha256=SHA, bytes=10, duration=60.0)


def test_running_order_films_play_media_everything_else_is_a_card():
    entries = [
        RunningEntry("r1", "slate", "欢迎", 20, title_en="Welcome"),
        RunningEntry("r2", "award", "Second prize", 30, text="二等奖\nSecond prize: Rain Room"),
        RunningEntry("r3", "film", "雨室", 300, title_en="Rain Room", media=_media("rain"), hold=2),
        RunningEntry("r4", "speech", "Jury speech", 120),
        RunningEntry("r5", "panel", "Panel", 1800),
        RunningEntry("r6", "interval", "Interval", 900),
        RunningEntry("r7", "other", "Thanks", 10),
    ]
    items = running_order_items(entries)
    assert [(i.key, i.kind) for i in items] == [
        ("r1", "card"),
        ("r2", "card"),
        ("r3", "film"),
        ("r4", "card"),
        ("r5", "card"),
        ("r6", "card"),
        ("r7", "card"),
    ]
    assert items[0].card_text == "欢迎\nWelcome" and items[0].card_seconds == 20
    assert items[1].card_text == "二等奖\nSecond prize: Rain Room"
    assert items[2].media == _media("rain") and items[2].hold == 2 and items[2].title_en == "Rain Room"
    assert items[4].card_seconds == 1800


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (RunningEntry("r1", "film", "No file", 60), "has no media"),
        (RunningEntry("r2", "speech", "Zero", 0), "needs planned seconds > 0"),
        (RunningEntry("r3", "dance", "?", 10), "unknown kind 'dance'"),
    ],
)
def test_bad_running_order(entry, message):
    with pytest.raises(OrderingError, match=message):
        running_order_items([entry])


def test_ceremony_items_interleave_announcements_and_films():
    films = {ref: Item(key=ref, kind="film", title=ref, media=_media(ref)) for ref in ("gold", "silver-a", "silver-b")}
    groups = ceremony_order([a for a in AWARDS if a.film in films])
    items = ceremony_items(groups, films=films, card_seconds=4)
    assert [i.key for i in items] == ["announce-1", "silver-a", "silver-b", "announce-2", "gold"]
    assert items[0].card_text == "Best AI Short — Second prize (shared)" and items[0].card_seconds == 4
    with pytest.raises(OrderingError, match="no playlist item for film 'silver-a'"):
        ceremony_items(groups, films={})
