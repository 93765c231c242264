"""Benchmark of the staff workspace's pure cores: running-order timing, conflicts, submissions CSV.

Run: python tests/bench/bench_workspace.py [--runs N]

Each task is timed against a baseline measured in the same run, on the same data; the table shows
medians and the ratio baseline / ours. The generators here also feed the tests (2,300-row import).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from showcase.films.csvio import export_films, parse_submissions  # noqa: E402
from showcase.schedule.conflicts import SessionSlot, candidate_conflicts, find_conflicts  # noqa: E402
from showcase.schedule.timing import PlannedItem, time_running_order  # noqa: E402
from tests.samples import spreadsheet_csv, submission_rows  # noqa: E402


def sessions(count: int, *, seed: int = 5000) -> list[SessionSlot]:
    """A ten-day festival: sessions back to back on 40 screens, with a few real clashes."""
    rng = random.Random(seed)
    start = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
    next_free = dict.fromkeys(range(40), start)
    result = []
    for index in range(count):
        screen = index % 40
        begins = next_free[screen] - timedelta(minutes=30 if rng.random() < 0.02 else 0)
        ends = begins + timedelta(minutes=rng.choice((60, 90, 120)))
        next_free[screen] = ends + timedelta(minutes=rng.choice((0, 15, 30)))
        result.append(
            SessionSlot(
                index,
                None if rng.random() < 0.03 else screen,
                begins,
                ends,
                frozenset(rng.sample(range(2300), rng.randrange(1, 8))),
                frozenset(rng.sample(range(600), rng.randrange(0, 4))),
            )
        )
    return result


def naive_conflicts(slots: list[SessionSlot]) -> list[tuple]:
    """Baseline: every pair compared, as a first draft would."""
    found = []
    for position, first in enumerate(slots):
        for second in slots[position + 1 :]:
            if first.start < second.end and second.start < first.end:
                if first.screen_id is not None and first.screen_id == second.screen_id:
                    found.append(("screen", first.id, second.id))
                found.extend(("film", first.id, second.id, f) for f in first.film_ids & second.film_ids)
                found.extend(("person", first.id, second.id, p) for p in first.person_ids & second.person_ids)
    return found


def naive_timing(items: list[PlannedItem], *, start: datetime, tz: ZoneInfo) -> list[tuple]:
    """Baseline: each item's start and end converted separately and labelled with strftime."""
    origin, offset, out = start.astimezone(UTC), 0, []
    for item in items:
        begin = (origin + timedelta(seconds=offset)).astimezone(tz)
        offset += item.planned_seconds
        end = (origin + timedelta(seconds=offset)).astimezone(tz)
        out.append((begin, end, begin.strftime("%H:%M"), end.strftime("%H:%M")))
    return out


def dictreader_only(data: bytes) -> list[dict]:
    """Baseline: decode and csv.DictReader, with no validation at all."""
    return list(csv.DictReader(io.StringIO(data.decode("gb18030"), newline="")))


def median_ms(task: Callable[[], object], runs: int) -> float:
    task()  # warm-up: first-call costs (imports, tz cache) are not what we measure
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        task()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args(argv).runs
    tz, start = ZoneInfo("Europe/London"), datetime(2025, 10, 25, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    items = [PlannedItem(index, "film", (index * 37) % 900) for index in range(1000)]
    slots = sessions(5000)
    rows = submission_rows(2300)
    upload = spreadsheet_csv(rows)
    result = parse_submissions(upload)
    assert not result.errors and len(result.rows) == 2300, result.errors[:3]
    assert len(find_conflicts(slots)) == len(naive_conflicts(slots)), "sweep and baseline disagree"
    table = [
        (
            "running order, 1,000 items",
            "≤ 20 ms",
            lambda: time_running_order(items, start=start, end=start + timedelta(hours=3), tz=tz),
            "naive per-item convert + strftime",
            lambda: naive_timing(items, start=start, tz=tz),
            runs,
        ),
        (
            "conflicts, 5,000 sessions",
            "≤ 200 ms",
            lambda: find_conflicts(slots),
            "naive all pairs O(n²)",
            lambda: naive_conflicts(slots),
            max(3, runs // 5),
        ),
        ("candidate vs 5,000 sessions", "—", lambda: candidate_conflicts(slots[2500], slots), "", None, runs),
        (
            "import parse, 2,300 rows",
            "≪ 5 s",
            lambda: parse_submissions(upload),
            "decode + csv.DictReader",
            lambda: dictreader_only(upload),
            runs,
        ),
        ("export, 2,300 rows", "—", lambda: export_films(rows), "", None, runs),
    ]
    print_table(table, runs=runs, sizes=(len(upload), len(find_conflicts(slots))))


def print_table(table: list[tuple], *, runs: int, sizes: tuple[int, int]) -> None:
    print(
        f"medians of {runs} runs (O(n²) baseline: {max(3, runs // 5)} runs); upload {sizes[0] / 1024:.0f} KB "
        f"GB18030; {sizes[1]} conflicts in the 5,000 sessions; ratio = baseline ÷ ours"
    )
    print(f"{'task':30} {'target':>9} {'ours ms':>9}  {'baseline':34} {'base ms':>9} {'ratio':>7}")
    for name, target, ours, base_name, base, base_runs in table:
        ours_ms = median_ms(ours, runs)
        if base is None:
            print(f"{name:30} {target:>9} {ours_ms:9.2f}  {'':34} {'':>9} {'':>7}")
            continue
        base_ms = median_ms(base, base_runs)
        print(f"{name:30} {target:>9} {ours_ms:9.2f}  {base_name:34} {base_ms:9.2f} {base_ms / ours_ms:6.1f}×")


if __name__ == "__main__":
    main()
