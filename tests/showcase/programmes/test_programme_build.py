"""The programme PDF: text in both languages, embedded fonts, QR codes, proof marking, language choice."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from showcase.programmes import qr
from showcase.programmes.build import build_programme
from showcase.programmes.data import ProgrammeError
from showcase.programmes.fonts import FontSpec
from showcase.programmes.layout import PROOF_TEXT
from tests.showcase.programmes.support import decode_qr, page_texts, squash


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, poster: str):
    """The 7-film bilingual demo programme, built once for the read-only checks."""
    from showcase.programmes.sample import sample_programme

    programme = sample_programme(7, poster=poster)
    pdf = tmp_path_factory.mktemp("built") / "programme.pdf"
    stats = build_programme(programme, pdf)
    return programme, pdf, stats


def test_every_title_in_both_languages_is_extractable(built) -> None:
    programme, pdf, stats = built
    text = squash("\n".join(page_texts(pdf)))
    assert stats.pages == len(PdfReader(str(pdf)).pages)
    for film in programme.films:
        assert squash(film.title) in text
        assert squash(film.title_en) in text
    assert squash(programme.festival.name) in text and squash(programme.festival.name_en) in text


def test_each_film_page_names_its_film(built) -> None:
    programme, pdf, stats = built
    texts = page_texts(pdf)
    assert set(stats.film_pages) == {f.code for f in programme.films}
    for film in programme.films:
        page = squash(texts[stats.film_pages[film.code] - 1])
        assert squash(film.title) in page and squash(film.title_en) in page


def test_no_font_is_left_unembedded(built) -> None:
    _, pdf, _ = built
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "pdffonts listed no fonts at all"
    for row in rows:
        emb = row.split()[-5]  # columns end with: emb sub uni object-id generation
        assert emb == "yes", row
    assert "Helvetica" not in out


def test_every_film_qr_decodes_to_its_url(built, tmp_path: Path) -> None:
    programme, pdf, stats = built
    for film in programme.films:
        url = qr.film_url(programme.festival.public_base_url, film.code)
        assert decode_qr(pdf, stats.film_pages[film.code], tmp_path) == [url]


def test_short_url_printed_under_the_code(built) -> None:
    programme, pdf, stats = built
    texts = page_texts(pdf)
    for film in programme.films:
        assert f"showcase.example.org/f/{film.code}" in texts[stats.film_pages[film.code] - 1]


@pytest.mark.parametrize("proof", [True, False])
def test_proof_marking_on_every_page_only_when_proof(make_programme, tmp_path: Path, proof: bool) -> None:
    pdf = tmp_path / "p.pdf"
    build_programme(make_programme(5, proof=proof), pdf)
    marked = [PROOF_TEXT in text for text in page_texts(pdf)]
    assert len(marked) > 5
    assert all(marked) if proof else not any(marked)


@pytest.mark.parametrize(("lang", "shown", "hidden"), [("en", "title_en", "title"), ("zh", "title", "title_en")])
def test_one_language_omits_the_other_titles(make_programme, tmp_path: Path, lang, shown, hidden) -> None:
    programme = make_programme(5, lang=lang)
    pdf = tmp_path / "p.pdf"
    build_programme(programme, pdf)
    text = squash("\n".join(page_texts(pdf)))
    for film in programme.films:
        assert squash(getattr(film, shown)) in text
        assert squash(getattr(film, hidden)) not in text


def test_builds_into_a_binary_file(make_programme) -> None:
    out = io.BytesIO()
    stats = build_programme(make_programme(2, size="a4"), out)
    assert out.getvalue().startswith(b"%PDF") and stats.pages == len(PdfReader(out).pages)
    assert abs(float(PdfReader(out).pages[0].mediabox.width) - 595.28) < 0.1


def test_bleed_grows_the_page_and_sets_the_trim_box(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "p.pdf"
    build_programme(make_programme(2, bleed_mm=3), pdf)
    page = PdfReader(str(pdf)).pages[1]
    bleed = 3 * 72 / 25.4
    assert abs(float(page.mediabox.width) - (419.53 + 2 * bleed)) < 0.1
    assert abs(float(page.trimbox.left) - bleed) < 0.01 and abs(float(page.trimbox.width) - 419.53) < 0.1


def test_missing_font_is_a_clear_error_and_writes_nothing(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "p.pdf"
    with pytest.raises(ProgrammeError, match="no usable TrueType font"):
        build_programme(make_programme(1), pdf, fonts=[FontSpec(str(tmp_path / "missing.ttf"))])
    assert not pdf.exists()


def test_unreadable_poster_is_reported_not_fatal(make_programme, tmp_path: Path) -> None:
    from dataclasses import replace

    bad = tmp_path / "poster.jpg"
    bad.write_text("not an image")
    programme = make_programme(1)
    programme = replace(programme, films=(replace(programme.films[0], poster_path=str(bad)),))
    stats = build_programme(programme, tmp_path / "p.pdf")
    assert len(stats.warnings) == 1 and "F0001" in stats.warnings[0]


def test_shared_poster_is_embedded_once_as_a_small_jpeg(built) -> None:
    programme, pdf, stats = built
    with_poster = [f for f in programme.films if f.poster_path]
    assert len(with_poster) >= 2
    reader = PdfReader(str(pdf))
    names = set()
    for film in with_poster:
        images = reader.pages[stats.film_pages[film.code] - 1].images
        assert len(images) == 1
        assert images[0].image.format == "JPEG" and max(images[0].image.size) <= 643
        names.add(images[0].indirect_reference.idnum)
    assert len(names) == 1  # one XObject shared by every page that shows the poster
