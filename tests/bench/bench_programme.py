"""Benchmark the printed programme: build time, pages and peak memory for 50, 300 and 1,000 films.

Run: python tests/bench/bench_programme.py [--quick] [--repeat N]

Each build runs in a fresh subprocess (so peak RSS is that build's own). The baseline, measured in
the same run, is the same programme without QR codes; a second table compares the cost of one QR
code drawn as one path with reportlab's QR widget and with a qrcode PNG image; a third compares the
press build (PDF/X-4, CMYK posters, finishing with pypdf and the proof report read back) with the
ordinary screen build of the same programme.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, os, resource, shutil, sys, tempfile, time
from dataclasses import replace
from showcase.programmes.build import build_programme
from showcase.programmes.data import ProgrammeOptions
from showcase.programmes.sample import sample_programme
n, qr_on, poster, distinct = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3], sys.argv[4] == "1"
programme = sample_programme(n, poster=poster, options=ProgrammeOptions(qr=qr_on))
with tempfile.TemporaryDirectory() as tmp:
    if distinct:  # every film its own poster file, so none is decoded only once
        films = []
        for i, film in enumerate(programme.films):
            shutil.copy(poster, os.path.join(tmp, f"{i}.jpg"))
            films.append(replace(film, poster_path=os.path.join(tmp, f"{i}.jpg")))
        programme = replace(programme, films=tuple(films))
    out = os.path.join(tmp, "programme.pdf")
    started = time.perf_counter()
    stats = build_programme(programme, out)
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "pages": stats.pages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


PRESS_CHILD = """
import io, json, sys, time
from showcase.programmes.data import ProgrammeOptions
from showcase.programmes.proof import proof_report
from showcase.programmes.sample import sample_programme
from showcase.programmes.writing import write_programme
n, poster, press, booklet = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
options = ProgrammeOptions(press=press, booklet=booklet, bleed_mm=3 if press else 0)
programme = sample_programme(n, poster=poster, options=options)
out = io.BytesIO()
started = time.perf_counter()
written = write_programme(programme, out)
seconds = time.perf_counter() - started
started = time.perf_counter()
proof_report(out.getvalue())
print(json.dumps({"seconds": seconds, "report": time.perf_counter() - started, "mb": len(out.getvalue()) / 1e6}))
"""


def run_press(n: int, *, poster: str, press: bool, booklet: bool) -> dict[str, float]:
    """One screen or press build of n films in a fresh interpreter (the proof report timed again alone)."""
    flags = ["1" if press else "0", "1" if booklet else "0"]
    out = subprocess.run(
        [sys.executable, "-c", PRESS_CHILD, str(n), poster, *flags],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def press_table(sizes: list[int], repeat: int, poster: str) -> None:
    """Medians of the screen build (baseline) against the press build, single pages and booklet."""
    print(f"\nPress build (PDF/X-4) against the screen build, seconds (median of {repeat}); every other film a poster")
    print("'report' = reading the press PDF back into the proof report, part of the press time")
    heads = ("films", 6), ("screen", 7), ("press", 7), ("ratio", 6), ("report", 7), ("booklet", 8), ("press bklt", 11)
    print(" ".join(f"{name:>{width}}" for name, width in heads), f"{'ratio':>6}")
    for n in sizes:
        cells = {
            (press, booklet): [run_press(n, poster=poster, press=press, booklet=booklet) for _ in range(repeat)]
            for press in (False, True)
            for booklet in (False, True)
        }
        sec = {key: statistics.median(r["seconds"] for r in runs) for key, runs in cells.items()}
        report = statistics.median(r["report"] for r in cells[(True, False)])
        screen, press, booklet, press_booklet = (
            sec[(False, False)],
            sec[(True, False)],
            sec[(False, True)],
            sec[(True, True)],
        )
        print(
            f"{n:>6} {screen:>7.2f} {press:>7.2f} {press / screen:>6.2f} {report:>7.2f} "
            f"{booklet:>8.2f} {press_booklet:>11.2f} {press_booklet / booklet:>6.2f}"
        )


def run_build(n: int, *, qr_on: bool, poster: str, distinct: bool = False) -> dict[str, float]:
    """One build of n films in a fresh interpreter."""
    flags = ["1" if qr_on else "0", poster, "1" if distinct else "0"]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), *flags], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_poster(folder: Path) -> str:
    """A 1200x1800 JPEG, so poster downscaling is part of the measurement."""
    from PIL import Image, ImageDraw

    path = folder / "poster.jpg"
    img = Image.new("RGB", (1200, 1800), (30, 50, 110))
    ImageDraw.Draw(img).ellipse((200, 400, 1000, 1200), fill=(230, 180, 60))
    img.save(path, quality=88)
    return str(path)


def build_table(sizes: list[int], repeat: int, poster: str) -> None:
    """Medians of build time and peak memory: baseline without QR, with QR, with a poster per film."""
    print(f"\nProgramme build, seconds (median of {repeat}); baseline = same programme without QR codes")
    print("'shared' = every other film shows the same 1200x1800 poster; 'distinct' = every film its own file")
    print(
        f"{'films':>6} {'pages':>6} {'no QR':>7} {'QR':>7} {'QR/noQR':>8} {'distinct':>9} "
        f"{'peak MB':>8} {'distinct MB':>12}"
    )
    for n in sizes:
        rows = {
            name: [run_build(n, qr_on=qr_on, poster=poster, distinct=distinct) for _ in range(repeat)]
            for name, qr_on, distinct in (("base", False, False), ("qr", True, False), ("distinct", True, True))
        }
        sec = {name: statistics.median(r["seconds"] for r in runs) for name, runs in rows.items()}
        mem = {name: statistics.median(r["peak_mb"] for r in runs) for name, runs in rows.items()}
        print(
            f"{n:>6} {rows['qr'][0]['pages']:>6.0f} {sec['base']:>7.2f} {sec['qr']:>7.2f} "
            f"{sec['qr'] / sec['base']:>8.2f} {sec['distinct']:>9.2f} {mem['qr']:>8.0f} {mem['distinct']:>12.0f}"
        )


def qr_cost_table(codes: int, repeat: int) -> None:
    """Milliseconds per QR code on a canvas: one path vs reportlab's widget vs a qrcode PNG."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from showcase.programmes import qr
    from showcase.programmes.fonts import register_fonts

    font = register_fonts().name
    urls = [qr.film_url("https://showcase.example.org", f"F{i:04d}") for i in range(codes)]

    def one_path(c: Canvas, url: str) -> None:
        qr.draw_matrix(c, qr.qr_matrix(url, mask=qr.FAST_MASK), 50, 50, 96)

    def widget(c: Canvas, url: str) -> None:
        w = QrCodeWidget(url, barLevel="M")
        x0, y0, x1, y1 = w.getBounds()
        d = Drawing(96, 96, transform=[96 / (x1 - x0), 0, 0, 96 / (y1 - y0), 0, 0])
        d.add(w)
        renderPDF.draw(d, c, 50, 50)

    def png(c: Canvas, url: str) -> None:
        c.drawImage(ImageReader(io.BytesIO(qr.png_bytes(url, box_size=4))), 50, 50, 96, 96)

    def timed(draw) -> float:
        runs = []
        for _ in range(repeat):
            c = Canvas(io.BytesIO(), initialFontName=font)
            started = time.perf_counter()
            for url in urls:
                draw(c, url)
                c.showPage()
            c.save()
            runs.append((time.perf_counter() - started) * 1000 / codes)
        return statistics.median(runs)

    results = {
        name: timed(fn)
        for name, fn in (("one path (ours)", one_path), ("reportlab QrCodeWidget", widget), ("qrcode PNG image", png))
    }
    print(f"\nQR code cost on a page ({codes} codes, median of {repeat})")
    print(f"{'method':<24} {'ms/code':>8} {'vs ours':>8}")
    for name, ms in results.items():
        print(f"{name:<24} {ms:>8.2f} {ms / results['one path (ours)']:>8.1f}")


def main() -> None:
    """Parse options and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 and 300 films, one run each")
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    sizes = [50, 300] if args.quick else [50, 300, 1000]
    with tempfile.TemporaryDirectory() as tmp:
        poster = make_poster(Path(tmp))
        build_table(sizes, repeat, poster)
        press_table([7, *sizes[:2]], repeat, poster)
    qr_cost_table(100 if args.quick else 300, repeat)


if __name__ == "__main__":
    main()
