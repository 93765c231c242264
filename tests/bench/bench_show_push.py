"""GO → new show state on 200 clients: Server-Sent Events pushed, against polling every 1.5 s (baseline).

    python tests/bench/bench_show_push.py [--clients 200] [--rounds 3] [--workers 2] [--threads 128]

One gunicorn, as the README recommends for streams (gthread workers; with Redis between them when
redis-server is installed, else one worker on the in-process bus), on a SQLite file with the demo festival
(SHOWCASE_TEST_DATABASE_URL=postgresql://… runs it on PostgreSQL instead). The clients are asyncio
connections in this process. Baseline, the same run, same server: every client polls GET /api/shows/<id>
every 1.5 s (today's caller page), phases spread evenly. Then every client holds the event stream open.
Each round a GO goes through the API (an editor's token); a client's latency is from just before the GO is
sent to the first answer (poll) or event (stream) carrying the show's new version.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import postgres  # noqa: E402

POLL_EVERY = 1.5  # seconds: the caller page's polling before streams
SETTLE = 2.5  # seconds after a GO before the next: every poller has polled at least once since


def seed(database_url: str, instance: Path) -> tuple[int, str, str]:
    """Schema and the demo festival; returns the ceremony's session id, a viewer's and an editor's token."""
    from sqlalchemy import select

    from showcase.app import create_app
    from showcase.auth.services import create_user
    from showcase.auth.tokens import create_token
    from showcase.demo.loader import load_demo
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_urlsafe(40)}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(make_clips=False)
        raw = {}
        for role in ("viewer", "editor"):
            user = create_user(email=f"{role}@bench.example.org", name=role, role=role, password="x" * 12)
            raw[role] = create_token(user, name=f"bench {role}")[1]
        session_id = db.session.scalar(select(ScheduleSession.id).where(ScheduleSession.kind == "ceremony"))
        db.session.commit()
        db.engine.dispose()
    return session_id, raw["viewer"], raw["editor"]


class Redis:
    """A redis-server of the benchmark's own on a free port (None when the package is not installed)."""

    def __init__(self, folder: Path) -> None:
        self.port = postgres.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client, deadline = redis.Redis.from_url(self.url), time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Gunicorn:
    def __init__(self, database_url: str, instance: Path, *, workers: int, threads: int, pubsub_url: str) -> None:
        self.port = postgres.free_port()
        env = {
            **os.environ,
            "SHOWCASE_DATABASE_URL": database_url,
            "SHOWCASE_INSTANCE_PATH": str(instance),
            "SHOWCASE_SECRET_KEY": secrets.token_urlsafe(40),
            "SHOWCASE_PUBSUB_URL": pubsub_url,
            "SHOWCASE_SHOW_EVENTS_MS": "300000",  # no stream ends (and reconnects) during a round
            "SHOWCASE_SHOW_API_LIMIT": "1000000 per minute",  # every client here shares one token
        }
        # A stream holds a thread for as long as it is open: a worker takes no more connections than it has
        # threads, so the kernel hands the rest to the other worker instead of queueing them behind streams.
        command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers)]
        command += ["--worker-class", "gthread", "--threads", str(threads), "--worker-connections", str(threads)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--backlog", "2048", "--graceful-timeout", "3"]
        command += ["--log-level", "error", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# --- the clients: HTTP/1.0 over asyncio streams (no chunking: a stream is the body until the server closes) ---


async def _open(port: int, method: str, path: str, token: str, body: bytes = b""):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
        pass  # headers
    return status, reader, writer


async def _fetch(port: int, method: str, path: str, token: str, body: bytes = b"") -> tuple[int, dict]:
    status, reader, writer = await _open(port, method, path, token, body)
    data = await reader.read()
    writer.close()
    return status, json.loads(data)


async def poller(port: int, path: str, token: str, phase: float, stop: asyncio.Event, seen: list) -> None:
    """GET the show every POLL_EVERY seconds from `phase` on; note (answer time, version) of each answer."""
    start = time.monotonic() + phase
    tick = 0
    while not stop.is_set():
        await asyncio.sleep(max(0.0, start + tick * POLL_EVERY - time.monotonic()))
        status, state = await _fetch(port, "GET", path, token)
        assert status == 200, (status, state)
        seen.append((time.monotonic(), state["version"]))
        tick += 1


async def listener(port: int, path: str, token: str, ready: asyncio.Event, seen: list) -> None:
    """Hold the event stream open; note (arrival time, version) of each event."""
    status, reader, writer = await _open(port, "GET", path, token)
    assert status == 200, status
    try:
        data = []
        while line := await reader.readline():
            text = line.decode().rstrip("\r\n")
            if text.startswith("data: "):
                data.append(text[6:])
            elif not text and data:
                seen.append((time.monotonic(), json.loads("".join(data))["version"]))
                data = []
                ready.set()
    finally:
        writer.close()


async def go(port: int, session_id: int, token: str) -> tuple[float, int]:
    """GO from wherever the show is; (the moment just before it was sent, the show's new version)."""
    _, state = await _fetch(port, "GET", f"/api/shows/{session_id}", token)
    body = json.dumps({"from_cue": (state["cue"] or {}).get("id")}).encode()
    sent = time.monotonic()
    status, state = await _fetch(port, "POST", f"/api/shows/{session_id}/go", token, body)
    assert status == 200, state
    return sent, state["version"]


def latencies(seen: list[list], gos: list[tuple[float, int]]) -> list[float]:
    """Per client and GO: seconds from the GO to the first answer carrying its version or a later one."""
    out = []
    for client in seen:
        for sent, version in gos:
            out.append(next(at for at, v in client if v >= version and at >= sent) - sent)
    return out


async def run_polling(port: int, session_id: int, tokens: tuple[str, str], clients: int, rounds: int):
    viewer, editor = tokens
    path, stop, seen = f"/api/shows/{session_id}", asyncio.Event(), [[] for _ in range(clients)]
    tasks = [
        asyncio.create_task(poller(port, path, viewer, POLL_EVERY * n / clients, stop, seen[n])) for n in range(clients)
    ]
    await asyncio.sleep(2 * POLL_EVERY)
    gos = []
    for _ in range(rounds):
        gos.append(await go(port, session_id, editor))
        await asyncio.sleep(SETTLE)
    stop.set()
    await asyncio.gather(*tasks)
    return latencies(seen, gos)


async def run_streams(port: int, session_id: int, tokens: tuple[str, str], clients: int, rounds: int):
    viewer, editor = tokens
    path, seen = f"/api/shows/{session_id}/events", [[] for _ in range(clients)]
    ready = [asyncio.Event() for _ in range(clients)]
    tasks = [asyncio.create_task(listener(port, path, viewer, ready[n], seen[n])) for n in range(clients)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), timeout=60)
    await asyncio.sleep(0.5)
    gos = []
    for _ in range(rounds):
        gos.append(await go(port, session_id, editor))
        await asyncio.sleep(SETTLE)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies(seen, gos)


def _row(database: str, name: str, values: list[float], base: float) -> str:
    median = statistics.median(values)
    p95 = statistics.quantiles(values, n=20)[18]
    cells = f"{median * 1000:>10.0f}{p95 * 1000:>10.0f}{max(values) * 1000:>10.0f}{base / median:>11.1f}x"
    return f"{database:<11}{name:<36}{cells}"


def bench(label: str, database_url: str, folder: Path, args, redis: Redis | None) -> list[str]:
    """Both phases against one gunicorn on this database: the table's rows."""
    workers = args.workers if redis else 1
    session_id, viewer, editor = seed(database_url, folder / "instance")
    server = Gunicorn(
        database_url,
        folder / "instance",
        workers=workers,
        threads=args.threads if workers > 1 else max(args.threads, args.clients + 8),
        pubsub_url=redis.url if redis else "",
    )
    try:
        tokens = (viewer, editor)
        polled = asyncio.run(run_polling(server.port, session_id, tokens, args.clients, args.rounds))
        pushed = asyncio.run(run_streams(server.port, session_id, tokens, args.clients, args.rounds))
    finally:
        server.stop()
    base = statistics.median(polled)
    return [
        _row(label, f"polling every {POLL_EVERY} s (baseline)", polled, base),
        _row(label, f"SSE pushed ({workers} worker(s))", pushed, base),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="GOs per phase")
    parser.add_argument("--workers", type=int, default=2, help="with Redis; one worker without")
    parser.add_argument("--threads", type=int, default=128, help="per worker: more than clients / workers")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis = Redis(folder) if shutil.which("redis-server") else None
        try:
            rows += bench("sqlite", f"sqlite:///{folder / 'bench.db'}", folder, args, redis)
            with postgres.server() as pg:
                if pg:
                    with postgres.scratch_database(pg, prefix="showcase_bench") as url:
                        rows += bench("postgresql", url, folder, args, redis)
        finally:
            if redis:
                redis.stop()
    bus = f"{args.workers} gthread workers x {args.threads} threads, Redis pub/sub" if redis else "1 gthread worker"
    print(f"GO → the new state on each of {args.clients} clients, {args.rounds} GOs per phase; gunicorn {bus}")
    print(f"{'database':<11}{'clients see the GO by':<36}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'faster':>12}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
