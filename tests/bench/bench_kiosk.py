"""Kiosk playback benchmark on real libvlc (dummy outputs): switch gaps, memory and fds, start time.

Run: python tests/bench/bench_kiosk.py [--quick]

Gap = first frame of the next item (MediaPlayerVout) minus the end of the previous one (EndReached, or for a
title card, the moment our timer switches away). Compared in the same run with two baselines on the same
clips: the naive switch (new Media set on the same player only after EndReached) and MediaListPlayer.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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
    """The production player, noting when each switch is asked for."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.asked: dict[int, float] = {}

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


def run_kiosk(items: list[Item], directory: Path, *, until: int, sample=None) -> tuple[TimedPlayer, Kiosk]:
    """Play `items` in a loop with the production Kiosk until `until` items are done."""
    manifest = directory / f"bench-{len(items)}-{until}.json"
    manifest.write_text(to_json(make_playlist(*items)), encoding="utf-8")
    player = TimedPlayer(headless=True)
    player.events = RecordingQueue()
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
    return player, kiosk


def kiosk_gaps(player: TimedPlayer) -> list[float]:
    """Gaps from the recorded events: end (or the switch request) to the next item's first frame."""
    first_frame: dict[int, float] = {}
    ended: dict[int, float] = {}
    for event in player.events.seen:
        if event.kind == "frame":
            first_frame.setdefault(event.token, event.at)
        elif event.kind == "end":
            ended.setdefault(event.token, event.at)
    gaps = []
    for token in sorted(first_frame):
        if token - 1 in first_frame:
            start = ended.get(token - 1, player.asked[token])
            gaps.append(first_frame[token] - min(start, player.asked[token]))
    return gaps


def naive_gaps(paths: list[Path], transitions: int) -> list[float]:
    """Baseline: one MediaPlayer, the next Media created and set only after EndReached."""
    instance = vlc.Instance(instance_args(headless=True, fullscreen=False))
    player = instance.media_player_new()
    events: queue.Queue = queue.Queue()
    manager = player.event_manager()
    manager.event_attach(vlc.EventType.MediaPlayerEndReached, lambda e: events.put(("end", time.monotonic())))
    manager.event_attach(
        vlc.EventType.MediaPlayerVout, lambda e: e.u.new_count > 0 and events.put(("frame", time.monotonic()))
    )
    gaps, ended = [], None
    for n in range(transitions + 1):
        media = instance.media_new_path(str(paths[n % len(paths)]))
        player.set_media(media)
        media.release()
        player.play()
        ended = _wait_frame_then_end(events, ended, gaps)
    player.stop()
    player.release()
    instance.release()
    return gaps


def _wait_frame_then_end(events: queue.Queue, ended: float | None, gaps: list[float]) -> float:
    seen_frame = False
    while True:
        kind, at = events.get(timeout=10)
        if kind == "frame" and not seen_frame:
            seen_frame = True
            if ended is not None:
                gaps.append(at - ended)
        elif kind == "end":
            return at


def media_list_gaps(paths: list[Path], transitions: int) -> list[float]:
    """Baseline: MediaListPlayer over the same clips (what DESIGN tells us not to use in the kiosk)."""
    instance = vlc.Instance(instance_args(headless=True, fullscreen=False))
    media_list = instance.media_list_new([str(paths[n % len(paths)]) for n in range(transitions + 1)])
    list_player = instance.media_list_player_new()
    list_player.set_media_list(media_list)
    events: queue.Queue = queue.Queue()
    manager = list_player.get_media_player().event_manager()
    manager.event_attach(vlc.EventType.MediaPlayerEndReached, lambda e: events.put(("end", time.monotonic())))
    manager.event_attach(
        vlc.EventType.MediaPlayerVout, lambda e: e.u.new_count > 0 and events.put(("frame", time.monotonic()))
    )
    list_player.play()
    gaps, ended = [], None
    for _ in range(transitions + 1):
        ended = _wait_frame_then_end(events, ended, gaps)
    time.sleep(0.2)  # let it settle: stop() while it switches items can abort the process
    list_player.stop()
    list_player.release()
    media_list.release()
    instance.release()
    return gaps


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def gap_row(name: str, gaps: list[float]) -> str:
    """One table row in milliseconds."""
    ms = [g * 1000 for g in gaps]
    return f"{name:<44} {len(ms):>5} {statistics.median(ms):>9.1f} {p95(ms):>9.1f} {max(ms):>9.1f}"


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
    player, kiosk = run_kiosk(items, directory, until=transitions, sample=sample)
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


def print_gaps(directory: Path, transitions: int) -> None:
    """Switch gaps: production kiosk vs naive vs MediaListPlayer; then cards."""
    films = clips(directory, seconds=0.6, count=5)
    items = [film_item(f"f{i}", p, duration=0.6) for i, p in enumerate(films)]
    player, _ = run_kiosk(items, directory, until=transitions + 1)
    ours = kiosk_gaps(player)
    player.close()
    cards = [
        Item(key=f"c{i}", kind="card", title=f"第{i}张", card_text=f"第 {i} 张\nCard {i}", card_seconds=0.6)
        for i in range(5)
    ]
    mixed = [x for pair in zip(items, cards, strict=True) for x in pair]
    player, _ = run_kiosk(mixed, directory, until=transitions + 1)
    with_cards = kiosk_gaps(player)
    player.close()
    print(f"\nSwitch gap, end of one item -> first frame of the next ({transitions} transitions, 0.6 s clips)")
    print(f"{'approach':<44} {'n':>5} {'median ms':>9} {'p95 ms':>9} {'max ms':>9}")
    print(gap_row("kiosk: one player, next Media prepared", ours))
    print(gap_row("baseline: naive set_media after EndReached", naive_gaps(films, transitions)))
    print(gap_row("baseline: MediaListPlayer", media_list_gaps(films, transitions)))
    print(gap_row("kiosk: films and title cards (PNG) mixed", with_cards))
    clip_cards = [_card_as_clip(card, directory) for card in cards]
    mixed = [x for pair in zip(items, clip_cards, strict=True) for x in pair]
    player, _ = run_kiosk(mixed, directory, until=transitions + 1)
    print(gap_row("kiosk: films and cards as generated clips", kiosk_gaps(player)))
    player.close()


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
