"""The pure sequencer in a live show: items that wait for a command, cards with no timer, jumps with a start."""

from __future__ import annotations

from dataclasses import replace

import pytest

from playlists.format import Item, ManifestError, from_dict, to_dict
from playlists.kiosk.actions import Done, Pause, Place, Prepare, Stop, Switched
from playlists.kiosk.sequencer import Sequencer
from tests.playlists.test_kiosk_sequencer import Show, card, film, of, playlist, plays


def waiting(item: Item) -> Item:
    return replace(item, waits=True)


def untimed(key: str) -> Item:
    return replace(card(key), card_seconds=None)


def show_of(*items: Item) -> Show:
    return Show(*items)


def test_a_first_item_that_waits_is_prepared_and_nothing_plays_until_a_command():
    show = show_of(waiting(film("a", 4)), waiting(untimed("b")))
    assert plays(show.log) == [] and of(Prepare, show.log) == [Prepare(waiting(film("a", 4)))]
    assert show.seq.status == "waiting" and show.seq.snapshot(now=show.now)["state"] == "idle"
    assert show.do(show.seq.tick(now=show.now + 30)) == []
    out = show.cmd("jump", item_key="a", start=0.2)  # a GO heard a moment after the cue started: the prepared cut
    assert plays(out) == [("a", 0.0)]


def test_a_film_ends_on_its_last_frame_and_holds_until_the_next_go():
    show = show_of(waiting(film("a", 4)), waiting(untimed("b")), film("c", 4))
    show.cmd("jump", item_key="a", start=0.0)
    show.start()
    show.run_for(4)
    out = show.end()
    assert of(Done, out) == [Done(0, "a", 4.0, "ended")] and plays(out) == []
    assert of(Stop, out) == []  # the last frame stays up: no stop, no black
    assert of(Prepare, out) == [Prepare(waiting(untimed("b")))]
    snapshot = show.seq.snapshot(now=show.now)
    assert show.seq.status == "waiting" and (snapshot["state"], snapshot["item_key"]) == ("playing", "a")
    show.run_for(60)
    assert plays(show.log) == [("a", 0.0)]
    assert show.seq.place(now=show.now) == Place("p", 1, "a", 3.0)  # a restart shows its last second again


def test_a_card_with_no_seconds_lasts_until_the_next_command_and_a_following_film_plays_by_itself():
    show = show_of(waiting(untimed("b")), film("c", 4), film("d", 4))
    show.cmd("next")
    show.start()
    show.run_for(600)
    assert plays(show.log) == [("b", 0.0)] and show.seq.status == "playing"
    out = show.cmd("jump", item_key="c", start=0.0)
    show.start()
    show.run_for(4)
    out = show.end()
    assert plays(out) == [("d", 0.0)]  # d does not wait: it follows c


def test_a_late_jump_to_the_item_on_screen_changes_nothing():
    show = show_of(waiting(film("a", 20)), film("b", 4))
    show.cmd("jump", item_key="a", start=0.0)
    show.start()
    show.run_for(5)
    assert show.cmd("jump", item_key="a", start=5.5) == []  # the server caught up with what the kiosk did
    assert plays(show.cmd("jump", item_key="a", start=12.0)) == [("a", 12.0)]  # far off: to the show's place


def test_a_jump_well_into_a_film_starts_it_at_the_shows_place_and_past_its_end_near_its_end():
    show = show_of(waiting(film("a", 20)), waiting(film("b", 30)))
    assert plays(show.cmd("jump", item_key="b", start=14.5)) == [("b", 14.5)]
    assert plays(show.cmd("jump", item_key="a", start=95.0)) == [("a", 19.0)]


def test_a_jump_to_a_film_that_ended_while_its_picture_holds_changes_nothing():
    show = show_of(waiting(film("a", 4)), waiting(film("b", 4)))
    show.cmd("jump", item_key="a", start=0.0)
    show.start()
    show.run_for(4)
    show.end()
    assert show.cmd("jump", item_key="a", start=30.0) == []
    assert plays(show.cmd("next")) == [("b", 0.0)]  # an operator's next moves on, wait or not


def test_a_pause_heard_while_the_item_opens_pauses_it_as_soon_as_it_plays():
    show = show_of(waiting(film("a", 20)))
    show.cmd("jump", item_key="a", start=8.0)
    assert show.cmd("pause") == []
    assert of(Pause, show.start()) == [Pause()] and show.seq.status == "paused"


def test_a_jump_to_an_item_of_a_version_on_its_way_is_taken_when_it_arrives():
    seq = Sequencer()
    seq.load(playlist(film("old", 60)), now=0.0)
    assert seq.command("jump", now=1.0, item_key="new", start=3.0) == []
    new = replace(playlist(waiting(film("x", 30)), waiting(film("new", 30))), id="show")
    out = seq.offer(new, now=5.0)
    assert of(Switched, out) == [Switched("show", None, 1)]
    assert plays(out) == [("new", 7.0)]  # the show ran on while the manifest and its files came


def test_another_playlist_taken_at_a_boundary_starts_from_its_top_and_waits_there():
    seq = Sequencer()
    seq.load(playlist(film("loop", 2), film("loop2", 2)), now=0.0)
    show = replace(playlist(waiting(untimed("welcome")), film("x", 3)), id="show")
    seq.offer(show, now=0.5)
    token = seq._cur.token
    seq.on_playing(token, now=0.6)
    out = seq.on_end(token, now=2.6)
    assert plays(out) == [] and seq.status == "waiting" and seq.playlist.id == "show"
    assert of(Prepare, out) == [Prepare(waiting(untimed("welcome")))]


def test_the_manifest_carries_waits_and_cards_without_seconds_and_refuses_bad_ones():
    built = playlist(waiting(untimed("b")), film("c"))
    data = to_dict(built)
    assert data["items"][0]["waits"] is True and data["items"][0]["card"]["seconds"] is None
    assert "waits" not in data["items"][1]
    assert from_dict(data) == built
    del data["items"][0]["card"]["seconds"]
    assert from_dict(data).items[0].card_seconds is None
    for bad, message in (
        ({"waits": "yes"}, r"items\[0\]\.waits: wrong type str"),
        ({"waits": 1}, r"items\[0\]\.waits: wrong type int"),
        ({"card": {"text": "B", "seconds": 0}}, r"items\[0\]\.card\.seconds: must be > 0, or null"),
    ):
        with pytest.raises(ManifestError, match=message):
            from_dict({**data, "items": [{**data["items"][0], **bad}]})
