"""Guest film pages under a scan surge: wrk on loopback against gunicorn (and nginx), 2,300 films.

Run: python tests/bench/bench_guests.py [--duration 10] [--rounds 1] [--connections 64] [--workers 3]

Baseline, measured in the same run by the same gunicorn: a static file (/static/css/guest.css, about the
size of a film page) through the same Flask app. Film pages are spread over every film code by
tests/bench/guest_pages.lua and served from the ready pages (showcase/guests/render_cache.py: one
primary-key read of the public version, no page query, no rendering); a second gunicorn serves them
without (GUEST_PAGE_CACHE_SIZE=0). "badge moves every second" has a kiosk report another film every
second while wrk runs, each report bumping the public version (the worst case of keeping "now playing" in
the page). Then the same through nginx with the sample config (showcase/deploy/nginx.conf). gunicorn as
the README recommends (3 gthread workers x 16 threads). Goals: film page >= 1.0x the static file's
throughput, p99 <= 25 ms, no error, at 64 connections. SQLite file database always; PostgreSQL too when
SHOWCASE_TEST_DATABASE_URL is set (a server's URL, or `start` for a server of the benchmark's own).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
from tests import nginx, postgres  # noqa: E402
from tests.apphosts import AppHost, redis_server  # noqa: E402

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


def start_host(database_url: str, instance: Path, args, **settings: str) -> AppHost:
    base = {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(40), **settings}
    host = AppHost(instance, base, workers=args.workers, threads=args.threads)
    host.wait_ready()
    return host


def check(url: str, film_path: str) -> None:
    """The benchmarked page is the real one: 200, no cookie, an ETag."""
    request = urllib.request.Request(url + film_path, headers={"Accept-Language": "zh-CN"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers.get("Set-Cookie") is None
        assert response.headers.get("ETag")


def wrk(url: str, paths_file: Path, *, duration: int, connections: int, script: Path = LUA) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(script), url]
        + ["--", str(paths_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = RESULT.search(out)
    if not match:
        raise RuntimeError(f"no RESULT line in wrk output:\n{out}")
    rps, p50, p99, requests, non2xx, errors = match.groups()
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p99": float(p99),
        "requests": int(requests),
        "errors": int(non2xx) + int(errors),
    }


class Badge:
    """A kiosk that reports another film every `every` seconds while it runs: each report bumps the version."""

    def __init__(
        self, database_url: str, instance: Path, codes: list[str], *, every: float = 1.0, pubsub: str = ""
    ) -> None:
        self.config = {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "PUBSUB_URL": pubsub}
        self.codes, self.every = codes, every
        self.stop = threading.Event()

    def _run(self, app) -> None:
        n = 0
        with app.app_context():
            while not self.stop.wait(self.every):
                n += 1
                kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == "bench-kiosk"))
                kiosk.state = {"state": "playing", "film_code": self.codes[n % len(self.codes)]}
                db.session.commit()
            db.engine.dispose()

    def __enter__(self):
        self.app = create_app({**self.config, "SECRET_KEY": secrets.token_urlsafe(40)})
        self.stop.clear()
        self.thread = threading.Thread(target=self._run, args=(self.app,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.app.extensions["showcase.live"].close()


def measure(targets: list[tuple], args, badge: Badge) -> dict[str, dict[str, float]]:
    """Each target (name, url, paths file, moving badge?) warmed, then run `rounds` times, alternating."""
    for _name, url, paths, moving in targets:
        # Each worker renders each page once: 2,300 pages x 3 workers take a while on a busy machine.
        warm = args.warm_films if paths.name == "films.txt" and not moving else args.warm
        wrk(url, paths, duration=warm, connections=args.connections)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in targets}
    for n in range(args.rounds):
        for name, url, paths, moving in targets if n % 2 == 0 else targets[::-1]:
            with badge if moving else contextlib.nullcontext():
                runs[name].append(wrk(url, paths, duration=args.duration, connections=args.connections))
    return {
        name: {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p99", "errors")}
        for name, results in runs.items()
    }


def bench_backend(label: str, database_url: str, args) -> list[tuple]:
    work = Path(tempfile.mkdtemp(prefix="bench-guests-"))
    hosts: list[AppHost] = []
    try:
        with redis_server(work) as redis_url:
            return _bench(label, database_url, args, work, hosts, redis_url)
    finally:
        for host in hosts:
            host.stop()
        shutil.rmtree(work, ignore_errors=True)


def _bench(label: str, database_url: str, args, work: Path, hosts: list[AppHost], redis_url: str) -> list[tuple]:
    """The README's production set-up (Redis for the throttle and the pushes) on one database."""
    started = time.monotonic()
    codes = seed(database_url, work / "seed")
    print(f"[{label}] seeded {len(codes)} films in {time.monotonic() - started:.1f} s", flush=True)
    shared = {"PUBSUB_URL": redis_url, "RATELIMIT_STORAGE_URI": redis_url}
    ready = start_host(database_url, work / "ready", args, **shared)
    plain = start_host(database_url, work / "plain", args, GUEST_PAGE_CACHE_SIZE="0", **shared)
    hosts += [ready, plain]
    files = {"films": codes, "winners": codes[:7], "static": None}
    for name, listed in files.items():
        lines = [STATIC_PATH] if listed is None else [f"/f/{code}" for code in listed]
        (work / f"{name}.txt").write_text("\n".join(lines) + "\n")
    check(ready.url, f"/f/{codes[0]}")
    badge = Badge(database_url, work / "seed", codes[:7], pubsub=redis_url)
    with nginx.serve(work / "nginx", upstreams=[ready.address], workers=1) as proxy:
        targets = [
            ("static file", ready.url, work / "static.txt", False),
            ("film page", ready.url, work / "films.txt", False),
            ("winners only", ready.url, work / "winners.txt", False),
            ("film page, badge moves every second", ready.url, work / "films.txt", True),
            ("winners, badge moves every second", ready.url, work / "winners.txt", True),
            ("film page, no ready pages", plain.url, work / "films.txt", False),
            ("nginx: static file", proxy, work / "static.txt", False),
            ("nginx: film page", proxy, work / "films.txt", False),
        ]
        results = measure(targets, args, badge)
    static = results["static file"]["rps"]
    return [(label, name, r["rps"], r["p50"], r["p99"], r["rps"] / static, r["errors"]) for name, r in results.items()]


def report(rows: list[tuple], *, ratio_goal: float, p99_goal: float) -> None:
    print()
    print(f"{'database':<11} {'target':<38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>10} {'errors':>7}")
    for label, name, rps, p50, p99, ratio, errors in rows:
        print(f"{label:<11} {name:<38} {rps:>8.0f} {p50:>8.2f} {p99:>8.2f} {ratio:>9.2f}x {errors:>7.0f}")
    print()
    for label, name, _rps, _p50, p99, ratio, errors in rows:
        if name in ("film page", "winners only", "nginx: film page"):
            verdict = "meets" if ratio >= ratio_goal and p99 <= p99_goal and not errors else "MISSES"
            goal = f">= {ratio_goal:.2f}x static, p99 <= {p99_goal:.0f} ms, 0 errors"
            print(f"{label}, {name}: {verdict} the goal ({goal}): {ratio:.2f}x, p99 {p99:.1f} ms, {errors:.0f} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warm", type=int, default=5, help="seconds of warm-up per target")
    parser.add_argument("--warm-films", type=int, default=45, help="seconds of warm-up over all 2,300 film pages")
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs per target; medians reported")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3, help="gthread workers (README: 3 x 16 threads)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    print(
        f"gunicorn: {args.workers} gthread workers x {args.threads} threads; wrk: 2 threads, "
        f"{args.connections} connections, {args.rounds} x {args.duration} s per target"
    )
    rows = []
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            rows += bench_backend("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.only != "sqlite":
        with postgres.server() as server:
            if server:
                with postgres.scratch_database(server, prefix="showcase_bench") as url:
                    rows += bench_backend("postgresql", url, args)
    report(rows, ratio_goal=1.0, p99_goal=25.0)


if __name__ == "__main__":
    main()
