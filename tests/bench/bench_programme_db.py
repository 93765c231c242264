"""Benchmark the programme from the database: 300 films → PDF through loading and writing, against the core alone.

Run: python tests/bench/bench_programme_db.py [--films N] [--repeat N] [--database-url URL]

A festival of N films (bilingual titles, 3-6 credits, synopses, a distinct poster thumbnail each,
revealed winners, ten public sessions and a private one) is loaded once into a fresh database.
Each measurement runs in a fresh subprocess, so peak RSS (VmHWM) is that build's own:

- baseline: the core alone (build_programme) on the Programme that programmes.loading produced, pickled,
  with the stored WebP thumbnails as poster files (what the core is given without the poster cache);
- from the database: get_festival + load_programme (programmes.loading) + write_programme
  (programmes.writing) in an app context, with the poster
  cache emptied first (cold: WebP thumbnails converted to JPEG) or kept from the run before (warm);
- CLI: `showcase programme build` end to end, interpreter start-up and app creation included.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SLUG = "bench-festival"

CORE = """
import json, pickle, sys, time
def hwm():  # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec (the parent's peak)
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
from showcase.programmes.build import build_programme
programme, fonts = pickle.load(open(sys.argv[1], "rb"))
ready = hwm()
started, cpu = time.perf_counter(), time.process_time()
stats = build_programme(programme, sys.argv[2], fonts=fonts)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "load": 0.0,
                  "pages": stats.pages,
                  "ready_mb": ready,
                  "peak_mb": hwm()}))
"""

ADAPTER = """
import json, shutil, sys, time
def hwm():  # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec (the parent's peak)
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
from showcase.app import create_app
app = create_app()
with app.app_context():
    from showcase.festivals.services import get_festival
    from showcase.programmes.loading import load_programme, poster_folders
    from showcase.programmes.writing import font_specs, write_programme
    from showcase.programmes.data import ProgrammeOptions
    folders = poster_folders(app.config, app.instance_path)
    if sys.argv[3] == "cold":
        shutil.rmtree(folders["cache_dir"], ignore_errors=True)
    ready = hwm()
    started, cpu = time.perf_counter(), time.process_time()
    programme = load_programme(get_festival(sys.argv[1]), options=ProgrammeOptions(), **folders)
    loaded = time.perf_counter() - started
    written = write_programme(programme, sys.argv[2], fonts=font_specs(app.config["PROGRAMME_FONT_PATH"]))
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "load": loaded,
                      "pages": written.stats.pages,
                      "ready_mb": ready,
                      "peak_mb": hwm()}))
"""


def _env(instance: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SHOWCASE_INSTANCE_PATH": str(instance),
        "SHOWCASE_DATABASE_URL": database_url,
        "SHOWCASE_SECRET_KEY": secrets.token_urlsafe(40),
        "SHOWCASE_UPLOAD_ROOT": str(instance / "uploads"),
    }


def _thumb(folder: Path) -> Path:
    """One 400x600 WebP thumbnail, as the poster upload stores it (copied under a name per film)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 600), (30, 50, 110))
    ImageDraw.Draw(img).ellipse((60, 150, 340, 430), fill=(230, 180, 60))
    path = folder / "thumb.webp"
    img.save(path, "WEBP", quality=85)
    return path


def _films(festival, n: int, thumbs: Path, thumb: Path) -> list:
    from showcase.films.services import add_credit, create_film, find_or_add_person
    from showcase.programmes.sample import ROLES, SYNOPSIS_EN, SYNOPSIS_ZH, sample_title

    roles = ["director", "writer", "cinematographer", "editor", "composer", "animator"]
    films = []
    for i in range(n):
        zh, en = sample_title(i)
        film = create_film(
            festival,
            title=zh,
            title_en=en,
            slug=f"film-{i}",
            runtime_seconds=300 + 37 * i % 900,
            country="中国 China",
            language="普通话 Mandarin",
            synopsis=SYNOPSIS_ZH,
            synopsis_en=SYNOPSIS_EN,
            year=2026,
            status="selected",
        )
        for j in range(3 + i % 4):
            name, name_en = ROLES[j][1].split(" ", 1) if " " in ROLES[j][1] else (ROLES[j][1], "")
            add_credit(film, find_or_add_person(f"{name}{i % 40}", name_en=f"{name_en} {i % 40}"), role=roles[j])
        film.poster_path = f"{i:04d}{secrets.token_hex(8)}.webp"
        shutil.copy(thumb, thumbs / film.poster_path)
        films.append(film)
    return films


def _schedule(festival, films: list) -> None:
    from datetime import datetime, timedelta

    from showcase.awards.services import create_category, give_award, reveal_category
    from showcase.festivals.services import add_screen, add_venue
    from showcase.schedule.services import append_item, create_session, local_to_utc

    venue = add_venue(festival, name="光影剧场", name_en="Lumen Theatre")
    screens = [add_screen(venue, name=f"{k}号厅", name_en=f"Screen {k}") for k in (1, 2)]
    per = -(-len(films) // 10)
    for s in range(10):
        day = festival.start_date + timedelta(days=s // 4)
        start = local_to_utc(festival, datetime(day.year, day.month, day.day, 10 + 2 * (s % 4)))
        session = create_session(
            festival,
            kind="screening",
            title=f"展映 {s + 1}",
            title_en=f"Screening {s + 1}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            screen_id=screens[s % 2].id,
        )
        for film in films[s * per : (s + 1) * per]:
            append_item(session, kind="film", film_id=film.id, planned_seconds=film.runtime_seconds)
    start = local_to_utc(festival, datetime(festival.start_date.year, 1, 1, 8))
    create_session(
        festival,
        kind="other",
        title="彩排",
        title_en="Rehearsal",
        public=False,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        screen_id=screens[0].id,
    )
    for c, (name, name_en) in enumerate((("最佳影片", "Best Film"), ("最佳视觉", "Best Visuals"))):
        category = create_category(festival, name=name, name_en=name_en)
        for k, placement in enumerate((1, 2, 2, 3)):
            give_award(category, films[c * 10 + k], placement=placement)
        reveal_category(category)


def load_festival(n: int, instance: Path, database_url: str) -> None:
    """Create the database and the benchmark festival (films, posters, sessions, awards)."""
    from datetime import date

    os.environ.update(_env(instance, database_url))
    from showcase.app import create_app
    from showcase.extensions import db
    from showcase.festivals.services import create_festival

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        festival = create_festival(
            name="基准电影节",
            name_en="Benchmark Festival",
            slug=SLUG,
            timezone="Asia/Shanghai",
            start_date=date(2026, 10, 17),
            end_date=date(2026, 10, 19),
            public_base_url="https://showcase.example.org",
        )
        thumbs = instance / "uploads" / "posters" / "thumbs"
        thumbs.mkdir(parents=True, exist_ok=True)
        films = _films(festival, n, thumbs, _thumb(instance))
        _schedule(festival, films)
        db.session.commit()
        from showcase.programmes.data import ProgrammeOptions
        from showcase.programmes.loading import load_programme
        from showcase.programmes.writing import font_specs

        programme = load_programme(festival, options=ProgrammeOptions(), upload_root=app.config["UPLOAD_ROOT"])
        with open(instance / "programme.pickle", "wb") as fh:
            pickle.dump((programme, font_specs(app.config["PROGRAMME_FONT_PATH"])), fh)
        db.engine.dispose()


def run(kind: str, instance: Path, env: dict[str, str]) -> dict[str, float]:
    """One measurement in a fresh interpreter."""
    out = instance / f"{kind}.pdf"
    if kind == "cli":
        started = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("showcase")),
                "programme",
                "build",
                "--festival",
                SLUG,
                "--out",
                str(out),
            ],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        from pypdf import PdfReader

        return {
            "seconds": time.perf_counter() - started,
            "cpu": 0.0,
            "load": 0.0,
            "pages": len(PdfReader(str(out)).pages),
            "peak_mb": 0.0,
            "ready_mb": 0.0,
        }
    args = [str(instance / "programme.pickle"), str(out)] if kind == "core" else [SLUG, str(out), kind]
    result = subprocess.run(
        [sys.executable, "-c", CORE if kind == "core" else ADAPTER, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    """Load the festival once, then print the table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (to look at the PDFs)")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="bench-programme-"))
    try:
        url = args.database_url or f"sqlite:///{instance / 'bench.db'}"
        started = time.perf_counter()
        load_festival(args.films, instance, url)
        print(f"Loaded {args.films} films into {url.split(':')[0]} in {time.perf_counter() - started:.1f} s")
        env = _env(instance, url)
        rows = {
            kind: [run(kind, instance, env) for _ in range(args.repeat)] for kind in ("core", "cold", "warm", "cli")
        }
    finally:
        if args.keep:
            print(f"Kept {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)
    base = statistics.median(r["seconds"] for r in rows["core"])
    print(
        f"\n{args.films} films → programme PDF (A5, both languages), median of {args.repeat}; "
        "baseline = the core alone on the same Programme"
    )
    print("(CPU seconds are less disturbed than wall time when other work shares the machine;")
    print(" 'build +MB' = peak RSS minus RSS once imports, app and data were ready)")
    print(
        f"{'path':<34} {'seconds':>8} {'CPU s':>6} {'of which DB':>12} {'pages':>6} {'peak MB':>8} "
        f"{'build +MB':>10} {'vs core':>8}"
    )
    names = {
        "core": "core build_programme (baseline)",
        "cold": "from database, poster cache cold",
        "warm": "from database, poster cache warm",
        "cli": "CLI end to end (cache warm)",
    }
    for kind, runs in rows.items():
        sec = statistics.median(r["seconds"] for r in runs)
        load = statistics.median(r["load"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        grown = statistics.median(r["peak_mb"] - r["ready_mb"] for r in runs)
        cpu_text, peak_text = (f"{cpu:.2f}" if cpu else "—"), (f"{peak:.0f}" if peak else "—")
        grown_text = f"{grown:.0f}" if peak else "—"
        print(
            f"{names[kind]:<34} {sec:>8.2f} {cpu_text:>6} {load:>12.3f} {runs[0]['pages']:>6.0f} "
            f"{peak_text:>8} {grown_text:>10} {sec / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
