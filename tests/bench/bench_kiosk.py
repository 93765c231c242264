"""Kiosk playback benchmark on real libvlc (dummy outputs): switch gaps, memory and fds, start time.

What the audience sees on a real display is measured by bench_cuts.py (Xvfb, captured frames); the
dummy outputs here time libvlc's own work and stand for nothing on a screen.

Run: python tests/bench/bench_kiosk.py [--quick]

Gap = first frame of the next item (MediaPlayerVout) minus the end of the previous one (EndReached, or for a
title card, the moment our timer switches away). Compared in the same run with two baselines on the same
clips: the naive switch (new Media set on the same player only after EndReached) and MediaListPlayer.
"""

from __future__ import annotations

import argparse
import bisect
import ctypes
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import vlc  # noqa: E402 - the baselines drive libvlc directly; the kiosk code path goes through player.py

from playlists.format import Item, to_json  # noqa: E402
from playlists.kiosk.cards import render_card  # noqa: E402
from playlists.kiosk.link import local_delivery  # noqa: E402
from playlists.kiosk.player import Player, instance_args  # noqa: E402
from playlists.kiosk.runner import Kiosk, KioskOptions  # noqa: E402
from playlists.kiosk.sequencer import Failed  # noqa: E402
from tests.playlists.kiosk_support import film_item, make_clip, make_playlist  # noqa: E402

PATTERNS = ("testsrc", "smptebars", "testsrc2", "rgbtestsrc", "yuvtestsrc")


class TimedPlayer(Player):
    """The production player, noting when each switch is asked for; `prepare_ahead=False` for the A/B row."""

    def __init__(self, *, prepare_ahead: bool = True, **kw) -> None:
        super().__init__(**kw)
        self.asked: dict[int, float] = {}
        self.prepare_ahead = prepare_ahead

    def prepare(self, path, *, card_seconds=None) -> None:
        if self.prepare_ahead:
            super().prepare(path, card_seconds=card_seconds)

    def play(self, path, *, token, start=0.0, card_seconds=None) -> None:
        self.asked[token] = time.monotonic()
        super().play(path, token=token, start=start, card_seconds=card_seconds)


class RecordingQueue(queue.Queue):
    """The kiosk's inbox, keeping a copy of every player event with its time."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list = []

    def put(self, item, block=True, timeout=None) -> None:
        if hasattr(item, "kind") and hasattr(item, "token"):
            self.seen.append(item)
        super().put(item, block, timeout)


def clips(directory: Path, *, seconds: float, count: int) -> list[Path]:
    """`count` distinct clips of `seconds` (different patterns so nothing is cached by content)."""
    return [
        make_clip(directory / f"clip{seconds}_{i}.mp4", seconds=seconds, pattern=PATTERNS[i % len(PATTERNS)])
        for i in range(count)
    ]


def run_kiosk(items: list[Item], directory: Path, *, until: int, prepare: bool = True) -> Trace:
    """Play `items` in a loop with the production Kiosk until `until` items are done; trace the switches."""
    player, _, clock = drive_kiosk(items, directory, until=until, frames=True, prepare=prepare)
    trace = kiosk_trace(player, clock)
    player.close()
    return trace


def drive_kiosk(
    items: list[Item], directory: Path, *, until: int, sample=None, frames: bool = False, prepare: bool = True
):
    """The production Kiosk (its own thread model: this thread makes every libvlc call) looping `items`."""
    manifest = directory / f"bench-{len(items)}-{until}.json"
    manifest.write_text(to_json(make_playlist(*items)), encoding="utf-8")
    player = TimedPlayer(headless=True, prepare_ahead=prepare)
    player.events = RecordingQueue()
    clock = PlayerClock(player) if frames else None
    state = Path(tempfile.mkdtemp(dir=directory))
    kiosk = Kiosk(player, state_dir=state, options=KioskOptions(loop=True, save_every=2.0))
    kiosk.inbox.put(local_delivery(manifest))
    stop = threading.Event()

    def watch() -> None:
        while len(kiosk.history) < until:
            if sample:
                sample(len(kiosk.history))
            time.sleep(0.01)
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    kiosk.run(stop)
    return player, kiosk, clock


class FrameClock:
    """Video frame callbacks (vmem) on a MediaPlayer: when each picture is handed over for display.

    Closer to "first frame" than MediaPlayerVout, which fires when the output opens, before any picture.
    """

    def __init__(self, media_player: vlc.MediaPlayer, *, width: int = 160, height: int = 120) -> None:
        self.shown: list[float] = []
        self._buffer = (ctypes.c_ubyte * (width * height * 4))()
        # keep the ctypes callbacks alive as long as the player may call them
        self._lock = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._unlock = vlc.CallbackDecorators.VideoUnlockCb(lambda opaque, picture, planes: None)
        self._display = vlc.CallbackDecorators.VideoDisplayCb(
            lambda opaque, picture: self.shown.append(time.monotonic())
        )
        media_player.video_set_callbacks(self._lock, self._unlock, self._display, None)
        media_player.video_set_format("RV32", width, height, width * 4)

    def _on_lock(self, opaque, planes):
        planes[0] = ctypes.addressof(self._buffer)
        return None


class PlayerClock:
    """A FrameClock on each of the kiosk player's two libvlc players: every picture either one hands over."""

    def __init__(self, player: Player) -> None:
        self._clocks = [FrameClock(media_player) for media_player in player.media_players()]

    @property
    def shown(self) -> list[float]:
        return sorted(at for clock in self._clocks for at in clock.shown)


@dataclass
class Trace:
    """One approach's run: the end of each item (switch marks), first Vout after each, every displayed frame."""

    marks: list[float]
    vouts: list[float]
    shown: list[float]


def kiosk_trace(player: TimedPlayer, clock: PlayerClock) -> Trace:
    """Switch marks from the recorded events: EndReached, or for a title card the moment we switched away."""
    first_vout: dict[int, float] = {}
    ended: dict[int, float] = {}
    for event in player.events.seen:
        if event.kind == "frame":
            first_vout.setdefault(event.token, event.at)
        elif event.kind in ("end", "paused"):  # a film pauses on its last frame (play-and-pause)
            ended.setdefault(event.token, event.at)
    tokens = [t for t in sorted(first_vout) if t - 1 in first_vout]
    marks = [min(ended.get(t - 1, player.asked[t]), player.asked[t]) for t in tokens]
    return Trace(marks, [first_vout[t] for t in tokens], clock.shown)


def _listen(media_player: vlc.MediaPlayer) -> queue.Queue:
    events: queue.Queue = queue.Queue()
    manager = media_player.event_manager()
    manager.event_attach(vlc.EventType.MediaPlayerEndReached, lambda e: events.put(("end", time.monotonic())))
    manager.event_attach(
        vlc.EventType.MediaPlayerVout, lambda e: e.u.new_count > 0 and events.put(("vout", time.monotonic()))
    )
    return events


def _follow(events: queue.Queue, items: int, start) -> tuple[list[float], list[float]]:
    """Wait for `items` items to end; returns switch marks and the first Vout after each."""
    marks, vouts = [], []
    for n in range(items):
        start(n)
        while True:
            kind, at = events.get(timeout=10)
            if kind == "vout" and len(vouts) < len(marks):
                vouts.append(at)
            elif kind == "end":
                break
        if n < items - 1:
            marks.append(at)
    return marks, vouts


def naive_trace(paths: list[Path], transitions: int) -> Trace:
    """Baseline: one MediaPlayer, the next Media created and set only after EndReached."""
    instance = vlc.Instance(instance_args(headless=True))
    player = instance.media_player_new()
    clock, events = FrameClock(player), _listen(player)

    def start(n: int) -> None:
        media = instance.media_new_path(str(paths[n % len(paths)]))
        player.set_media(media)
        media.release()
        player.play()

    marks, vouts = _follow(events, transitions + 1, start)
    player.stop()
    player.release()
    instance.release()
    return Trace(marks, vouts, clock.shown)


def media_list_trace(paths: list[Path], transitions: int) -> Trace:
    """Baseline: MediaListPlayer over the same clips (what DESIGN tells us not to use in the kiosk)."""
    instance = vlc.Instance(instance_args(headless=True))
    media_list = instance.media_list_new([str(paths[n % len(paths)]) for n in range(transitions + 1)])
    list_player = instance.media_list_player_new()
    list_player.set_media_list(media_list)
    clock, events = FrameClock(list_player.get_media_player()), _listen(list_player.get_media_player())
    marks, vouts = _follow(events, transitions + 1, lambda n: n == 0 and list_player.play())
    time.sleep(0.2)  # let it settle: stop() while it switches items can abort the process
    list_player.stop()
    list_player.release()
    media_list.release()
    instance.release()
    return Trace(marks, vouts, clock.shown)


def analyse(trace: Trace, *, frames_per_item: int | None) -> dict[str, list[float] | int | None]:
    """Per switch: first Vout, the next item's first picture and the longest time without a new picture.

    EndReached may come before the last picture of an item is shown, so "the first picture after EndReached"
    can be the old item's tail. The switch is where pictures stop coming: the largest interval between
    displayed frames around the mark; the picture that ends it is the next item's first frame.
    """
    shown = sorted(trace.shown)
    result: dict = {
        "vout": [v - m for m, v in zip(trace.marks, trace.vouts, strict=False)],
        "frame": [],
        "freeze": [],
        "short": None,
    }
    for mark in trace.marks:
        window = shown[bisect.bisect_left(shown, mark - 0.25) : bisect.bisect_right(shown, mark + 0.5)]
        if len(window) < 2:
            continue
        gaps = [(b - a, b) for a, b in zip(window, window[1:], strict=False)]
        longest, first_picture = max(gaps)
        result["freeze"].append(longest)
        result["frame"].append(first_picture - mark)
    if frames_per_item:
        windows = zip(trace.marks, trace.marks[1:], strict=False)
        counts = [bisect.bisect_left(shown, b) - bisect.bisect_left(shown, a) for a, b in windows]
        result["short"] = sum(count < frames_per_item for count in counts)
    return result


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def gap_row(name: str, result: dict) -> str:
    """One table row in milliseconds."""
    vout, frame, freeze = ([g * 1000 for g in result[k]] for k in ("vout", "frame", "freeze"))
    short = "-" if result["short"] is None else str(result["short"])
    return (
        f"{name:<42} {len(frame):>4} {statistics.median(vout):>7.1f} {statistics.median(frame):>8.1f}"
        f" {p95(frame):>7.1f} {statistics.median(freeze):>8.1f} {p95(freeze):>7.1f} {max(freeze):>7.1f} {short:>5}"
    )


def rss_kb() -> int:
    """Resident set size of this process in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fd_count() -> int:
    """Open file descriptors of this process."""
    return len(os.listdir("/proc/self/fd"))


def soak(directory: Path, transitions: int) -> dict[str, float]:
    """RSS and fds over many switches of very short clips (production Kiosk, looping)."""
    short = clips(directory, seconds=0.3, count=5)
    items = [film_item(f"s{i}", p, duration=0.3) for i, p in enumerate(short)]
    samples: dict[int, tuple[int, int]] = {}
    warm = min(50, transitions // 5)

    def sample(done: int) -> None:
        if done in (warm, transitions - 1) and done not in samples:
            samples[done] = (rss_kb(), fd_count())

    started = time.monotonic()
    player, kiosk, _ = drive_kiosk(items, directory, until=transitions, sample=sample)
    elapsed = time.monotonic() - started
    failures = sum(isinstance(h, Failed) for h in kiosk.history)
    player.close()
    (rss0, fd0), (rss1, fd1) = samples[warm], samples[transitions - 1]
    return {
        "warm": warm,
        "rss0": rss0,
        "rss1": rss1,
        "fd0": fd0,
        "fd1": fd1,
        "failures": failures,
        "elapsed": elapsed,
        "transitions": transitions,
    }


def start_times(directory: Path, runs: int) -> dict[str, list[float]]:
    """Process start to first frame (`picture:` log line), warm cache: --playlist, and cache with server down."""
    path = clips(directory, seconds=2.0, count=1)[0]
    manifest = directory / "start.json"
    manifest.write_text(to_json(make_playlist(film_item("a", path))), encoding="utf-8")
    cache = directory / "start-cache"
    _warm_cache(cache, manifest)
    results: dict[str, list[float]] = {"--playlist FILE": [], "server down, warm cache": []}
    for _ in range(runs):
        results["--playlist FILE"].append(
            _time_to_picture(["--playlist", str(manifest), "--cache-dir", str(directory / "state")])
        )
        results["server down, warm cache"].append(
            _time_to_picture(["--server", "http://127.0.0.1:9", "--token", "t", "--cache-dir", str(cache)])
        )
    return results


def _warm_cache(cache: Path, manifest: Path) -> None:
    """Fill a kiosk cache as a finished sync would: the manifest and sha256-named media."""
    from playlists.format import from_json
    from playlists.kiosk.cache import Cache

    playlist = from_json(manifest.read_text(encoding="utf-8"))
    store = Cache(cache)
    for item in playlist.items:
        store.media_path(item.media).write_bytes((manifest.parent / item.media.uri).read_bytes())
    store.save_manifest(manifest.read_text(encoding="utf-8"), '"v1"')


def _time_to_picture(args: list[str]) -> float:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "playlists.kiosk.runner", "--headless", *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stderr:
            if "picture: key=" in line:
                return time.monotonic() - started
        raise RuntimeError("kiosk exited before showing a picture")
    finally:
        process.terminate()
        process.communicate(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer transitions (about 1 minute)")
    args = parser.parse_args(argv)
    transitions, soak_n, starts = (15, 120, 3) if args.quick else (50, 500, 5)
    with tempfile.TemporaryDirectory(prefix="bench-kiosk-") as tmp:
        directory = Path(tmp)
        print_gaps(directory, transitions)
        print_soak(soak(directory, soak_n))
        print_starts(start_times(directory, starts))
    return 0


def print_gaps(directory: Path, transitions: int, *, rounds: int = 2) -> None:
    """Switch gaps: kiosk vs kiosk without preparing vs naive vs MediaListPlayer; cards as PNG or as clips.

    Each approach runs `rounds` times, interleaved, so a busy machine slows them all alike.
    """
    films = clips(directory, seconds=0.6, count=5)
    items = [film_item(f"f{i}", p, duration=0.6) for i, p in enumerate(films)]
    cards = [
        Item(key=f"c{i}", kind="card", title=f"第{i}张", card_text=f"第 {i} 张\nCard {i}", card_seconds=0.6)
        for i in range(5)
    ]
    clip_cards = [_card_as_clip(card, directory) for card in cards]
    share = max(1, transitions // rounds)
    approaches = {
        "kiosk: two players, next item prepared": (lambda: run_kiosk(items, directory, until=share + 1), 15),
        "kiosk, nothing prepared ahead": (lambda: run_kiosk(items, directory, until=share + 1, prepare=False), 15),
        "baseline: naive set_media after EndReached": (lambda: naive_trace(films, share), 15),
        "baseline: MediaListPlayer": (lambda: media_list_trace(films, share), 15),
        "kiosk: films + title cards as PNG": (lambda: run_kiosk(_mix(items, cards), directory, until=share + 1), None),
        "kiosk: films + cards as H.264 clips": (
            lambda: run_kiosk(_mix(items, clip_cards), directory, until=share + 1),
            None,
        ),
    }
    results: dict[str, dict] = {name: {"vout": [], "frame": [], "freeze": [], "short": None} for name in approaches}
    for _ in range(rounds):
        for name, (trace, frames) in approaches.items():
            _pool(results[name], analyse(trace(), frames_per_item=frames))
    print(
        f"\nSwitch: from EndReached (or our switch, for title cards) to the next item's Vout event and first"
        f" picture (video callback); {share * rounds} switches each, 0.6 s clips at 25 fps"
    )
    print(
        f"{'approach':<42} {'n':>4} {'Vout':>7} {'picture':>8} {'p95':>7} {'freeze':>8} {'p95':>7} {'max':>7}"
        f" {'lost':>5}"
    )
    for name, result in results.items():
        print(gap_row(name, result))
    print("ms; freeze = longest time without a new picture around the switch (40 ms = seamless at 25 fps)")
    print("lost = items that showed fewer than their 15 frames")


def _pool(total: dict, part: dict) -> None:
    for key in ("vout", "frame", "freeze"):
        total[key] += part[key]
    if part["short"] is not None:
        total["short"] = (total["short"] or 0) + part["short"]


def _mix(films: list[Item], cards: list[Item]) -> list[Item]:
    return [x for pair in zip(films, cards, strict=True) for x in pair]


def _card_as_clip(card: Item, directory: Path) -> Item:
    """The alternative to showing a PNG: the card rendered, then encoded as a short H.264 clip."""
    image = render_card(card.card_text or card.title, directory / "cards")
    clip = directory / f"{card.key}.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-loop",
            "1",
            "-i",
            str(image),
            "-t",
            str(card.card_seconds),
            "-r",
            "25",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ],
        check=True,
    )
    return film_item(card.key, clip, duration=card.card_seconds)


def print_soak(result: dict[str, float]) -> None:
    """RSS and fd growth."""
    growth = (result["rss1"] - result["rss0"]) / 1024
    print(
        f"\nSoak: {result['transitions']} transitions of 0.3 s clips in {result['elapsed']:.0f} s, "
        f"{result['failures']} failures"
    )
    print(f"{'measure':<44} {'after ' + str(result['warm']):>12} {'at end':>9} {'growth':>9}")
    print(f"{'RSS MiB':<44} {result['rss0'] / 1024:>12.1f} {result['rss1'] / 1024:>9.1f} {growth:>9.1f}")
    print(f"{'open fds':<44} {result['fd0']:>12} {result['fd1']:>9} {result['fd1'] - result['fd0']:>9}")


def print_starts(results: dict[str, list[float]]) -> None:
    """Start to first frame."""
    print("\nStart (new process) to first frame, warm cache")
    print(f"{'mode':<44} {'runs':>5} {'median s':>9} {'max s':>9}")
    for mode, values in results.items():
        print(f"{mode:<44} {len(values):>5} {statistics.median(values):>9.2f} {max(values):>9.2f}")


if __name__ == "__main__":
    sys.exit(main())
