"""Benchmark of the submissions import: 2,300 rows into a fresh database, DB writes and commit included.

Run: python tests/bench/bench_import.py [--runs N] [--rows N]

On SQLite always, and on PostgreSQL too when SHOWCASE_TEST_DATABASE_URL is set (a database of our own
is created on that server and dropped afterwards; `start` runs a server of the benchmark's own). Each
measurement starts from fresh tables. Baselines measured in the same run: parsing alone (the floor),
and the naive import a first draft would write: ORM objects row by row with a flush after each film,
person and credit. The re-import of the same file (nothing changes, nothing is written) is timed too.
The table shows medians; target ≤ 5 s.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from sqlalchemy import select  # noqa: E402

from tests import postgres  # noqa: E402
from tests.samples import spreadsheet_csv, submission_rows  # noqa: E402

TARGET_SECONDS = 5.0


def make_app(database_url: str, instance: str):
    from showcase.app import create_app

    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": instance,
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(40),
        }
    )


def fresh_festival():
    """Empty tables and one festival (inside an app context)."""
    from showcase.extensions import db
    from showcase.festivals.services import create_festival

    db.session.remove()
    db.drop_all()
    db.create_all()
    festival = create_festival(
        name="Bench", slug="bench", start_date=date(2026, 12, 12), end_date=date(2026, 12, 12), timezone="Asia/Shanghai"
    )
    db.session.commit()
    return festival


def ours(data: bytes) -> Callable[[], object]:
    from showcase.extensions import db
    from showcase.films.importing import import_submissions

    def run():
        summary = import_submissions(fresh_festival_cached(), data)
        db.session.commit()
        return summary

    return run


_FESTIVAL: list = []


def fresh_festival_cached():
    return _FESTIVAL[0]


def naive(data: bytes) -> Callable[[], object]:
    """Baseline: every film, person and credit added and flushed one at a time."""
    from showcase.extensions import db
    from showcase.films.csvio import parse_submissions
    from showcase.films.models import Credit, Film, Person
    from showcase.films.services import issue_short_code
    from showcase.validation import slugify

    def run():
        festival = fresh_festival_cached()
        for row in parse_submissions(data).rows:
            film = Film(
                festival_id=festival.id,
                code=issue_short_code(),
                external_id=row.external_id,
                slug=f"{slugify(row.title_en, fallback='film')}-{row.row}",
                title=row.title,
                title_en=row.title_en,
                runtime_seconds=row.runtime_seconds,
                synopsis=row.synopsis,
                country=row.country,
                year=row.year,
                language=row.language,
                contact_email=row.contact_email,
            )
            db.session.add(film)
            db.session.flush()
            for order, name in enumerate(row.directors):
                person = db.session.scalar(select(Person).where(Person.name == name).limit(1))
                if person is None:
                    person = Person(name=name)
                    db.session.add(person)
                    db.session.flush()
                db.session.add(Credit(film_id=film.id, person_id=person.id, role="director", display_order=order))
                db.session.flush()
        db.session.commit()

    return run


def timed(task: Callable[[], object], runs: int, *, reset: bool = True) -> float:
    """Median seconds over `runs`, each from fresh tables unless `reset` is False."""
    samples = []
    for _ in range(runs):
        if reset:
            _FESTIVAL[:] = [fresh_festival()]
        began = time.perf_counter()
        task()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def bench_backend(name: str, url: str, data: bytes, *, runs: int) -> list[tuple]:
    from showcase.extensions import db
    from showcase.films.csvio import parse_submissions

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            parse = timed(lambda: parse_submissions(data), runs, reset=False)
            first = timed(ours(data), runs)
            again = timed(ours(data), runs, reset=False)  # the same file once more: nothing changes
            slow = timed(naive(data), max(1, runs // 3))
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    return [
        (name, "parse only (floor)", parse, None),
        (name, "import, fresh database", first, slow),
        (name, "re-import, no changes", again, None),
        (name, "naive: flush per row", slow, None),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=2300)
    args = parser.parse_args(argv)
    data = spreadsheet_csv(submission_rows(args.rows))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += bench_backend("sqlite", f"sqlite:///{folder}/bench.db", data, runs=args.runs)
    with postgres.server() as server:
        if server:
            with postgres.scratch_database(server, prefix="showcase_bench") as url:
                results += bench_backend("postgresql", url, data, runs=args.runs)
    print(
        f"Submissions import: {args.rows:,} rows ({len(data) / 1024:.0f} KB GB18030), median of {args.runs} runs "
        f"(naive: {max(1, args.runs // 3)}), target ≤ {TARGET_SECONDS:g} s"
    )
    print(f"{'backend':<11} {'task':<26} {'median s':>9} {'naive / ours':>13} {'target':>7}")
    for backend, task, seconds, baseline in results:
        ratio = f"{baseline / seconds:.1f}×" if baseline else ""
        verdict = ("ok" if seconds <= TARGET_SECONDS else "SLOW") if task.startswith("import") else ""
        print(f"{backend:<11} {task:<26} {seconds:>9.3f} {ratio:>13} {verdict:>7}")


if __name__ == "__main__":
    main()
