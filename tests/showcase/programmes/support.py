"""Helpers for the programme tests: text of a PDF's pages, QR codes read back from a page."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from showcase.programmes.data import Programme
from showcase.programmes.layout import LABELS


def with_films(programme: Programme, films: list) -> Programme:
    """programme with its films replaced."""
    return replace(programme, films=tuple(films))


def page_texts(pdf: Path) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def squash(text: str) -> str:
    """text without any whitespace, so wrapped lines compare with the original."""
    return "".join(text.split())


def body_text(pdf: Path, programme: Programme) -> str:
    """All pages' text without running heads and page numbers, whitespace removed.

    Heads and folios are drawn last on a page, so text split over a page break would otherwise
    come back with them in the middle.
    """
    fest = programme.festival
    heads = {f"{fest.name} · {fest.name_en}", fest.name, fest.name_en, *(" · ".join(p) for p in LABELS.values())}
    lines = [
        line
        for text in page_texts(pdf)
        for line in text.splitlines()
        if line.strip() not in heads and not line.strip().isdigit()
    ]
    return squash("".join(lines))


def decode_qr(pdf: Path, page: int, workdir: Path) -> list[str]:
    """QR payloads found by zbarimg on one page rendered at 150 dpi."""
    prefix = workdir / f"p{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    out = subprocess.run(["zbarimg", "--raw", "-q", f"{prefix}.png"], capture_output=True, text=True)
    return out.stdout.split()
