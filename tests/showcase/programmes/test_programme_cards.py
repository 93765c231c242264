"""Table cards: title, a QR code that scans to the film's URL, and the short URL, several per A4 page."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from showcase.programmes import qr
from showcase.programmes.cards import build_cards
from showcase.programmes.data import ProgrammeError
from tests.showcase.programmes.support import page_texts, squash


def test_cards_scan_to_each_film_and_print_titles(make_programme, tmp_path: Path) -> None:
    programme = make_programme(9)
    pdf = tmp_path / "cards.pdf"
    stats = build_cards(programme, pdf, columns=2, rows=4)
    assert stats.pages == 2 == len(PdfReader(str(pdf)).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "c")], check=True)
    images = sorted(str(p) for p in tmp_path.glob("c-*.png"))
    found = subprocess.run(["zbarimg", "--raw", "-q", *images], capture_output=True, text=True).stdout.split()
    assert sorted(found) == sorted(qr.film_url(programme.festival.public_base_url, f.code) for f in programme.films)
    text = squash("".join(page_texts(pdf)))
    for film in programme.films:
        assert squash(film.title) in text and squash(film.title_en) in text
        assert f"showcase.example.org/f/{film.code}" in text


def test_hostile_card_title_is_cut_to_fit_and_printed_literally(make_programme, tmp_path: Path) -> None:
    programme = make_programme(1)
    film = replace(programme.films[0], title="<b>&amp;</b> " + "长" * 2000, title_en="<img src='x'>")
    pdf = tmp_path / "cards.pdf"
    build_cards(replace(programme, films=(film,)), pdf)
    text = page_texts(pdf)[0]
    assert "<b>&amp;</b>" in text and "<img src='x'>" in text
    assert "…" in text and text.count("长") < 2000


def test_proof_cards_are_marked(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    build_cards(make_programme(3, proof=True), pdf)
    assert "PROOF — embargoed results" in page_texts(pdf)[0]


def test_too_many_cards_per_page_is_refused(make_programme, tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError):
        build_cards(make_programme(1), tmp_path / "c.pdf", columns=4)
    assert not (tmp_path / "c.pdf").exists()
