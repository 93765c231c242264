"""Benchmark of a restart: how long a second `make run` takes to serve, by the number of films.

Run: python tests/bench/bench_restart.py [--runs N] [--films 0,300,2300]

What is timed is what `make run` does on an instance that already has data, until /healthz
answers: `showcase start` (migrate, the demo only into an empty database, serve, in one process).
Baselines measured in the same run: the floor, `showcase run` alone on the same instance; and the
same steps as three commands (`showcase db upgrade`, `showcase demo --if-empty`, `showcase run`),
which is how `make run` did it before. The instance is a real SQLite one in a temporary folder:
migrated, the demo loaded (with clips when ffmpeg is there), then N imported submissions.
Target: serving within 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOWCASE = str(Path(sys.executable).parent / "showcase")
TARGET_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOWCASE_")}
    env["SHOWCASE_INSTANCE_PATH"] = str(instance)
    return env


def _cli(instance: Path, *args: str) -> None:
    subprocess.run([SHOWCASE, *args], cwd=ROOT, env=_env(instance), check=True, capture_output=True, timeout=900)


def _csv(count: int, path: Path) -> Path:
    rows = [f"SUB-{n:05d},投稿 {n},Entry {n},导演 {n},{5 + n % 20}:00,d{n}@example.org" for n in range(count)]
    path.write_text("报名编号,片名,英文片名,导演,时长,邮箱\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def make_instance(folder: Path, films: int) -> Path:
    """A migrated instance with the demo and `films` imported submissions."""
    instance = folder / f"instance-{films}"
    _cli(instance, "db", "upgrade")
    _cli(instance, "demo", *([] if shutil.which("ffmpeg") else ["--no-clips"]))
    if films:
        _cli(
            instance, "films", "import", str(_csv(films, folder / f"films-{films}.csv")), "--festival", "ai-shorts-2026"
        )
    return instance


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def time_to_serve(instance: Path, *, how: str) -> float:
    """Seconds from the first command to /healthz answering 200."""
    port = _free_port()
    started = time.monotonic()
    if how == "three commands":
        _cli(instance, "db", "upgrade")
        _cli(instance, "demo", "--if-empty")
    command = ["start"] if how == "start" else ["run"]
    server = subprocess.Popen(
        [SHOWCASE, *command, "--port", str(port)],
        cwd=ROOT,
        env=_env(instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = started + 120
        while not _serving(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not come up")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)


WAYS = ("run", "three commands", "start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--films", default="0,300,2300")
    args = parser.parse_args()
    counts = [int(n) for n in args.films.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        instances = {n: make_instance(Path(tmp), n) for n in counts}
        print(f"restart to serving, median of {args.runs} (target ≤ {TARGET_SECONDS:.0f} s)\n")
        print(
            "| imported films | serve only (floor) s | three commands (before) s | `showcase start` s |"
            " start vs floor |"
        )
        print("|---|---|---|---|---|")
        for n, instance in instances.items():
            times: dict[str, list[float]] = {way: [] for way in WAYS}
            for _ in range(args.runs):  # interleaved, so load on the machine hits every way alike
                for way in WAYS:
                    times[way].append(time_to_serve(instance, how=way))
            floor, before, ours = (statistics.median(times[way]) for way in WAYS)
            print(f"| {n:,} | {floor:.2f} | {before:.2f} | {ours:.2f} | {ours / floor:.2f}× |")


if __name__ == "__main__":
    main()
