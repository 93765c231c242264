"""Guest film pages under a scan surge: wrk on loopback against gunicorn, 2,300 films.

Run: python tests/bench/bench_guests.py [--duration 10] [--rounds 3] [--connections 64] [--workers N]

Baseline, measured in the same run by the same gunicorn: a static file (/static/css/guest.css, about the
size of a film page) through the same Flask app. Film pages are spread over every film code by
tests/bench/guest_pages.lua, with the per-process render cache (showcase/guests/render_cache.py; the
queries still run on every request) and, from a second gunicorn, without it. Goals: film-page
throughput at least half the static file's, p99 <= 50 ms at 64 connections. SQLite file database
always; PostgreSQL too when SHOWCASE_TEST_DATABASE_URL is set (a server's URL, or `start` for a server of
the benchmark's own, as in the suite).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, update  # noqa: E402

from showcase.app import create_app  # noqa: E402
from showcase.awards.models import Award  # noqa: E402
from showcase.db import utcnow  # noqa: E402
from showcase.demo.loader import load_demo  # noqa: E402
from showcase.extensions import db  # noqa: E402
from showcase.festivals.models import Festival  # noqa: E402
from showcase.films.models import Credit, Film, Person, ShortCode  # noqa: E402
from showcase.films.services import CODE_ALPHABET, CODE_LENGTH  # noqa: E402
from showcase.kiosks.models import Kiosk  # noqa: E402
from tests import postgres  # noqa: E402

FILMS = 2300
LUA = Path(__file__).with_name("guest_pages.lua")
STATIC_PATH = "/static/css/guest.css"
RESULT = re.compile(
    r"RESULT rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) requests=(\d+) non2xx=(\d+) "
    r"socket_errors=(\d+)"
)


def _codes(n: int, taken: set[str]) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            codes.add(code)
    return sorted(codes)


def seed(database_url: str, instance: Path) -> list[str]:
    """Schema, the demo festival and enough selected films for 2,300 in all; returns every film code.

    The seven demo winners come first: they are in public sessions, their awards are revealed and a
    kiosk is reporting, so their pages run every query a film page can run.
    """
    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_urlsafe(40)}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(make_clips=False)
        festival = db.session.scalar(select(Festival))
        taken = set(db.session.scalars(select(Film.code)))
        extra = _codes(FILMS - len(taken), taken)
        now = utcnow()
        db.session.execute(insert(ShortCode), [{"code": c, "issued_at": now} for c in extra])
        db.session.execute(
            insert(Film),
            [
                {
                    "festival_id": festival.id,
                    "code": code,
                    "slug": f"submission-{n}",
                    "title": f"投稿影片 {n}",
                    "title_en": f"Submission {n}",
                    "runtime_seconds": 120 + n % 600,
                    "synopsis": "一部短片。" * 20,
                    "synopsis_en": "A short film. " * 20,
                    "status": "selected",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "country": "中国 China",
                    "language": "普通话 Mandarin",
                }
                for n, code in enumerate(extra)
            ],
        )
        db.session.execute(
            insert(Person), [{"name": f"导演 {n}", "name_en": f"Director {n}", "bio": ""} for n in range(len(extra))]
        )
        film_ids = db.session.scalars(select(Film.id).where(Film.code.in_(extra)).order_by(Film.id)).all()
        person_ids = db.session.scalars(select(Person.id).where(Person.name.like("导演 %")).order_by(Person.id)).all()
        db.session.execute(
            insert(Credit),
            [
                {"film_id": f, "person_id": p, "role": "director", "display_order": 0}
                for f, p in zip(film_ids, person_ids, strict=True)
            ],
        )
        db.session.execute(update(Award).values(revealed_at=now))  # after the ceremony: winners show prizes
        screen = festival.screens[0]
        db.session.add(
            Kiosk(
                name="bench-kiosk",
                screen_id=screen.id,
                token_hash=secrets.token_hex(32),
                last_heartbeat_at=now + timedelta(days=1),  # "fresh" for the whole run
                state={"state": "playing", "film_code": sorted(taken)[0]},
            )
        )
        db.session.commit()
        codes = list(db.session.scalars(select(Film.code).order_by(Film.id)))
        db.engine.dispose()
    return codes


class Gunicorn:
    def __init__(
        self,
        database_url: str,
        instance: Path,
        *,
        workers: int,
        worker_class: str,
        threads: int,
        page_cache: bool = True,
    ):
        self.port = _free_port()
        env = {
            **os.environ,
            "SHOWCASE_DATABASE_URL": database_url,
            "SHOWCASE_INSTANCE_PATH": str(instance),
            "SHOWCASE_SECRET_KEY": secrets.token_urlsafe(40),
        }
        if not page_cache:
            env["SHOWCASE_GUEST_PAGE_CACHE_SIZE"] = "0"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "wsgi:app",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check(url: str, film_path: str) -> None:
    """The benchmarked page is the real one: 200, no cookie, an ETag."""
    request = urllib.request.Request(url + film_path, headers={"Accept-Language": "zh-CN"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers.get("Set-Cookie") is None
        assert response.headers.get("ETag")


def wrk(url: str, paths_file: Path, *, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            url,
            "--",
            str(paths_file),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = RESULT.search(out)
    if not match:
        raise RuntimeError(f"no RESULT line in wrk output:\n{out}")
    rps, p50, p99, requests, non2xx, errors = match.groups()
    if int(non2xx) or int(errors):
        raise RuntimeError(f"{non2xx} non-2xx answers and {errors} socket errors:\n{out}")
    return {"rps": float(rps), "p50": float(p50), "p99": float(p99), "requests": int(requests)}


def measure(servers: dict[str, Gunicorn], work: Path, codes: list[str], args) -> dict[str, dict[str, float]]:
    films_file, winners_file, static_file = work / "films.txt", work / "winners.txt", work / "static.txt"
    films_file.write_text("\n".join(f"/f/{code}" for code in codes) + "\n")
    winners_file.write_text("\n".join(f"/f/{code}" for code in codes[:7]) + "\n")
    static_file.write_text(STATIC_PATH + "\n")
    targets = [
        ("static file", servers["cached"].url, static_file),
        ("film page", servers["cached"].url, films_file),
        ("film page, no render cache", servers["uncached"].url, films_file),
        ("winners only", servers["cached"].url, winners_file),
        ("winners only, no render cache", servers["uncached"].url, winners_file),
    ]
    for _name, url, paths in targets:
        check(url, f"/f/{codes[0]}")
        wrk(url, paths, duration=2, connections=args.connections)  # warm each worker's pool and caches
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _url, _paths in targets}
    for n in range(args.rounds):
        for name, url, paths in targets if n % 2 == 0 else targets[::-1]:
            runs[name].append(wrk(url, paths, duration=args.duration, connections=args.connections))
    return {
        name: {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p99")}
        for name, results in runs.items()
    }


def bench_backend(label: str, database_url: str, args) -> list[tuple]:
    work = Path(tempfile.mkdtemp(prefix="bench-guests-"))
    servers: dict[str, Gunicorn] = {}
    try:
        instance = work / "instance"
        started = time.monotonic()
        codes = seed(database_url, instance)
        print(f"[{label}] seeded {len(codes)} films in {time.monotonic() - started:.1f} s", flush=True)
        for name, page_cache in (("cached", True), ("uncached", False)):
            servers[name] = Gunicorn(
                database_url,
                instance,
                workers=args.workers,
                worker_class=args.worker_class,
                threads=args.threads,
                page_cache=page_cache,
            )
        results = measure(servers, work, codes, args)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    static = results["static file"]["rps"]
    return [(label, name, r["rps"], r["p50"], r["p99"], r["rps"] / static) for name, r in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per target; medians reported")
    parser.add_argument("--connections", type=int, default=64)
    # Measured here on 2 cores with wrk on the same machine: 2 sync workers > 3 > 5 (2 * cores + 1) >
    # gthread; the page is CPU-bound, so workers beyond the cores only add switching.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads; wrk: 2 threads, "
        f"{args.connections} connections, {args.rounds} x {args.duration} s per target"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_backend("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    with postgres.server() as server:
        if server:
            with postgres.scratch_database(server, prefix="showcase_bench") as url:
                rows += bench_backend("postgresql", url, args)
    print()
    print(f"{'database':<11} {'target':<30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>10}")
    for label, name, rps, p50, p99, ratio in rows:
        print(f"{label:<11} {name:<30} {rps:>8.0f} {p50:>8.2f} {p99:>8.2f} {ratio:>9.2f}x")
    print()
    for label, name, _rps, _p50, p99, ratio in rows:
        if name != "static file":
            verdict = "meets" if ratio >= 0.5 and p99 <= 50 else "MISSES"
            print(
                f"{label}, {name}: {verdict} the goal (>= 0.50x static, p99 <= 50 ms): {ratio:.2f}x, p99 {p99:.1f} ms"
            )


if __name__ == "__main__":
    main()
