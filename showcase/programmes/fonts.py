"""Embedded TrueType fonts for the programme, with per-character fallback and safe markup.

reportlab falls back to unembedded Helvetica wherever a font name is missing, so register_fonts
also points reportlab's global defaults at the embedded font. It cannot embed CFF-outline OTF
(e.g. Noto CJK .otf), hence TrueType (.ttf/.ttc) only.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from showcase.programmes.data import ProgrammeError


@dataclass(frozen=True)
class FontSpec:
    """A TrueType font file; subfont_index picks a face inside a .ttc collection."""

    path: str
    subfont_index: int = 0


# WenQuanYi Zen Hei covers CJK and Latin; DejaVu Sans (fonts-dejavu-core, pulled in by fontconfig)
# adds Hebrew, Arabic, symbols and a few emoji. Both are TrueType, so both embed.
DEFAULT_PRIMARY = (
    FontSpec("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    FontSpec("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
DEFAULT_FALLBACKS = (FontSpec("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
MISSING_GLYPH = "\u25a1"  # white square, drawn where no font has the character
# Invisible format characters and variation selectors: dropping them beats printing a box.
_INVISIBLE = {chr(c) for c in range(0xFE00, 0xFE10)} | {"\u200d", "\u200c", "\u2060"}
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_RUN = re.compile(f"[{_RTL}]+(?:[\\s.,:;!?'\"-]+[{_RTL}]+)*")


def visual_order(text: str) -> str:
    """Right-to-left runs reversed into the order they are drawn in (reportlab draws left to right).

    A simple stand-in for the Unicode bidi algorithm: right for Hebrew and for RTL words inside
    left-to-right lines; Arabic letters stay unjoined without a shaping engine.
    """
    return _RTL_RUN.sub(lambda m: m.group(0)[::-1], text) if _RTL_RUN.search(text) else text


@dataclass(frozen=True)
class FontFace:
    """A registered font: reportlab name and the characters it can draw."""

    name: str
    chars: frozenset[str]


class FontSet:
    """The primary font and its fallbacks, as registered with reportlab."""

    def __init__(self, primary: FontFace, fallbacks: Sequence[FontFace]) -> None:
        self.primary = primary
        self.name = primary.name
        self.fallbacks = tuple(fallbacks)
        self._missing = MISSING_GLYPH if MISSING_GLYPH in primary.chars else "?"

    def clean(self, text: str) -> str:
        """Text with control characters turned into spaces and invisible joiners dropped."""
        if text.isprintable():
            return visual_order(text)
        out = []
        for ch in text:
            if ch in _INVISIBLE or unicodedata.category(ch) == "Cf":
                continue
            out.append(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch)
        return visual_order("".join(out))

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split text into (font name, text) runs so each character is drawn by a font that has it."""
        text = self.clean(text)
        if set(text) <= self.primary.chars:  # the common case, one set operation
            return [(self.name, text)] if text else []
        runs: list[tuple[str, str]] = []
        for ch in text:
            font = self._font_for(ch)
            if font is None:
                font, ch = self.name, self._missing
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def _font_for(self, ch: str) -> str | None:
        if ch in self.primary.chars or ch.isspace():
            return self.name
        return next((f.name for f in self.fallbacks if ch in f.chars), None)

    def markup(self, text: str) -> str:
        """Paragraph markup for user text: XML-escaped, so tags in it are printed, never parsed."""
        return "".join(
            escape(part) if font == self.name else f'<font face="{font}">{escape(part)}</font>'
            for font, part in self.runs(text)
        )

    def width(self, text: str, size: float) -> float:
        """Width of text at size, measured run by run."""
        return sum(pdfmetrics.stringWidth(part, font, size) for font, part in self.runs(text))

    def draw(self, canvas, x: float, y: float, text: str, size: float, *, align: str = "left") -> None:
        """Draw one line of user text on a canvas with fallback fonts; align is left, right or centre."""
        if align != "left":
            w = self.width(text, size)
            x -= w if align == "right" else w / 2
        for font, part in self.runs(text):
            canvas.setFont(font, size)
            canvas.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, font, size)


_CACHE: dict[tuple[tuple[FontSpec, ...], tuple[FontSpec, ...]], FontSet] = {}


def _load(spec: FontSpec) -> FontFace | None:
    if not os.path.isfile(spec.path):
        return None
    stem = os.path.splitext(os.path.basename(spec.path))[0]
    name = f"Showcase-{stem}-{spec.subfont_index}"
    try:
        font = TTFont(name, spec.path, subfontIndex=spec.subfont_index)
    except (TTFError, OSError, ValueError):
        return None  # e.g. a CFF-outline .otf, which reportlab cannot embed
    pdfmetrics.registerFont(font)
    # Map bold/italic to the same face so stray <b> never pulls in Helvetica-Bold.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    # Only the Basic Multilingual Plane: reportlab writes a broken ToUnicode entry for characters
    # beyond it (emoji), which spoils text extraction, so those print as MISSING_GLYPH instead.
    return FontFace(name, frozenset(chr(c) for c in font.face.charToGlyph if c <= 0xFFFF))


def register_fonts(primary: Sequence[FontSpec] | None = None, fallbacks: Sequence[FontSpec] | None = None) -> FontSet:
    """Register the first usable primary font and every usable fallback; make them reportlab's defaults."""
    key = (tuple(primary or DEFAULT_PRIMARY), tuple(DEFAULT_FALLBACKS if fallbacks is None else fallbacks))
    if key not in _CACHE:
        face = next((f for f in map(_load, key[0]) if f is not None), None)
        if face is None:
            tried = ", ".join(s.path for s in key[0])
            raise ProgrammeError(f"no usable TrueType font for the programme (tried {tried})")
        extra = [f for f in map(_load, key[1]) if f is not None and f.name != face.name]
        _CACHE[key] = FontSet(face, extra)
    fonts = _CACHE[key]
    # Global on purpose: tables, drawings and canvases without a font name read these.
    rl_config.canvas_basefontname = fonts.name
    rl_config.defaultGraphicsFontName = fonts.name
    return fonts
