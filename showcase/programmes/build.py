"""build_programme: lay a Programme out as a PDF booklet with reportlab."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from showcase.programmes.data import Programme, ProgrammeError
from showcase.programmes.films import film_index, film_pages
from showcase.programmes.flowables import PosterCache
from showcase.programmes.fonts import FontSet, FontSpec, register_fonts
from showcase.programmes.layout import PROOF_TEXT, SCREEN, Context, Geometry, Palette, Progress, geometry, styles
from showcase.programmes.press import PressProfile, load_profile
from showcase.programmes.sections import awards, cover, schedule, welcome


@dataclass(frozen=True)
class BuildStats:
    """What a build produced: page count, wall time, and problems that did not stop it."""

    pages: int
    seconds: float
    warnings: tuple[str, ...] = ()
    film_pages: dict[str, int] = field(default_factory=dict)  # film code -> first page number


def build_programme(
    programme: Programme,
    out: str | os.PathLike[str] | BinaryIO,
    *,
    fonts: list[FontSpec] | None = None,
    fallbacks: list[FontSpec] | None = None,
    profile: PressProfile | None = None,
    progress: Progress | None = None,
) -> BuildStats:
    """Write programme as a PDF to out (a path or a binary file) and return page count and time.

    A press build (options.press) draws every colour and poster in profile's CMYK (the default
    profile when None) and gives every page a TrimBox and BleedBox; build.py leaves the PDF/X
    finishing to press.finish. progress(done, total, message) is told as each film's page is laid out.
    """
    started = time.perf_counter()
    fontset = register_fonts(fonts, fallbacks)
    # Binary streams: reportlab's ASCII85 encoder is pure Python here and took seconds on posters.
    rl_config.useA85 = 0
    geo = geometry(programme.options)
    palette, convert = SCREEN, None
    if programme.options.press:
        profile = profile or load_profile()
        palette, convert = profile.palette(), profile.image
    with (
        tempfile.TemporaryDirectory(prefix="programme-") as tmp,
        PosterCache(tmp, keep=_poster_folder(programme.poster_cache), convert=convert) as posters,
    ):
        ctx = Context(fontset, programme.options, geo, styles(fontset.name, geo.scale, palette), posters, palette)
        ctx.progress = progress
        doc = _document(ctx, programme, os.fspath(out) if isinstance(out, os.PathLike) else out)
        story = [
            *cover(ctx, programme),
            *welcome(ctx, programme),
            *schedule(ctx, programme),
            *awards(ctx, programme),
            *film_pages(ctx, programme),
            *film_index(ctx, programme),
        ]
        try:
            doc.build(story)
        except OSError as exc:
            raise ProgrammeError(f"cannot write the programme: {exc}") from exc
    return BuildStats(doc.page, time.perf_counter() - started, tuple(ctx.warnings), dict(ctx.film_pages))


def _poster_folder(folder: str | None) -> str | None:
    """The folder to keep poster thumbnails in, made if need be; None when it cannot be."""
    if folder is None:
        return None
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None  # thumbnails are then made for this build only
    return folder


def document_title(programme: Programme) -> tuple[str, str]:
    """The PDF's title and author: the festival's names."""
    fest = programme.festival
    return f"{fest.name} {fest.name_en}".strip(), fest.name_en or fest.name


def _document(ctx: Context, programme: Programme, out: str | BinaryIO) -> BaseDocTemplate:
    geo = ctx.geo
    fest = programme.festival
    title, author = document_title(programme)
    b = geo.bleed
    boxed = b > 0 or ctx.options.press  # a print shop reads the trim from the TrimBox
    trim = (b, b, b + geo.width, b + geo.height) if boxed else None
    doc = BaseDocTemplate(
        out,
        pagesize=geo.page_size,
        title=title,
        author=author,
        creator="showcase",
        initialFontName=ctx.fonts.name,
        trimBox=trim,
        bleedBox=(0, 0, *geo.page_size) if boxed else None,
        # A press build refuses any RGB colour still set somewhere and turns RGB greys into K tints.
        enforceColorSpace="cmyk" if ctx.options.press else None,
        invariant=1,
    )
    body = Frame(
        b + geo.margin,
        b + geo.margin,
        geo.frame_width,
        geo.height - 2 * geo.margin - 4 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    cover_frame = Frame(
        b + geo.margin,
        b + geo.margin,
        geo.frame_width,
        geo.height - 2 * geo.margin,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="cover",
    )
    festival = " · ".join(ctx.texts(fest.name, fest.name_en))
    decorate = _Decorations(ctx.fonts, geo, festival, ctx.palette, proof=ctx.options.proof)
    doc.addPageTemplates(
        [
            PageTemplate("cover", [cover_frame], onPage=decorate.cover, onPageEnd=decorate.cover_end),
            PageTemplate("body", [body], onPageEnd=decorate.page_end),
        ]
    )
    return doc


class _Decorations:
    """Everything drawn around the text: cover band, running heads, folios, proof mark, crop marks."""

    def __init__(self, fonts: FontSet, geo: Geometry, festival: str, palette: Palette, *, proof: bool) -> None:
        self.fonts, self.geo, self.festival, self.palette, self.proof = fonts, geo, festival, palette, proof

    def cover(self, canv, doc) -> None:
        geo, b = self.geo, self.geo.bleed
        canv.saveState()
        canv.setFillColor(self.palette.accent)  # the band runs into the bleed so trimming leaves no white edge
        canv.rect(0, b + geo.height * 0.52, geo.page_size[0], geo.height * 0.48 + b, stroke=0, fill=1)
        canv.restoreState()

    def cover_end(self, canv, doc) -> None:
        self._marks(canv)

    def page_end(self, canv, doc) -> None:
        geo, b = self.geo, self.geo.bleed
        page = canv.getPageNumber()
        left = b + geo.margin
        right = b + geo.width - geo.margin
        outer, align = (left, "left") if page % 2 == 0 else (right, "right")
        size = 7 * geo.scale
        canv.saveState()
        canv.setFillColor(self.palette.muted)
        head_y = b + geo.height - geo.margin + 2 * mm
        head = self.festival if page % 2 == 0 else getattr(canv, "_programme_section", "")
        self.fonts.draw(canv, outer, head_y, head, size, align=align)
        canv.setStrokeColor(self.palette.muted)
        canv.setLineWidth(0.3)
        canv.line(left, head_y - 2 * mm, right, head_y - 2 * mm)
        self.fonts.draw(canv, outer, b + geo.margin - 8 * mm, str(page), size + 1, align=align)
        canv.restoreState()
        self._marks(canv)

    def _marks(self, canv) -> None:
        geo, b = self.geo, self.geo.bleed
        if self.proof:
            canv.saveState()
            canv.setFillColor(self.palette.proof)
            self.fonts.draw(canv, b + geo.width / 2, b + 4 * mm, PROOF_TEXT, 8 * geo.scale, align="centre")
            canv.restoreState()
        if b:
            _crop_marks(canv, geo, self.palette)


def _crop_marks(canv, geo: Geometry, palette: Palette) -> None:
    """Hairlines in the bleed margin on the extensions of the trim edges, clear of the trim corner."""
    b, w, h = geo.bleed, geo.width, geo.height
    gap = min(1 * mm, b / 3)
    canv.saveState()
    canv.setStrokeColor(palette.black)
    canv.setLineWidth(0.25)
    for x in (b, b + w):
        canv.line(x, 0, x, b - gap)
        canv.line(x, b + h + gap, x, h + 2 * b)
    for y in (b, b + h):
        canv.line(0, y, b - gap, y)
        canv.line(b + w + gap, y, w + 2 * b, y)
    canv.restoreState()
