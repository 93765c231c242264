"""The pure sequencer: order, watchdogs, commands, holds, cards, version switches, resume."""

from __future__ import annotations

from datetime import UTC, datetime

from playlists.format import Item, Media, Playlist
from playlists.kiosk.actions import Done, Failed, Pause, Place, Play, Prepare, Resume, Stop, Switched
from playlists.kiosk.sequencer import Sequencer, Watchdog

SHA = "ef" * 32


def film(key: str, seconds: float = 10.0, hold: float = 0.0) -> Item:
    return Item(key=key, kind="film", title=key, media=Media(uri=key, sha256=SHA, bytes=1, duration=seconds), hold=hold)


def card(key: str, seconds: float = 3.0) -> Item:
    return Item(key=key, kind="card", title=key, card_text=key.upper(), card_seconds=seconds)


def playlist(*items: Item, version: int = 1) -> Playlist:
    return Playlist(id="p", version=version, title="t", published_at=datetime(2026, 1, 1, tzinfo=UTC), items=items)


def plays(actions) -> list[tuple[str, float]]:
    return [(a.item.key, a.start) for a in actions if isinstance(a, Play)]


def of(kind, actions):
    return [a for a in actions if isinstance(a, kind)]


class Show:
    """Drives a sequencer the way the runner does, with a fake clock."""

    def __init__(self, *items: Item, watchdog: Watchdog | None = None, loop: bool = False) -> None:
        self.seq = Sequencer(watchdog=watchdog or Watchdog(), loop=loop)
        self.now = 100.0
        self.log: list = self.seq.load(playlist(*items), now=self.now)

    @property
    def token(self) -> int:
        return [a for a in self.log if isinstance(a, Play)][-1].token

    def do(self, actions):
        self.log += actions
        return actions

    def start(self, after: float = 0.1):
        self.now += after
        return self.do(self.seq.on_playing(self.token, now=self.now))

    def run_for(self, seconds: float, step: float = 0.5):
        """Advance time with the playback clock moving and the watchdog ticking."""
        out = []
        token, base, origin = self.token, self.seq.snapshot(now=self.now)["position"], self.now
        while seconds > 1e-9:
            dt = min(step, seconds)
            self.now += dt
            seconds -= dt
            out += self.do(self.seq.on_time(token, now=self.now, position=base + self.now - origin))
            out += self.do(self.seq.tick(now=self.now))
        return out

    def end(self):
        return self.do(self.seq.on_end(self.token, now=self.now))

    def cmd(self, name: str, **kw):
        return self.do(self.seq.command(name, now=self.now, **kw))


def test_plays_in_order_prepares_the_next_and_finishes():
    show = Show(film("a", 2), film("b", 2))
    assert of(Switched, show.log) == [Switched("p", None, 1)]
    assert plays(show.log) == [("a", 0.0)] and of(Prepare, show.log) == [Prepare(film("b", 2))]
    show.start()
    show.run_for(2)
    out = show.end()
    assert of(Done, out)[0].key == "a" and plays(out) == [("b", 0.0)] and not of(Prepare, out)
    show.start()
    show.run_for(2)
    out = show.end()
    assert of(Stop, out) and show.seq.status == "finished"
    assert show.seq.place(now=show.now) is None


def test_loop_starts_again():
    show = Show(film("a", 1), loop=True)
    show.start()
    show.run_for(1)
    assert plays(show.end()) == [("a", 0.0)]


def test_no_playing_within_start_timeout_fails_and_skips():
    show = Show(film("a"), film("b"), watchdog=Watchdog(start_timeout=3))
    assert show.do(show.seq.tick(now=show.now + 2.9)) == []
    out = show.do(show.seq.tick(now=show.now + 3.1))
    assert of(Failed, out) == [Failed(0, "a", "no picture within 3 s")] and plays(out) == [("b", 0.0)]


def test_time_not_advancing_fails():
    show = Show(film("a"), film("b"), watchdog=Watchdog(stall_timeout=2))
    show.start()
    show.run_for(3)
    assert show.do(show.seq.tick(now=show.now + 1.9)) == []
    out = show.do(show.seq.tick(now=show.now + 2.1))
    assert of(Failed, out)[0].problem.startswith("playback stalled at 3.0 s") and plays(out) == [("b", 0.0)]


def test_ending_far_before_expected_duration_fails_but_near_the_end_is_fine():
    show = Show(film("a", 10), film("b", 10), film("c", 10))
    show.start()
    show.run_for(3)
    out = show.end()
    assert of(Failed, out) == [Failed(0, "a", "ended at 3.0 s of 10.0 s")]
    show.start()
    show.run_for(9.2)
    out = show.end()
    assert of(Done, out)[0].key == "b" and not of(Failed, out)


def test_player_error_fails_and_late_events_from_old_items_are_ignored():
    show = Show(film("a"), film("b"))
    old = show.token
    out = show.do(show.seq.on_error(old, now=show.now, message="libvlc could not play it"))
    assert of(Failed, out) == [Failed(0, "a", "libvlc could not play it")]
    assert show.seq.on_end(old, now=show.now) == [] and show.seq.on_error(old, now=show.now) == []
    assert show.seq.index == 1


def test_cards_are_timed_and_holds_wait():
    show = Show(card("c", 3), film("a", 2, hold=1.5), film("b", 2))
    show.start()
    assert plays(show.run_for(2.9)) == []
    out = show.run_for(0.2)
    assert of(Done, out)[0].how == "shown" and plays(out) == [("a", 0.0)]
    show.start()
    show.run_for(2)
    out = show.end()
    assert of(Done, out) and not plays(out) and show.seq.status == "holding"
    assert plays(show.run_for(1.0)) == []
    assert plays(show.run_for(0.6)) == [("b", 0.0)]


def test_excluded_items_are_skipped_and_reported():
    seq = Sequencer()
    out = seq.load(playlist(film("a"), film("b"), film("c")), now=0, excluded={"a": "file missing", "c": "sha256"})
    assert of(Failed, out) == [Failed(0, "a", "file missing")] and plays(out) == [("b", 0.0)]
    assert not of(Prepare, out)  # c is excluded, nothing to prepare
    seq.on_playing(of(Play, out)[0].token, now=0.1)
    out = seq.on_end(of(Play, out)[0].token, now=10.1)
    assert of(Failed, out) == [Failed(2, "c", "sha256")] and of(Stop, out)


def test_pause_and_play_freeze_the_card_timer_and_the_watchdog():
    show = Show(card("c", 3), film("a"), watchdog=Watchdog(stall_timeout=2))
    show.start()
    show.run_for(1)
    assert show.cmd("pause") == [Pause()]
    show.now += 60
    assert show.seq.tick(now=show.now) == [] and show.seq.snapshot(now=show.now)["state"] == "paused"
    assert show.cmd("play") == [Resume()]
    assert plays(show.run_for(1.9)) == []
    assert plays(show.run_for(0.2)) == [("a", 0.0)]


def test_next_previous_jump_stop_play():
    show = Show(film("a"), film("b"), film("c"))
    show.start()
    out = show.cmd("next")
    assert of(Done, out)[0].how == "next" and plays(out) == [("b", 0.0)]
    assert plays(show.cmd("previous")) == [("a", 0.0)]
    assert plays(show.cmd("previous")) == [("a", 0.0)]  # nothing before the first: start it again
    assert plays(show.cmd("jump", item_key="c")) == [("c", 0.0)]
    out = show.cmd("jump", item_key="nope")
    assert of(Failed, out)[0].problem == "jump: no such item" and plays(out) == [("c", 0.0)]
    assert of(Stop, show.cmd("stop")) and show.seq.status == "stopped"
    assert show.cmd("pause") == [] and show.cmd("reload") == []
    assert plays(show.cmd("play")) == [("c", 0.0)]
    assert plays(show.cmd("next")) == [] and show.seq.status == "finished"
    assert plays(show.cmd("play")) == [("a", 0.0)]


def test_commands_without_a_playlist_do_nothing():
    seq = Sequencer()
    assert seq.command("next", now=0) == [] and seq.tick(now=5) == []
    assert seq.snapshot(now=0)["state"] == "idle"


def test_new_version_is_taken_at_the_next_item_boundary():
    show = Show(film("a"), film("b"), film("c"))
    show.start()
    show.run_for(4)
    v2 = playlist(film("a"), card("new"), film("b"), version=2)
    out = show.do(show.seq.offer(v2, now=show.now))
    assert out == [Prepare(card("new"))] and show.seq.playlist.version == 1
    show.run_for(6)
    out = show.end()
    assert of(Switched, out) == [Switched("p", 1, 2)] and plays(out) == [("new", 0.0)]
    assert show.seq.snapshot(now=show.now)["playlist_version"] == 2


def test_new_version_without_the_current_item_continues_in_its_slot():
    show = Show(film("a"), film("b"), film("c"))
    show.start()
    show.do(show.seq.offer(playlist(film("x"), film("y"), film("z"), version=2), now=show.now))
    assert plays(show.cmd("next")) == [("x", 0.0)]


def test_new_version_while_stopped_or_finished_waits_for_play():
    show = Show(film("a"))
    show.cmd("stop")
    out = show.do(show.seq.offer(playlist(film("a"), film("b"), version=2), now=show.now))
    assert of(Switched, out) and not plays(out)
    assert plays(show.cmd("play")) == [("a", 0.0)]


def test_resume_from_saved_place():
    seq = Sequencer()
    place = Place("p", 1, "b", 4.25)
    out = seq.load(playlist(film("a"), film("b"), card("c")), now=0, resume=place)
    assert plays(out) == [("b", 4.25)]
    token = of(Play, out)[0].token
    seq.on_playing(token, now=0.2)
    seq.on_time(token, now=1.2, position=5.25)
    assert seq.place(now=1.3) == Place("p", 1, "b", 5.25)
    snap = seq.snapshot(now=1.3)
    assert snap["item_key"] == "b" and snap["item_index"] == 1 and snap["state"] == "playing"


def test_resume_ignores_other_playlists_and_restarts_cards():
    seq = Sequencer()
    assert plays(seq.load(playlist(film("a"), film("b")), now=0, resume=Place("other", 1, "b", 4))) == [("a", 0.0)]
    seq = Sequencer()
    assert plays(seq.load(playlist(film("a"), card("c")), now=0, resume=Place("p", 7, "c", 2))) == [("c", 0.0)]


def test_resumed_film_ending_is_judged_from_where_it_started():
    seq = Sequencer()
    out = seq.load(playlist(film("a", 10), film("b")), now=0, resume=Place("p", 1, "a", 8.0))
    token = of(Play, out)[0].token
    seq.on_playing(token, now=0.1)
    out = seq.on_end(token, now=2.1)
    assert of(Done, out)[0].played >= 10.0 and not of(Failed, out)


def test_previous_steps_back_over_excluded_items():
    seq = Sequencer()
    excluded = {"a": "file missing", "c": "sha256 mismatch"}
    seq.load(playlist(film("a"), film("b"), film("c"), film("d")), now=0, excluded=excluded)
    assert plays(seq.command("jump", now=1, item_key="d")) == [("d", 0.0)]
    out = seq.command("previous", now=2)
    assert plays(out) == [("b", 0.0)] and not of(Failed, out)
    assert plays(seq.command("previous", now=3)) == [("b", 0.0)]  # "a" is excluded: b again, not the end


def test_operator_keys_map_to_commands():
    from playlists.kiosk.keys import command_for_key

    assert [command_for_key(k).name for k in " nNprq"] == ["toggle", "next", "next", "previous", "reload", "quit"]
    assert command_for_key("x") is None
