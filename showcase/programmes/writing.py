"""Writing the printed programme: Programme plain data → the PDF (imposed two-up for a booklet).

The data comes from `showcase.programmes.loading`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import BinaryIO

from showcase.programmes.build import BuildStats, build_programme
from showcase.programmes.data import Programme
from showcase.programmes.fonts import FontSpec
from showcase.programmes.impose import impose_pdf


def font_specs(path: str | None) -> list[FontSpec] | None:
    """The configured programme font (PROGRAMME_FONT_PATH) as the core's primary font list."""
    return [FontSpec(os.fspath(path))] if path else None


@dataclass(frozen=True)
class Written:
    """What was written: pages of the programme, sheet sides when imposed, and the core's stats."""

    stats: BuildStats
    sheets: int | None = None


def write_programme(
    programme: Programme, out: str | os.PathLike[str] | BinaryIO, *, fonts: list[FontSpec] | None = None
) -> Written:
    """Lay the programme out into out; a booklet is imposed two-up in saddle-stitch order."""
    if not programme.options.booklet:
        return Written(build_programme(programme, out, fonts=fonts))
    pages = io.BytesIO()
    stats = build_programme(programme, pages, fonts=fonts)
    pages.seek(0)
    return Written(stats, impose_pdf(pages, out))
