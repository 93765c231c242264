"""A long loop: the real kiosk playing a looping show for hours on a real X display, watched from outside.

Run: python tests/bench/bench_loop.py [--minutes 120] [--sample-every 10]
The issue's figure is the two-hour run (on a shared machine, niced):

    nice -n 10 python tests/bench/bench_loop.py --minutes 120

`make bench` runs it for BENCH_LOOP_MINUTES (3) only.

The kiosk is `python -m playlists.kiosk.runner --playlist … --loop` in a child process, on its own Xvfb
(`-displayfd`, backing store), with real libvlc; the show is generated films (640x360, 25 fps, with sound,
played to libvlc's dummy audio output) and title cards, one of them with a hold. Every --sample-every seconds,
and 2 s into each loop (its first film playing), the bench reads the kiosk's VmRSS and Threads (/proc/PID/status)
and its open files (/proc/PID/fd), and the X server's VmRSS. Progress is read from the kiosk's own log: each
item's first picture on screen ("picture: key=…"). The next picture is due one item length (plus its hold)
later; later than that by more than --margin is a stall, and so is a picture of the wrong item.

The baseline is the same run's first loop: growth is measured from the sample taken 2 s into the second
loop to the one taken 2 s into the last (the same point of the show, so the same items are open).
Targets (issue 11): resident memory grows <= 5 MB after the first loop, open files flat, no stall.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playlists.format import Item, Playlist, to_json, to_xspf  # noqa: E402
from playlists.kiosk.cards import render_card  # noqa: E402
from tests.playlists.framecode import FPS, make_film  # noqa: E402
from tests.playlists.kiosk_support import film_item, make_playlist  # noqa: E402

RSS_TARGET_MB = 5.0
FD_SLACK = 2  # a film's file and a card's image are open by turns; more than that over the baseline is a leak
FILM_SIZE = (640, 360)
SCREEN = (1280, 720)
DISPLAY_FROM = 170
PICTURE = " picture: key="
# each loop's sample is taken this long after its first picture: the same instant of the show every loop
# (mid-film: the cut, the next item's opening and the kiosk's trim behind it), not whenever the log is read
LOOP_SAMPLE_AFTER = 2.0


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the kiosk started
    rss_kb: int
    fds: int
    threads: int
    x_rss_kb: int


@dataclass
class Trace:
    """The show as the kiosk's log tells it: pictures in order, loops, stalls."""

    keys: list[str]
    due: dict[str, float]  # seconds from an item's picture to the next one's: its length plus its hold
    margin: float
    pictures: int = 0
    loops: int = 0
    stalls: list[str] = field(default_factory=list)
    late: list[float] = field(default_factory=list)  # each picture's lateness against its due time
    failures: list[str] = field(default_factory=list)
    last: tuple[float, str] | None = None
    overdue: bool = False

    def picture(self, at: float, key: str) -> bool:
        """A picture at `at` (epoch seconds); True when it starts a new loop."""
        if self.last is not None:
            before_at, before = self.last
            late = at - before_at - self.due[before]
            self.late.append(late)
            wanted = self.keys[(self.keys.index(before) + 1) % len(self.keys)]
            if key != wanted:
                self.stalls.append(f"{_clock(at)} {key} after {before}, expected {wanted}")
            elif late > self.margin and not self.overdue:
                self.stalls.append(f"{_clock(at)} {key} {late:.2f} s late after {before}")
        self.pictures += 1
        self.overdue = False
        wrapped = key == self.keys[0] and self.last is not None
        self.last = (at, key)
        self.loops += wrapped
        return wrapped

    def check(self, now: float) -> None:
        """A picture that has not come at all is a stall too (counted once)."""
        if self.last is None or self.overdue:
            return
        at, key = self.last
        if now - at - self.due[key] > self.margin + 1.0:  # 1 s for the log line to reach us
            self.overdue = True
            self.stalls.append(f"{_clock(now)} nothing new since {key} at {_clock(at)}")


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S.%f")[:-3]


def make_show(folder: Path, *, films: int, film_seconds: float, card_seconds: float) -> tuple[Path, Trace]:
    """Films and cards in turn (a hold after the first card); the manifest and the show's expectations."""
    frames = round(film_seconds * FPS)
    items: list[Item] = []
    for n in range(1, films + 1):
        path = make_film(folder / f"film{n}.mp4", film=n, frames=frames, size=FILM_SIZE)
        items.append(film_item(f"film-{n}", path, duration=frames / FPS))
        if n <= 2:
            text = "二等奖\nSecond prize" if n == 1 else "休息\nInterval"
            items.append(
                Item(
                    key=f"card-{n}",
                    kind="card",
                    title=text.splitlines()[0],
                    card_text=text,
                    card_seconds=card_seconds,
                    hold=1.0 if n == 1 else 0.0,
                )
            )
    manifest = folder / "playlist.json"
    playlist = make_playlist(*items, playlist_id="loop")
    manifest.write_text(to_json(playlist), encoding="utf-8")
    write_xspf(playlist, folder)
    due = {item.key: (item.expected_seconds or 0.0) + item.hold for item in items}
    return manifest, Trace(keys=[item.key for item in items], due=due, margin=0.0)


def write_xspf(playlist: Playlist, folder: Path) -> Path:
    """The same show for stock VLC (the baseline): films by their names, cards as rendered images."""

    def locate(item: Item) -> str:
        if item.media is not None:
            return item.media.uri
        return f"cards/{render_card(item.card_text or item.title, folder / 'cards').name}"

    path = folder / "playlist.xspf"
    path.write_text(to_xspf(playlist, locate=locate), encoding="utf-8")
    return path


def start_display() -> tuple[subprocess.Popen, str]:
    """Xvfb with backing store, as the kiosk's venue set-up asks, ready when it writes to -displayfd.

    The display number is a high one of our own, not the first free one: tests on a shared machine start
    and stop their displays from :0 up all the while, and a long run must not meet them there."""
    for number in range(DISPLAY_FROM, DISPLAY_FROM + 100):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        read, write = os.pipe()
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-displayfd", str(write), "+bs", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24"]
            + ["-nolisten", "tcp", "-ac"],  # -ac: the baseline's cvlc runs as nobody; no TCP, so local users only
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as answer:
            ready = answer.readline().strip()
        if ready:
            return server, f":{ready}"
        server.wait(10)  # taken meanwhile: try the next one
    raise SystemExit("Xvfb did not start (the Debian package xvfb)")


def start_kiosk(
    manifest: Path, state: Path, display: str, log: Path, vlc_options: tuple[str, ...] = ()
) -> subprocess.Popen:
    """The kiosk as a venue runs it: its own process, the whole (virtual) screen, looping."""
    command = [sys.executable, "-m", "playlists.kiosk.runner", "--playlist", str(manifest)]
    command += ["--cache-dir", str(state), "--loop", "--vlc-option=--aout=dummy"]  # no sound card here
    command += [f"--vlc-option={option}" for option in vlc_options]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "DISPLAY": display}, stdin=subprocess.DEVNULL, stderr=out
        )


def sample(pid: int, x_pid: int, started: float) -> Sample | None:
    """The kiosk's VmRSS, open files and threads, and the X server's VmRSS; None once the kiosk is gone."""
    try:
        status = _status(pid)
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        x_rss = _status(x_pid).get("VmRSS", "0 kB")
    except (FileNotFoundError, ProcessLookupError):
        return None
    return Sample(
        at=time.time() - started,
        rss_kb=int(status["VmRSS"].split()[0]),
        fds=fds,
        threads=int(status["Threads"]),
        x_rss_kb=int(x_rss.split()[0]),
    )


def _status(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {name: value.strip() for name, _, value in (line.partition(":") for line in text.splitlines())}


class LogReader:
    """New whole lines of the kiosk's log since the last read."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def read(self) -> list[str]:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            data = handle.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        lines = data[:end].decode("utf-8", "replace").splitlines()
        self.lines += len(lines)
        return lines


def _logged_at(line: str) -> float:
    # the kiosk logs "%(asctime)s …": local time with milliseconds
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()


@dataclass
class Run:
    trace: Trace
    display: str = ""
    samples: list[Sample] = field(default_factory=list)
    loop_samples: list[Sample] = field(default_factory=list)  # one per loop, LOOP_SAMPLE_AFTER into it
    loop_sample_due: float | None = None  # epoch seconds
    exit_code: int | None = None  # set when the kiosk died before the end
    stopped_early: str | None = None  # why the bench stopped the kiosk before --minutes were up
    log_tail: list[str] = field(default_factory=list)


def watch(
    kiosk: subprocess.Popen,
    x_server: subprocess.Popen,
    log: LogReader,
    run: Run,
    *,
    seconds: float,
    every: float,
    max_rss_mb: float,
) -> None:
    """Follow the kiosk for `seconds`: sample every `every` s and 2 s into each loop; read its log.

    A kiosk past `max_rss_mb` is stopped there: the bench must not take a shared machine's memory."""
    started = time.time()
    next_sample, next_report = started, started + 60
    while time.time() - started < seconds:
        time.sleep(0.2)
        for line in log.read():
            _take_line(line, run)
        now = time.time()
        run.trace.check(now)
        if run.loop_sample_due is not None and now >= run.loop_sample_due:
            run.loop_sample_due = None
            if (taken := sample(kiosk.pid, x_server.pid, started)) is not None:
                run.loop_samples.append(taken)
        if x_server.poll() is not None:
            run.stopped_early = f"the X server exited ({x_server.returncode}) after {(now - started) / 60:.1f} min"
            return
        if kiosk.poll() is not None:
            run.exit_code = kiosk.returncode
            return
        if now >= next_sample:
            next_sample += every
            if (taken := sample(kiosk.pid, x_server.pid, started)) is not None:
                run.samples.append(taken)
                if taken.rss_kb / 1024 > max_rss_mb:
                    run.stopped_early = (
                        f"RSS {taken.rss_kb / 1024:.0f} MB > --max-rss-mb {max_rss_mb:g} after {taken.at / 60:.1f} min"
                    )
                    return
        if now >= next_report:
            next_report += 60
            _progress(run)


def _take_line(line: str, run: Run) -> None:
    run.log_tail = [*run.log_tail[-30:], line]
    if PICTURE in line:
        at, key = _logged_at(line), line.split(PICTURE, 1)[1].strip()
        if run.trace.picture(at, key):
            run.loop_sample_due = at + LOOP_SAMPLE_AFTER
    elif " ERROR " in line or "Traceback" in line:
        run.trace.failures.append(line)


def _progress(run: Run) -> None:
    if not run.samples:
        return
    last = run.samples[-1]
    at_loop = f"{run.loop_samples[-1].rss_kb / 1024:7.1f} MB" if run.loop_samples else "      —"
    print(
        f"  {last.at / 60:6.1f} min  loops {run.trace.loops:4d}  items {run.trace.pictures:5d}  "
        f"RSS {last.rss_kb / 1024:7.1f} MB (2 s into the last loop {at_loop})  fds {last.fds:3d}  "
        f"threads {last.threads:3d}  X RSS {last.x_rss_kb / 1024:6.1f} MB  stalls {len(run.trace.stalls)}",
        flush=True,
    )


def stop(process: subprocess.Popen) -> int | None:
    """SIGTERM (the kiosk saves its place and exits 0), then kill if it does not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    return process.returncode


def start_cvlc(xspf: Path, display: str, home: Path) -> subprocess.Popen:
    """Stock VLC looping the same show, fullscreen on the same display, as nobody (VLC refuses root)."""
    command = ["cvlc", "--loop", "--fullscreen", "--no-video-title-show", "--aout=dummy", str(xspf)]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    env = {"DISPLAY": display, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _player_pid(pid: int) -> int:
    """runuser keeps a parent process: the player is its child."""
    if os.geteuid() != 0:
        return pid
    for _ in range(50):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            return pid
        if children:
            return int(children[0])
        time.sleep(0.1)
    return pid


def watch_baseline(xspf: Path, display: str, x_server: subprocess.Popen, *, seconds: float, every: float):
    """Samples of stock cvlc looping the show for `seconds` (None when cvlc is not installed)."""
    if shutil.which("cvlc") is None or seconds <= 0 or x_server.poll() is not None:
        return None
    home = Path(tempfile.mkdtemp(prefix="bench-loop-home-"))
    home.chmod(0o777)  # noqa: S103 - a home of its own for the user nobody
    process = start_cvlc(xspf, display, home)
    samples: list[Sample] = []
    try:
        time.sleep(1.0)
        pid, started = _player_pid(process.pid), time.time()
        while time.time() - started < seconds and process.poll() is None and x_server.poll() is None:
            if (taken := sample(pid, x_server.pid, started)) is not None:
                samples.append(taken)
            time.sleep(every)
    finally:
        stop(process)
        shutil.rmtree(home, ignore_errors=True)
    return samples


def report_baseline(samples: list[Sample] | None, loop_seconds: float, kiosk_rate: float | None) -> None:
    """Stock VLC on the same show and display: its growth after the first loop, per hour as the kiosk's."""
    if not samples:
        print("baseline: stock cvlc not run (not installed, --baseline-minutes 0, the X server gone, or no start)")
        return
    first = next((s for s in samples if s.at >= loop_seconds), samples[-1])
    last = samples[-1]
    hours = max(last.at - first.at, 1.0) / 3600
    rate = (last.rss_kb - first.rss_kb) / 1024 / hours
    print(
        f"baseline, stock cvlc --loop on the same show and display for {last.at / 60:.1f} min: RSS "
        f"{first.rss_kb / 1024:.1f} -> {last.rss_kb / 1024:.1f} MB after the first loop ({rate:+.0f} MB/hour), "
        f"max {max(s.rss_kb for s in samples) / 1024:.1f}; open files {first.fds} -> {last.fds}, "
        f"max {max(s.fds for s in samples)}; threads {first.threads} -> {last.threads}"
    )
    if kiosk_rate is not None:
        print(f"kiosk vs stock cvlc, RSS growth per hour: {kiosk_rate:+.0f} vs {rate:+.0f} MB/hour")


def report(run: Run, args: argparse.Namespace, loop_seconds: float) -> bool:
    """The table, the verdicts; True when every target is met."""
    trace = run.trace
    print(
        f"Kiosk looping on a real X display (Xvfb {run.display}, {SCREEN[0]}x{SCREEN[1]}): {args.films} films of "
        f"{args.film_seconds:g} s ({FILM_SIZE[0]}x{FILM_SIZE[1]}) and 2 title cards of {args.card_seconds:g} s, "
        f"one 1 s hold: a {loop_seconds:.1f} s loop; {args.minutes:g} min, sampled every {args.sample_every:g} s"
    )
    if run.stopped_early:
        print(f"STOPPED EARLY: {run.stopped_early}")
    if run.exit_code is not None:
        print(f"the kiosk EXITED with {run.exit_code} after {trace.loops} loops; its log ends:")
        print("\n".join(run.log_tail[-15:]))
    if len(run.loop_samples) < 2 or not run.samples:
        print(f"only {len(run.loop_samples)} loops sampled: run longer (--minutes) to measure growth — FAIL")
        return False
    first, last = run.loop_samples[0], run.loop_samples[-1]
    later = [s for s in run.samples if s.at >= first.at] + run.loop_samples
    rows = [
        ("RSS (MB)", lambda s: s.rss_kb / 1024, "{:.1f}"),
        ("open files", lambda s: s.fds, "{:.0f}"),
        ("threads", lambda s: s.threads, "{:.0f}"),
        ("X server RSS (MB)", lambda s: s.x_rss_kb / 1024, "{:.1f}"),
    ]
    print(f"{'':<20} {'start':>9} {'in loop 2':>14} {'in the last loop':>17} {'change':>8} {'max after loop 1':>17}")
    for label, value, form in rows:
        cells = [form.format(value(s)) for s in (run.samples[0], first, last)]
        change = form.replace("{:", "{:+").format(value(last) - value(first))
        peak = form.format(max(value(s) for s in later))
        print(f"{label:<20} {cells[0]:>9} {cells[1]:>14} {cells[2]:>17} {change:>8} {peak:>17}")
    _print_trend(run.loop_samples)
    late = sorted(trace.late) or [0.0]
    print(
        f"loops done {trace.loops}, items played {trace.pictures}, minutes between the two loop samples "
        f"{(last.at - first.at) / 60:.1f}; picture lateness median {statistics.median(late) * 1000:.0f} ms, "
        f"p95 {late[int(0.95 * (len(late) - 1))] * 1000:.0f} ms, max {late[-1] * 1000:.0f} ms; "
        f"kiosk errors logged {len(trace.failures)}"
    )
    return _verdicts(run, first, last, later)


def _print_trend(loop_samples: list[Sample], count: int = 5) -> None:
    """One sample says little when pictures come and go in tens of MB: the medians of the first and last few."""
    if len(loop_samples) < 2 * count:
        return
    early = statistics.median(s.rss_kb for s in loop_samples[:count]) / 1024
    late = statistics.median(s.rss_kb for s in loop_samples[-count:]) / 1024
    print(
        f"RSS 2 s into the loop, median of loops 2-{count + 1} {early:.1f} MB, of the last {count} {late:.1f} MB: "
        f"{late - early:+.1f} MB"
    )


def growth_per_hour(run: Run) -> float | None:
    """The kiosk's RSS growth from the second loop's start to the last one's, in MB per hour."""
    if len(run.loop_samples) < 2:
        return None
    first, last = run.loop_samples[0], run.loop_samples[-1]
    return (last.rss_kb - first.rss_kb) / 1024 / (max(last.at - first.at, 1.0) / 3600)


def _verdicts(run: Run, first: Sample, last: Sample, later: list[Sample]) -> bool:
    trace = run.trace
    growth = (last.rss_kb - first.rss_kb) / 1024
    fds_max = max(s.fds for s in later)
    # which files are open depends on the instant (the next item is opened just after a picture): a leak
    # shows as a floor that rises, so the last three loops' samples are compared with the first three
    early, late = [s.fds for s in run.loop_samples[:3]], [s.fds for s in run.loop_samples[-3:]]
    checks = [
        (f"RSS growth after the first loop {growth:+.1f} MB (target <= {RSS_TARGET_MB:g} MB)", growth <= RSS_TARGET_MB),
        (
            f"open files in the first loops {early}, in the last {late}, max {fds_max} after the first "
            f"loop (flat: the last no higher than the first, at most {FD_SLACK} more meanwhile)",
            min(late) <= max(early) and fds_max <= max(early) + FD_SLACK,
        ),
        (
            f"stalls {len(trace.stalls)} (a picture over {trace.margin:g} s late, or of the wrong item)",
            not trace.stalls,
        ),
        ("the kiosk ran to the end", run.exit_code is None and run.stopped_early is None),
    ]
    for line in trace.stalls[:20]:
        print(f"  stall: {line}")
    for line in trace.failures[:10]:
        print(f"  kiosk error: {line}")
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    passed = all(ok for _label, ok in checks)
    print(f"overall: {'PASS' if passed else 'FAIL'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120.0, help="how long the kiosk loops (default 120)")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between samples (default 10)")
    parser.add_argument("--films", type=int, default=3, help="films in the show (default 3)")
    parser.add_argument("--film-seconds", type=float, default=4.0, help="length of each film (default 4)")
    parser.add_argument("--card-seconds", type=float, default=2.0, help="each title card's time (default 2)")
    parser.add_argument("--margin", type=float, default=1.0, help="seconds late that make a stall (default 1)")
    parser.add_argument(
        "--baseline-minutes",
        type=float,
        default=10.0,
        help="then stock cvlc loops the same show this long, for comparison (default 10, at most --minutes)",
    )
    parser.add_argument(
        "--max-rss-mb", type=float, default=3072.0, help="stop the kiosk past this resident size (default 3072)"
    )
    parser.add_argument(
        "--vlc-option",
        action="append",
        default=[],
        metavar="OPT",
        help="passed to the kiosk, e.g. --vlc-option=--vout=xcb_x11 (libvlc's plain X output instead of OpenGL)",
    )
    args = parser.parse_args(argv)
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is missing: `make bench` installs the Debian package xvfb")
    work = Path(tempfile.mkdtemp(prefix="bench-loop-"))
    work.chmod(0o755)  # noqa: S103 - the baseline's cvlc runs as nobody and reads the show
    try:
        manifest, trace = make_show(
            work, films=args.films, film_seconds=args.film_seconds, card_seconds=args.card_seconds
        )
        trace.margin = args.margin
        run = Run(trace)
        server, display = start_display()
        run.display = display
        try:
            log = LogReader(work / "kiosk.log")
            kiosk = start_kiosk(manifest, work / "state", display, log.path, tuple(args.vlc_option))
            try:
                watch(
                    kiosk,
                    server,
                    log,
                    run,
                    seconds=args.minutes * 60,
                    every=args.sample_every,
                    max_rss_mb=args.max_rss_mb,
                )
            finally:
                code = stop(kiosk)
            if run.exit_code is None and code != 0:
                print(f"the kiosk exited with {code} on SIGTERM (0 expected)")
            baseline = watch_baseline(
                manifest.with_suffix(".xspf"),
                display,
                server,
                seconds=min(args.baseline_minutes, args.minutes) * 60,
                every=args.sample_every,
            )
        finally:
            server.terminate()
            server.wait(10)
        passed = report(run, args, sum(trace.due.values()))
        report_baseline(baseline, sum(trace.due.values()), growth_per_hour(run))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # like the other benches, a missed target is printed, not an exit status: `make bench` runs them all
    return 0 if passed or run.exit_code is None else 1


if __name__ == "__main__":
    sys.exit(main())
