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


def content_operations(pdf: Path) -> list[tuple[int, bytes, list]]:
    """Every operator in every page's content stream and in the forms they paint, as (page, operator, operands)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(str(pdf))
    found: list[tuple[int, bytes, list]] = []

    def walk(number: int, stream, resources) -> None:
        xobjects = resources.get("/XObject", {}) if resources else {}
        for operands, op in stream.operations:
            found.append((number, op, operands))
            if op == b"Do" and operands[0] in xobjects:
                xobject = xobjects[operands[0]].get_object()
                if xobject["/Subtype"] == "/Form":
                    walk(number, ContentStream(xobject, reader), xobject.get("/Resources", resources))

    for number, page in enumerate(reader.pages, start=1):
        if page.get_contents() is not None:
            walk(number, page.get_contents(), page["/Resources"].get_object())
    return found


def image_xobjects(pdf: Path) -> list[dict]:
    """The image XObjects of every page (those drawn through forms included)."""
    reader = PdfReader(str(pdf))
    images: dict[int, dict] = {}

    def collect(resources) -> None:
        for ref in (resources or {}).get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                images[ref.idnum] = xobject
            else:
                collect(xobject.get("/Resources"))

    for page in reader.pages:
        collect(page["/Resources"].get_object())
    return list(images.values())
