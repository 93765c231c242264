"""Embedded TrueType fonts for the programme, with per-character fallback and safe markup.

reportlab falls back to unembedded Helvetica wherever a font name is missing, so register_fonts
also points reportlab's global defaults at the embedded font. It cannot embed CFF-outline OTF
(e.g. Noto CJK .otf), hence TrueType (.ttf/.ttc) only.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from showcase.programmes.data import ProgrammeError


@dataclass(frozen=True)
class FontSpec:
    """A TrueType font file; subfont_index picks a face inside a .ttc collection."""

    path: str
    subfont_index: int = 0


# WenQuanYi Zen Hei covers CJK (Extension A included) and Latin; DejaVu Sans (fonts-dejavu-core)
# adds Hebrew, Arabic, symbols and a few emoji; Hanazono Mincho B (fonts-hanazono) the rare
# ideographs of CJK Extensions B to F (U+20000 and up). All three are TrueType, so all embed.
DEFAULT_PRIMARY = (
    FontSpec("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    FontSpec("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
DEFAULT_FALLBACKS = (
    FontSpec("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    FontSpec("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
)
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


class Glyphs:
    """The characters a font can draw, read from its character map (code point → glyph).

    The map reportlab keeps anyway: a set of its characters as strings cost 5 MB for a CJK font.
    """

    def __init__(self, cmap: dict[int, int]) -> None:
        self.cmap = cmap

    def __contains__(self, ch: object) -> bool:
        return isinstance(ch, str) and len(ch) == 1 and ord(ch) in self.cmap

    def cover(self, text: str) -> bool:
        """Whether every character of text is in the font."""
        cmap = self.cmap
        return all(ord(ch) in cmap for ch in set(text))


@dataclass(frozen=True)
class FontFace:
    """A registered font: reportlab name and the characters it can draw."""

    name: str
    chars: Glyphs


class Fallback:
    """A fallback font, read and registered the first time a character is looked up in it.

    Most programmes never reach past the primary font, and a large CJK fallback costs a
    fifth of a second to read, so it is only read when some text needs it.
    """

    def __init__(self, spec: FontSpec) -> None:
        self.spec, self.name = spec, _font_name(spec)
        self._face: FontFace | None = None
        self._read = False
        self._lock = threading.Lock()

    @property
    def face(self) -> FontFace | None:
        """The registered font, or None when its file is missing or unusable."""
        with self._lock:
            if not self._read:
                self._face, self._read = _load(self.spec), True
        return self._face


class FontSet:
    """The primary font and its fallbacks, as registered with reportlab."""

    def __init__(self, primary: FontFace, fallbacks: Sequence[Fallback]) -> None:
        self.primary = primary
        self.name = primary.name
        self.fallbacks = tuple(fallbacks)
        self.missing_glyph = MISSING_GLYPH if MISSING_GLYPH in primary.chars else "?"

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
        if self.primary.chars.cover(text):  # the common case
            return [(self.name, text)] if text else []
        runs: list[tuple[str, str]] = []
        for ch in text:
            font = self._font_for(ch)
            if font is None:
                font, ch = self.name, self.missing_glyph
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def missing(self, text: str) -> str:
        """The characters of text that no font has (each once, in order): they print as MISSING_GLYPH."""
        text = self.clean(text)
        if self.primary.chars.cover(text):
            return ""
        return "".join(dict.fromkeys(ch for ch in text if self._font_for(ch) is None))

    def _font_for(self, ch: str) -> str | None:
        if ch in self.primary.chars or ch.isspace():
            return self.name
        for fallback in self.fallbacks:
            face = fallback.face
            if face is not None and ch in face.chars:
                return face.name
        return None

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


def missing_warning(fonts: FontSet, text: str) -> str:
    """A build warning naming the characters of text no font has, or "" when every one prints."""
    lost = fonts.missing(text)
    if not lost:
        return ""
    names = ", ".join(f"U+{ord(ch):04X} {ch}" for ch in lost[:8]) + (" …" if len(lost) > 8 else "")
    return f"no font has {names}: printed as {fonts.missing_glyph} (rare CJK ideographs need fonts-hanazono)"


_CACHE: dict[tuple[tuple[FontSpec, ...], tuple[FontSpec, ...]], FontSet] = {}
_REPORTLAB_CMAP = ttfonts.makeToUnicodeCMap
_CMAP_TARGET = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.M)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap with characters beyond U+FFFF written as UTF-16 surrogate pairs.

    reportlab writes them as bare five-digit code points, which PDF readers reject, so a
    character such as U+20000 could be drawn but not copied, searched or extracted.
    """
    cmap = _REPORTLAB_CMAP(fontname, subset)
    if max(subset, default=0) <= 0xFFFF:
        return cmap
    return _CMAP_TARGET.sub(lambda m: f"{m[1]}<{chr(int(m[2], 16)).encode('utf-16-be').hex().upper()}>", cmap)


_REPORTLAB_CHAR_WIDTHS = textsplit.getCharWidths


def _char_widths(word: str, font_name: str, font_size: float) -> list[float]:
    """reportlab's per-character widths for CJK line breaking, with one dict lookup a character.

    reportlab measures every character of a CJK paragraph with a full stringWidth call each time
    the paragraph is wrapped (a fifth of a programme's layout); the sum it returns for one
    character is exactly this product, so lines break where they did.
    """
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        return _REPORTLAB_CHAR_WIDTHS(word, font_name, font_size)
    get, default, scale = font.face.charWidths.get, font.face.defaultWidth, 0.001 * font_size
    return [scale * get(ord(ch), default) for ch in word]


def _font_name(spec: FontSpec) -> str:
    stem = os.path.splitext(os.path.basename(spec.path))[0]
    return f"Showcase-{stem}-{spec.subfont_index}"


def _load(spec: FontSpec) -> FontFace | None:
    if not os.path.isfile(spec.path):
        return None
    name = _font_name(spec)
    try:
        font = TTFont(name, spec.path, subfontIndex=spec.subfont_index)
    except (TTFError, OSError, ValueError):
        return None  # e.g. a CFF-outline .otf, which reportlab cannot embed
    pdfmetrics.registerFont(font)
    # Map bold/italic to the same face so stray <b> never pulls in Helvetica-Bold.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return FontFace(name, Glyphs(font.face.charToGlyph))


def register_fonts(primary: Sequence[FontSpec] | None = None, fallbacks: Sequence[FontSpec] | None = None) -> FontSet:
    """Register the first usable primary font (fallbacks when first needed); make it reportlab's default."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # read by reportlab when it writes each font subset
    textsplit.getCharWidths = _char_widths  # read by textsplit.wordSplit, which CJK wrapping calls
    key = (tuple(primary or DEFAULT_PRIMARY), tuple(DEFAULT_FALLBACKS if fallbacks is None else fallbacks))
    if key not in _CACHE:
        face = next((f for f in map(_load, key[0]) if f is not None), None)
        if face is None:
            tried = ", ".join(s.path for s in key[0])
            raise ProgrammeError(f"no usable TrueType font for the programme (tried {tried})")
        extra = [Fallback(spec) for spec in key[1] if _font_name(spec) != face.name]
        _CACHE[key] = FontSet(face, extra)
    fonts = _CACHE[key]
    # Global on purpose: tables, drawings and canvases without a font name read these.
    rl_config.canvas_basefontname = fonts.name
    rl_config.defaultGraphicsFontName = fonts.name
    return fonts
