"""Benchmark: the jury's pure cores at the model festival's size, against same-run baselines.

Run: python tests/bench/bench_jury.py [--runs N]

Assignment: 2,300 films to 20 jurors, 3 each, with about one declared conflict per ten films (targets:
≤ 1 s). Baseline in the same run: plain round-robin (juror n mod 20), the floor that balances without
looking at conflicts. Ranking: the 6,900 scores of that assignment on two weighted criteria, standardised
per juror (target: ≤ 100 ms). Baseline: the raw mean per film, sorted (no weighting, no standardisation).
A juror's scoring page: the SQL statements one GET runs, signed in, through the real app on SQLite (target:
≤ 10), beside the staff dashboard's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from showcase.jury.assignment import assign  # noqa: E402
from showcase.jury.ranking import Criterion, Score, rank  # noqa: E402

FILMS, JURORS, PER_FILM = 2300, 20, 3


def sample_ms(task: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    films = [f"AI{n:04d}" for n in range(FILMS)]
    jurors = [f"juror{n}@festival.example" for n in range(JURORS)]
    conflicts = {(rng.choice(jurors), film) for film in rng.sample(films, FILMS // 10)}

    def round_robin() -> dict:
        return {film: [jurors[(n * PER_FILM + k) % JURORS] for k in range(PER_FILM)] for n, film in enumerate(films)}

    plan = assign(films, jurors, per_film=PER_FILM, conflicts=conflicts)
    assert plan.spread <= 1 and all(len(js) == PER_FILM for js in plan.jurors_of.values())
    criteria = [Criterion("story", 2), Criterion("craft", 1)]
    scores = [
        Score(juror, film, {"story": rng.randint(1, 10), "craft": rng.randint(1, 10)}) for juror, film in plan.pairs()
    ]

    def raw_means() -> list:
        by_film = defaultdict(list)
        for s in scores:
            by_film[s.film].append(s.values["story"])
        return sorted(((statistics.fmean(v), f) for f, v in by_film.items()), reverse=True)

    rows = [
        (
            f"assign {FILMS} films × {PER_FILM} to {JURORS} jurors",
            1000.0,
            sample_ms(lambda: assign(films, jurors, per_film=PER_FILM, conflicts=conflicts), args.runs),
            sample_ms(round_robin, args.runs),
        ),
        (
            f"rank {len(scores)} scores (z per juror)",
            100.0,
            sample_ms(lambda: rank(scores, criteria, required=PER_FILM), args.runs),
            sample_ms(raw_means, args.runs),
        ),
    ]
    page, dashboard = scoring_page_queries()
    print(f"jury cores, medians of {args.runs} runs (load spread after assignment: {plan.spread})")
    print(f"{'task':42} {'target ms':>10} {'ours ms':>9} {'baseline ms':>12} {'ours/baseline':>14}")
    for name, target, ours, base in rows:
        print(f"{name:42} {target:10.0f} {ours:9.1f} {base:12.1f} {ours / base:13.1f}×")

    print(f"{'juror scoring page: SQL statements per GET':42} {10:10d} {page:9d} {dashboard:12d}   (staff dashboard)")


def scoring_page_queries() -> tuple[int, int]:
    """Statements run by one GET of a juror's scoring page and of the staff dashboard (the demo festival)."""
    import secrets
    import tempfile

    from sqlalchemy import event

    from showcase.app import create_app
    from showcase.auth.services import create_user
    from showcase.demo.loader import load_demo
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.jury import services

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "INSTANCE_PATH": f"{tmp}/instance",
                "SECRET_KEY": secrets.token_urlsafe(40),
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "MEDIA_ROOT": f"{tmp}/media",
                "UPLOAD_ROOT": f"{tmp}/uploads",
            }
        )
        with app.app_context():
            db.create_all()
            load_demo(make_clips=False)
            create_user(email="juror@bench.example", name="J", role="juror", password="a long bench password")
            create_user(email="staff@bench.example", name="S", role="viewer", password="a long bench password")
            jury_round = services.create_round(
                get_festival("ai-shorts-2026"), name="R", criteria=[("story", 1)], per_film=1
            )
            services.add_jurors(jury_round, ["juror@bench.example"])
            plan = services.assign_round(jury_round)
            db.session.commit()
            film_id, round_id = next(iter(plan.jurors_of)), jury_round.id
            engine = db.engine

        def count(email: str, url: str) -> int:
            client = app.test_client()
            client.post("/login", data={"email": email, "password": "a long bench password"})
            client.get(url)  # warm: the first request fills caches a real server keeps
            seen: list[str] = []
            listener = lambda *a, **k: seen.append(a[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                assert client.get(url).status_code == 200, url
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            return len(seen)

        return (
            count("juror@bench.example", f"/jury/rounds/{round_id}/films/{film_id}"),
            count("staff@bench.example", "/staff/"),
        )


if __name__ == "__main__":
    main()
