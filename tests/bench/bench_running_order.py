"""Benchmark: saving a 1,000-item running order through the service, against same-run baselines.

Run: python tests/bench/bench_running_order.py [--runs N] [--database-url URL]

Ours: save_running_order (validation, version claim, conflict check, apply, audit with both lists)
for a new 1,000-item list and for a reorder of it (last item to the top). Baselines on the same
database in the same run: the existing per-item service append_item called 1,000 times, and a bare
Core executemany INSERT of the same rows (the floor: no validation, no ORM, no audit).
Every sample runs in a transaction that is rolled back, so each starts from the same state.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

ITEMS = 1000


def build_app(url: str | None, tmp: str):
    from showcase.app import create_app
    from showcase.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": f"{tmp}/instance",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": url or f"sqlite:///{tmp}/bench.db",
            "MEDIA_ROOT": f"{tmp}/media",
            "UPLOAD_ROOT": f"{tmp}/uploads",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def seed() -> int:
    """A festival with one session of 1,000 × 30 s (no items yet); returns the session id."""
    from showcase.extensions import db
    from showcase.festivals.services import add_screen, add_venue, create_festival
    from showcase.schedule.services import create_session

    festival = create_festival(
        name="Bench", slug="bench", start_date=date(2026, 6, 1), end_date=date(2026, 6, 2), timezone="Asia/Shanghai"
    )
    screen = add_screen(add_venue(festival, name="Venue"), name="Screen")
    start = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    session = create_session(
        festival,
        title="Marathon",
        kind="screening",
        screen_id=screen.id,
        starts_at=start,
        ends_at=start + timedelta(seconds=30 * ITEMS),
    )
    db.session.commit()
    return session.id


def drafts():
    from showcase.schedule.running_order import ItemDraft

    return [
        ItemDraft(kind="slate", planned_seconds=30, title=f"第 {n} 项", title_en=f"Item {n}", notes="cue")
        for n in range(ITEMS)
    ]


def sample_ms(task: Callable[[], object], runs: int, *, prepare: Callable[[], object] | None = None) -> float:
    from showcase.extensions import db

    samples = []
    for _ in range(runs):
        if prepare:
            prepare()
        started = time.perf_counter()
        task()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
        db.session.expire_all()
    return statistics.median(samples)


def tasks(session_id: int) -> dict[str, Callable[[], object]]:
    from sqlalchemy import insert

    from showcase.extensions import db
    from showcase.schedule.models import RunningOrderItem, ScheduleSession
    from showcase.schedule.running_order import drafts_of, save_running_order
    from showcase.schedule.services import append_item
    from showcase.schedule.timing import move_item

    def session():
        return db.session.get(ScheduleSession, session_id)

    def save_new():
        s = session()
        save_running_order(s, drafts(), expected_version=s.running_order_version)

    def reorder():
        s = session()
        save_running_order(s, move_item(drafts_of(s), ITEMS - 1, target=0), expected_version=s.running_order_version)

    def append_each():
        s = session()
        for d in drafts():
            append_item(
                s, kind=d.kind, planned_seconds=d.planned_seconds, title=d.title, title_en=d.title_en, notes=d.notes
            )

    def core_insert():
        rows = [
            {
                "session_id": session_id,
                "position": n,
                "kind": d.kind,
                "planned_seconds": d.planned_seconds,
                "title": d.title,
                "title_en": d.title_en,
                "notes": d.notes,
                "version": 1,
            }
            for n, d in enumerate(drafts())
        ]
        db.session.execute(insert(RunningOrderItem), rows)
        db.session.flush()

    return {"save_new": save_new, "reorder": reorder, "append_each": append_each, "core_insert": core_insert}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=None,
        help="a scratch database (its tables are dropped); default: SQLite in a temp directory",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-ro-") as tmp:
        app = build_app(args.database_url, tmp)
        with app.app_context():
            from showcase.extensions import db

            session_id = seed()
            run = tasks(session_id)
            with_items = run["save_new"]  # the reorder starts from a saved 1,000-item list
            with_items()
            db.session.commit()
            reorder_ms = sample_ms(run["reorder"], args.runs)
            db.session.execute(db.text("DELETE FROM running_order_item"))
            db.session.execute(db.text("DELETE FROM audit_log"))
            db.session.commit()
            db.session.expire_all()
            rows = [
                ("save 1,000 new items", sample_ms(run["save_new"], args.runs)),
                ("reorder 1,000 (last to top)", reorder_ms),
            ]
            append_ms = sample_ms(run["append_each"], args.runs)
            core_ms = sample_ms(run["core_insert"], args.runs)
            dialect = db.engine.dialect.name
        print_table(rows, append_ms=append_ms, core_ms=core_ms, runs=args.runs, dialect=dialect)


def print_table(rows: list[tuple[str, float]], *, append_ms: float, core_ms: float, runs: int, dialect: str) -> None:
    print(f"running-order save through the service, {ITEMS} items, {dialect}, medians of {runs} runs")
    print(f"{'task':30} {'ours ms':>9} {'append_item ×1000 ms':>21} {'ratio':>7} {'Core INSERT ms':>15} {'ratio':>7}")
    for name, ours in rows:
        print(
            f"{name:30} {ours:9.1f} {append_ms:21.1f} {append_ms / ours:6.2f}× {core_ms:15.1f} {core_ms / ours:6.2f}×"
        )


if __name__ == "__main__":
    main()
