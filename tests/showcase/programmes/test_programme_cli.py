"""`showcase programme build` and `showcase qr sheet|png|svg` on the demo festival."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from showcase.programmes.layout import PROOF_TEXT
from tests.showcase.programmes.support import page_texts

SLUG = "ai-shorts-2026"


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    """An empty folder of its own (tmp_path also holds the app's instance and database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def demo_urls(app) -> set[str]:
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        return {f"http://127.0.0.1:5000/f/{code}" for code in db.session.scalars(select(Film.code))}


def test_build_writes_the_programme_and_says_so(demo, outdir):
    out = outdir / "programme.pdf"
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: " in result.output and "Laying out 7 films, 4 public sessions" in result.output
    assert len(PdfReader(str(out)).pages) >= 10
    assert leftovers(outdir) == ["programme.pdf"]  # no temporary file left beside it
    assert out.stat().st_mode & 0o644 == 0o644


def test_booklet_proof_on_a4_with_bleed(demo, outdir):
    out = outdir / "proof.pdf"
    result = run(
        demo,
        "programme",
        "build",
        "--festival",
        SLUG,
        "--out",
        str(out),
        "--size",
        "A4",
        "--booklet",
        "--bleed",
        "3",
        "--lang",
        "both",
        "--include-embargoed",
    )
    assert result.exit_code == 0, result.output
    assert "sheet sides" in result.output and "PROOF" in result.output
    texts = page_texts(out)
    assert all(PROOF_TEXT in t for t in texts)
    assert float(PdfReader(str(out)).pages[0].mediabox.width) > 1190  # two A4 pages on A3 landscape


def test_press_build_writes_the_pdf_and_its_proof_report_beside_it(demo, outdir):
    out = outdir / "programme.pdf"
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(out), "--press", "--bleed", "3")
    assert result.exit_code == 0, result.output
    assert leftovers(outdir) == ["programme.pdf", "programme.proof.txt"]
    report = (outdir / "programme.proof.txt").read_text(encoding="utf-8")
    assert report.startswith("Proof report — READY for press") and report in result.output
    assert f"Wrote {outdir / 'programme.proof.txt'}: PDF/X-4 proof report, ready for press." in result.output
    reader = PdfReader(str(out))
    assert len(reader.pages) % 4 == 0 and "/OutputIntents" in reader.trailer["/Root"]
    assert f"Pages              {len(reader.pages)} (a multiple of 4)" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "/nonexistent/shop.icc"], "no colour profile at /nonexistent/shop.icc"),
        (["--profile", __file__], "is not an ICC colour profile"),
    ],
)
def test_a_bad_press_profile_exits_1_and_writes_neither_file(demo, outdir, args, message):
    out = outdir / "programme.pdf"
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(out), "--press", *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert leftovers(outdir) == []


def test_a_profile_without_press_is_refused(demo, outdir):
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(outdir / "p.pdf"), "--profile", "x.icc")
    assert result.exit_code == 1 and "add --press" in result.output
    assert leftovers(outdir) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--festival", "no-such-festival"], "No festival 'no-such-festival'"),
        (["--size", "a3"], "unknown page size 'a3'"),
        (["--bleed", "-2"], "bleed must be between 0 and 20 mm"),
        (["--bleed", "three"], "bleed must be a number of millimetres"),
        (["--bleed", "nan"], "bleed must be a number of millimetres"),
        (["--lang", "fr"], "unknown language 'fr'"),
    ],
)
def test_bad_options_exit_1_with_a_clear_message_and_no_file(demo, outdir, args, message):
    out = outdir / "programme.pdf"
    base = {"--festival": SLUG, "--out": str(out)}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = run(demo, "programme", "build", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert leftovers(outdir) == []


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_unwritable_out_exits_1_and_writes_nothing(demo, outdir, where):
    (outdir / "a-folder").mkdir()
    out = outdir / "missing" / "programme.pdf" if where == "missing-folder" else outdir / "a-folder"
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "Error: " in result.output and str(out) in result.output
    assert leftovers(outdir) == ["a-folder"] and leftovers(outdir / "a-folder") == []


def test_a_failed_build_keeps_the_previous_file(demo, outdir):
    out = outdir / "programme.pdf"
    out.write_bytes(b"the previous programme")
    demo.config["PROGRAMME_FONT_PATH"] = str(outdir / "no-such-font.ttf")  # fails after the temp file exists
    result = run(demo, "programme", "build", "--festival", SLUG, "--out", str(out))
    assert result.exit_code == 1 and "no usable TrueType font" in result.output
    assert "no-such-font.ttf" in result.output
    assert out.read_bytes() == b"the previous programme" and leftovers(outdir) == ["programme.pdf"]


def test_configured_font_is_the_one_embedded(demo, outdir):
    demo.config["PROGRAMME_FONT_PATH"] = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    out = outdir / "programme.pdf"
    assert run(demo, "programme", "build", "--festival", SLUG, "--out", str(out)).exit_code == 0
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "DroidSansFallback" in fonts and "WenQuanYi" not in fonts
    assert "烟花之下是我家" in "".join(page_texts(out))


def test_table_cards_decode_to_every_printed_film(demo, outdir):
    out = outdir / "cards.pdf"
    result = run(demo, "qr", "sheet", "--festival", SLUG, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "7 cards on 1 A4 page(s)" in result.output
    assert card_codes(out, outdir) == sorted(demo_urls(demo))


def card_codes(pdf: Path, workdir: Path) -> list[str]:
    """The payload of each card cell (2 x 4 to a page) decoded on its own, at 150 dpi."""
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(workdir / "cards")], check=True)
    page = Image.open(workdir / "cards.png")
    w, h = page.size[0] / 2, page.size[1] / 4
    found = []
    for i in range(8):
        cell = workdir / f"cell{i}.png"
        page.crop((int(i % 2 * w), int(i // 2 * h), int((i % 2 + 1) * w), int((i // 2 + 1) * h))).save(cell)
        out = subprocess.run(["zbarimg", "--raw", "-q", str(cell)], capture_output=True, text=True).stdout
        found += out.split()
    return sorted(found)


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_one_film_qr_image(demo, outdir, kind):
    out = outdir / f"tree.{kind}"
    result = run(demo, "qr", kind, "--festival", SLUG, "--film", "tree", "--out", str(out))
    assert result.exit_code == 0, result.output
    url = result.output.strip().rsplit(": ", 1)[1]
    assert url in demo_urls(demo)
    if kind == "svg":
        assert out.read_bytes().startswith(b"<svg")
    else:
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(out)], capture_output=True, text=True).stdout
        assert decoded.split() == [url]


def test_unknown_film_qr_exits_1_and_writes_nothing(demo, outdir):
    result = run(demo, "qr", "png", "--festival", SLUG, "--film", "nope", "--out", str(outdir / "x.png"))
    assert result.exit_code == 1 and "no film 'nope'" in result.output
    assert leftovers(outdir) == []
