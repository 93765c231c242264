"""Kiosk API throughput through the real app: heartbeat POST and manifest 304, against /healthz in the same run.

    python tests/bench/bench_kiosk_api.py

A werkzeug server thread (SQLite in a temp dir) and one keep-alive client; medians of 5 rounds.
"""

from __future__ import annotations

import http.client
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROUNDS, REQUESTS = 5, 300


def _app(tmp: Path):
    from showcase.app import create_app
    from showcase.extensions import db
    from tests.showcase.kiosks.conftest import fake_media

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp / 'b.db'}",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "MEDIA_ROOT": str(tmp / "media"),
            "KIOSK_API_LIMIT": "1000000 per minute",
        }
    )
    with app.app_context():
        from sqlalchemy import select

        from showcase.demo.loader import load_demo
        from showcase.films.models import Film
        from showcase.kiosks.models import Playlist
        from showcase.kiosks.publishing import publish
        from showcase.kiosks.services import find_kiosk, new_token

        db.create_all()
        load_demo(make_clips=False)
        fake_media(app, db.session.scalars(select(Film)).all(), size=1000)
        playlist = db.session.scalar(select(Playlist))
        version = publish(playlist)
        token = new_token(find_kiosk("hall-1"))
        db.session.commit()
        return app, token, version.etag, str(playlist.id)


def _rate(port: int, method: str, path: str, *, headers: dict, body: bytes | None = None) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    for _ in range(REQUESTS):
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        assert response.status in (200, 304), (path, response.status)
    elapsed = time.perf_counter() - start
    conn.close()
    return REQUESTS / elapsed


def main() -> None:
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request would be measured too
    with tempfile.TemporaryDirectory() as tmp:
        app, token, etag, playlist_id = _app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        auth = {"Authorization": f"Bearer {token}"}
        beat = json.dumps(
            {
                "state": "playing",
                "playlist_id": playlist_id,
                "playlist_version": 1,
                "item_key": "item-1",
                "position": 1.0,
                "cache": {"items": 7, "ready": 7, "bytes": 7000},
            }
        )
        cases = {
            "/healthz (baseline)": ("GET", "/healthz", {}, None),
            "manifest 304": ("GET", "/api/kiosk/manifest", {**auth, "If-None-Match": f'"{etag}"'}, None),
            "commands poll": ("GET", "/api/kiosk/commands", auth, None),
            "heartbeat POST": (
                "POST",
                "/api/kiosk/heartbeat",
                {**auth, "Content-Type": "application/json"},
                beat.encode(),
            ),
        }
        rates = {name: [] for name in cases}
        for _ in range(ROUNDS):
            for name, (method, path, headers, body) in cases.items():
                rates[name].append(_rate(server.server_port, method, path, headers=headers, body=body))
        server.shutdown()
    base = statistics.median(rates["/healthz (baseline)"])
    print(f"{'request':<22}{'median req/s':>14}{'vs /healthz':>14}")
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"{name:<22}{median:>14.0f}{median / base:>14.2f}")


if __name__ == "__main__":
    main()
