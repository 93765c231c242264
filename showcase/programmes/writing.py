"""Writing the printed programme: Programme plain data → the PDF (imposed two-up for a booklet).

A press build is finished as PDF/X-4 (press.py) and read back into a proof report (proof.py).
The data comes from `showcase.programmes.loading`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PdfWriter

from showcase.messages import N_
from showcase.programmes.build import BuildStats, build_programme, document_title
from showcase.programmes.data import Programme
from showcase.programmes.fonts import FontSpec
from showcase.programmes.impose import impose, padded_count
from showcase.programmes.layout import Progress
from showcase.programmes.press import PAGE_MULTIPLE, finish, load_profile
from showcase.programmes.proof import ProofReport, proof_report

BOOKLET_PRESS_MULTIPLE = 8  # a press booklet's pages fill sheet sides in fours


def font_specs(path: str | None) -> list[FontSpec] | None:
    """The configured programme font (PROGRAMME_FONT_PATH) as the core's primary font list."""
    return [FontSpec(os.fspath(path))] if path else None


@dataclass(frozen=True)
class Written:
    """What was written: the core's stats, sheet sides when imposed, blank pages added, a press build's proof."""

    stats: BuildStats
    sheets: int | None = None
    blanks: int = 0
    proof: ProofReport | None = None


def write_programme(
    programme: Programme,
    out: str | os.PathLike[str] | BinaryIO,
    *,
    fonts: list[FontSpec] | None = None,
    profile: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Written:
    """Lay the programme out into out; a booklet is imposed two-up in saddle-stitch order.

    A press build (options.press) uses the CMYK profile at profile (else the default one), is
    padded with blank pages to whole sheets, and comes with its proof report. progress: see build_programme.
    """
    options = programme.options
    if not options.booklet and not options.press:
        return Written(build_programme(programme, out, fonts=fonts, progress=progress))
    press = load_profile(profile) if options.press else None
    pages = io.BytesIO()
    stats = build_programme(programme, pages, fonts=fonts, profile=press, progress=progress)
    if progress is not None:
        progress(stats.pages, stats.pages, N_("Imposing and finishing the PDF"))
    pages.seek(0)
    if options.booklet:
        multiple = BOOKLET_PRESS_MULTIPLE if press else PAGE_MULTIPLE
        writer, blanks = impose(pages, multiple=multiple), padded_count(stats.pages, multiple) - stats.pages
    else:
        writer, blanks = PdfWriter(clone_from=pages), 0
    report = None
    if press is None:
        writer.write(out)
    else:
        title, author = document_title(programme)
        blanks += finish(writer, profile=press, title=title, author=author)
        data = io.BytesIO()
        writer.write(data)
        report = proof_report(data.getvalue(), build_warnings=stats.warnings)
        _write_bytes(out, data.getvalue())
    return Written(stats, len(writer.pages) if options.booklet else None, blanks, report)


def _write_bytes(out: str | os.PathLike[str] | BinaryIO, data: bytes) -> None:
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as fh:
            fh.write(data)
    else:
        out.write(data)
