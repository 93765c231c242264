"""Benchmark the printed programme: build time, pages and peak memory for 50, 300 and 1,000 films.

Run: python tests/bench/bench_programme.py [--quick] [--repeat N]

Each build runs in a fresh subprocess (so peak RSS is that build's own). The baseline, measured in
the same run, is the layout alone: the same programme without QR codes or posters; the full build
has a QR code on every film and a new poster file per film (issue 15: 300 films in 1.5 s, 1,000 in
5 s, at most 150 MB). A second table compares the cost of one QR
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
import json, os, shutil, sys, tempfile, time
from dataclasses import replace
def hwm():  # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec (the parent's peak)
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
from showcase.programmes.build import build_programme
from showcase.programmes.data import ProgrammeOptions
from showcase.programmes.sample import sample_programme
n, qr_on, poster, posters = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3], sys.argv[4]
programme = sample_programme(n, poster=poster, options=ProgrammeOptions(qr=qr_on))
with tempfile.TemporaryDirectory() as tmp:
    if posters == "none":  # the layout alone: no poster column at all
        programme = replace(programme, films=tuple(replace(f, poster_path=None) for f in programme.films))
    elif posters == "distinct":  # every film its own new poster file: none decoded before, none twice
        films = []
        for i, film in enumerate(programme.films):
            shutil.copy(poster, os.path.join(tmp, f"{i}.jpg"))
            films.append(replace(film, poster_path=os.path.join(tmp, f"{i}.jpg")))
        programme = replace(programme, films=tuple(films))
    out = os.path.join(tmp, "programme.pdf")
    started, cpu = time.perf_counter(), time.process_time()
    stats = build_programme(programme, out)
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "pages": stats.pages, "peak_mb": hwm()}))
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


def run_build(n: int, *, qr_on: bool, poster: str, posters: str = "shared") -> dict[str, float]:
    """One build of n films in a fresh interpreter; posters is none, shared or distinct."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), "1" if qr_on else "0", poster, posters],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
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


TARGETS = {300: 1.5, 1000: 5.0}  # seconds for the full build (issue 15); peak memory at most 150 MB
PEAK_TARGET_MB = 150
VARIANTS = (("base", False, "none"), ("shared", True, "shared"), ("full", True, "distinct"))


def build_table(sizes: list[int], repeat: int, poster: str) -> None:
    """Medians: the layout alone (no QR, no posters) against the full build with a new poster per film."""
    print(f"\nProgramme build, seconds (median of {repeat}), each build in a fresh interpreter")
    print("baseline = the layout alone (no QR codes, no posters); full = a QR code on every film and a")
    print("new 1200x1800 JPEG poster file per film (the first build with new posters); 'shared' = QR codes")
    print("and every other film showing one poster. CPU = seconds of the build's own process (its poster")
    print("threads included); wall time is what the target is about. Peak = VmHWM of the full build.")
    heads = [("films", 6), ("pages", 6), ("baseline", 9), ("shared", 7), ("full", 7), ("ratio", 6)]
    heads += [("base CPU", 9), ("full CPU", 9), ("peak MB", 8), ("target s", 9), ("met", 4)]
    print(" ".join(f"{name:>{width}}" for name, width in heads))
    for n in sizes:
        rows = {
            name: [run_build(n, qr_on=qr_on, poster=poster, posters=posters) for _ in range(repeat)]
            for name, qr_on, posters in (
                ("base", False, "none"),
                ("shared", True, "shared"),
                ("full", True, "distinct"),
            )
        }
        sec = {name: statistics.median(r["seconds"] for r in runs) for name, runs in rows.items()}
        cpu = {name: statistics.median(r["cpu"] for r in runs) for name, runs in rows.items()}
        peak = max(r["peak_mb"] for r in rows["full"])
        target = TARGETS.get(n)
        met = "—" if target is None else "yes" if sec["full"] <= target and peak <= PEAK_TARGET_MB else "no"
        print(
            f"{n:>6} {rows['full'][0]['pages']:>6.0f} {sec['base']:>9.2f} {sec['shared']:>7.2f} {sec['full']:>7.2f} "
            f"{sec['full'] / sec['base']:>6.2f} {cpu['base']:>9.2f} {cpu['full']:>9.2f} {peak:>8.0f} "
            f"{(f'{target:.1f}' if target else '—'):>9} {met:>4}"
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
    parser.add_argument("--builds-only", action="store_true", help="only the build table (no press, no QR cost)")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    sizes = [50, 300] if args.quick else [50, 300, 1000]
    with tempfile.TemporaryDirectory() as tmp:
        poster = make_poster(Path(tmp))
        build_table(sizes, repeat, poster)
        if not args.builds_only:
            press_table([7, *sizes[:2]], repeat, poster)
    if not args.builds_only:
        qr_cost_table(100 if args.quick else 300, repeat)


if __name__ == "__main__":
    main()
