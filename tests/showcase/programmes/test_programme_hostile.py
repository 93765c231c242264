"""Hostile and oversized user text: printed literally, flows over pages, never crashes, never fetches."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import replace

import pytest

from showcase.programmes.build import build_programme
from showcase.programmes.fonts import MISSING_GLYPH
from tests.showcase.programmes.support import body_text, squash, with_films

MARKUP_TITLES = [
    "<b>bold</b> & <i>",
    "Tom & Jerry &amp; &lt;",
    '<img src="http://127.0.0.1:9/x"> poster',
    '<a href="http://127.0.0.1:9/">link</a><font name="Helvetica">x</font>',
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connection attempt is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access in a programme build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_markup_in_titles_is_printed_literally_without_network(make_programme, tmp_path, no_network) -> None:
    programme = make_programme(len(MARKUP_TITLES))
    films = [
        replace(f, title=t, title_en=t + " (en)", synopsis=t, credits=((t, t),), poster_path=None)
        for f, t in zip(programme.films, MARKUP_TITLES, strict=True)
    ]
    pdf = tmp_path / "p.pdf"
    programme = with_films(programme, films)
    build_programme(programme, pdf)
    text = body_text(pdf, programme)
    for title in MARKUP_TITLES:
        assert squash(title + " (en)") in text  # wrapped at its spaces, so compared without them
        assert text.count(squash(title)) >= 4  # title, synopsis, credit role and name
    assert no_network == []


def test_oversized_text_flows_over_pages(make_programme, tmp_path) -> None:
    programme = make_programme(3)
    giant = "长" * 900 + " " + "Overlong" * 137  # 2,000 characters, part of it one unbreakable word
    synopsis = "\n\n".join(["A synopsis far longer than one page. " * 12] * 12)
    credits = tuple((f"Role {i} 职务", f"Person {i} 人名") for i in range(40))
    films = [
        replace(programme.films[0], title=giant, title_en="T" * 200, credits=credits, synopsis=synopsis),
        *programme.films[1:],
    ]
    pdf = tmp_path / "p.pdf"
    programme = with_films(programme, films)
    stats = build_programme(programme, pdf)
    text = body_text(pdf, programme)
    assert squash(giant) in text and "T" * 200 in text
    assert "Person39人名" in text and "Role39职务" in text
    pages = sorted(stats.film_pages.values())
    assert pages[1] - pages[0] >= 4  # the first film runs over several pages


def test_emoji_and_right_to_left_text_build(make_programme, tmp_path) -> None:
    programme = make_programme(2)
    films = [replace(programme.films[0], title="فيلم قصير 🎬🤖", title_en="סרט קצר 😀 film"), programme.films[1]]
    pdf = tmp_path / "p.pdf"
    build_programme(with_films(programme, films), pdf)
    # poppler applies the bidi algorithm on extraction, so it reads the RTL text back in logical order
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "فيلم قصير" in text
    assert "סרט קצר" in text
    assert "film" in text and MISSING_GLYPH in text  # emoji not in any font become a box, not a crash


def test_control_characters_do_not_break_markup(make_programme, tmp_path) -> None:
    programme = make_programme(1)
    films = [replace(programme.films[0], title="Null\x00Bell\x07Tab\tEnd", title_en="Line\nBreak")]
    pdf = tmp_path / "p.pdf"
    programme = with_films(programme, films)
    build_programme(programme, pdf)
    text = body_text(pdf, programme)
    assert "NullBellTabEnd" in text and "LineBreak" in text


def test_latin_text_split_over_pages_keeps_its_spaces(make_programme, tmp_path) -> None:
    programme = make_programme(1)
    synopsis = "\n\n".join(["A synopsis far longer than one page. " * 12] * 8)
    films = [replace(programme.films[0], synopsis=synopsis, synopsis_en=synopsis)]
    pdf = tmp_path / "p.pdf"
    build_programme(with_films(programme, films), pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("synopsis far longer") > 150
    assert "synopsisfar" not in text and "Asynopsis" not in text
