"""Page geometry, paragraph styles, labels and date formats shared by the programme sections."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from showcase.programmes.data import ProgrammeOptions
from showcase.programmes.flowables import PosterCache, labelled
from showcase.programmes.fonts import FontSet, missing_warning

INK = Color(0.11, 0.11, 0.12)
ACCENT = Color(0.62, 0.09, 0.16)
MUTED = Color(0.42, 0.42, 0.42)
PROOF_RED = Color(0.85, 0.05, 0.1)
PROOF_TEXT = "PROOF — embargoed results"
Progress = Callable[[int, int, str], None]  # done, total, what is being done


@dataclass(frozen=True)
class Palette:
    """The programme's colours: RGB for screens, CMYK for the press (black and grey on the K plate only)."""

    ink: Color = INK  # text
    accent: Color = ACCENT  # headings, prize lines, the cover band
    muted: Color = MUTED  # secondary text, running heads and their rule
    paper: Color = Color(1, 1, 1)  # text on the cover band
    black: Color = Color(0, 0, 0)  # crop marks
    proof: Color = PROOF_RED  # the proof mark


SCREEN = Palette()


def press_palette(accent: tuple[float, float, float, float]) -> Palette:
    """The press colours: text and rules 100 % K, grey a K tint, accent as given (the profile's CMYK).

    Greys drawn elsewhere in RGB (labels, QR codes, crop marks) become K tints on their own: a
    press build's canvas enforces CMYK, turning an RGB grey g into K = 1 - g.
    """
    return Palette(
        ink=CMYKColor(0, 0, 0, 1),
        accent=CMYKColor(*accent),
        muted=CMYKColor(0, 0, 0, 1 - MUTED.red),
        paper=CMYKColor(0, 0, 0, 0),
        black=CMYKColor(0, 0, 0, 1),
        proof=CMYKColor(0, 1, 1, 0),
    )


LABELS = {
    "programme": ("节目册", "Programme"),
    "welcome": ("致辞", "Welcome"),
    "schedule": ("日程", "Schedule"),
    "awards": ("获奖名单", "Awards"),
    "films": ("影片", "Films"),
    "index": ("影片索引", "Index of films"),
    "credits": ("主创", "Credits"),
    "screenings": ("放映", "Screenings"),
    "synopsis": ("简介", "Synopsis"),
    "scan": ("扫码观看影片页面", "Scan for the film page"),
    "no_winners": ("待公布", "To be announced"),
}
WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class Geometry:
    """Trim size, bleed and margins in points."""

    width: float
    height: float
    bleed: float
    margin: float
    scale: float

    @property
    def page_size(self) -> tuple[float, float]:
        return self.width + 2 * self.bleed, self.height + 2 * self.bleed

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin


def geometry(options: ProgrammeOptions) -> Geometry:
    """The page geometry for the chosen size and bleed."""
    if options.size == "a4":
        return Geometry(A4[0], A4[1], options.bleed_mm * mm, 20 * mm, 1.2)
    return Geometry(A5[0], A5[1], options.bleed_mm * mm, 14 * mm, 1.0)


@lru_cache(maxsize=8)
def styles(font: str, scale: float, palette: Palette = SCREEN) -> dict[str, ParagraphStyle]:
    """Paragraph styles for one font, page scale and palette, built once per process."""
    ink, accent, muted = palette.ink, palette.accent, palette.muted
    base = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=9 * scale,
        leading=13.5 * scale,
        textColor=ink,
        bulletFontName=font,
        splitLongWords=1,
        allowWidows=1,
        spaceAfter=3 * scale,
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    s = scale
    return {
        "body": base,
        "small": derive("small", fontSize=8 * s, leading=11 * s),
        "muted": derive("muted", fontSize=8 * s, leading=11 * s, textColor=muted),
        "h1": derive("h1", fontSize=20 * s, leading=26 * s, textColor=accent, spaceAfter=4 * s),
        "h1en": derive("h1en", fontSize=12 * s, leading=16 * s, textColor=muted, spaceAfter=8 * s),
        "h2": derive("h2", fontSize=12.5 * s, leading=17 * s, spaceBefore=10 * s, spaceAfter=3 * s, textColor=accent),
        "h3": derive("h3", fontSize=10 * s, leading=14 * s, spaceBefore=6 * s, spaceAfter=2 * s),
        "title": derive("title", fontSize=18 * s, leading=24 * s, textColor=ink),
        "title_en": derive(
            "title_en", fontSize=11.5 * s, leading=15 * s, textColor=muted, spaceBefore=1 * s, spaceAfter=5 * s
        ),
        "meta": derive("meta", fontSize=8.5 * s, leading=12 * s, textColor=ink, spaceAfter=6 * s),
        "label": derive(
            "label", fontSize=7.5 * s, leading=10 * s, textColor=accent, spaceBefore=7 * s, spaceAfter=2 * s
        ),
        "award": derive("award", fontSize=9 * s, leading=12.5 * s, textColor=accent),
        "cover": derive("cover", fontSize=30 * s, leading=38 * s, textColor=palette.paper),
        "cover_en": derive("cover_en", fontSize=15 * s, leading=20 * s, textColor=palette.paper),
        "cover_meta": derive("cover_meta", fontSize=11 * s, leading=16 * s, textColor=ink),
        "centre": derive("centre", alignment=TA_CENTER),
    }


_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


@lru_cache(maxsize=64)
def _cjk_variant(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")


@lru_cache(maxsize=64)
def _plain_frag(style: ParagraphStyle) -> ParaFrag:
    _, frags, _ = ParaParser().parse("x", style)
    return frags[0]


def paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph(markup, style), without running reportlab's markup parser on text that has no markup.

    The parser (an HTMLParser per paragraph) was a tenth of a programme's layout; text with no tag
    and no entity parses to one fragment of the style's font, cloned here from one parsed once.
    """
    if "<" in markup or "&" in markup:
        return Paragraph(markup, style)
    text = cleanBlockQuotedText(markup)
    return Paragraph(text, style, frags=[_plain_frag(style).clone(text=text)] if text else None)


@dataclass
class Context:
    """Everything a section builder needs: fonts, styles, language, geometry, page map."""

    fonts: FontSet
    options: ProgrammeOptions
    geo: Geometry
    style: dict[str, ParagraphStyle]
    posters: PosterCache
    palette: Palette = SCREEN
    film_pages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    progress: Progress | None = None
    films: int = 0  # how many film pages the story has, for progress

    def texts(self, zh: str, en: str) -> list[str]:
        """The non-empty texts to print for the chosen language, falling back to the other one."""
        lang = self.options.lang
        picked = [zh, en] if lang == "both" else [zh] if lang == "zh" else [en]
        picked = [t for t in picked if t and t.strip()]
        return picked or [t for t in (zh, en) if t and t.strip()][:1]

    def label(self, key: str) -> str:
        """A fixed label in the chosen language(s)."""
        return " · ".join(self.texts(*LABELS[key]))

    def para(self, text: str, style: str) -> Paragraph:
        """A Paragraph of user text: escaped, with font fallback, CJK line breaking where needed."""
        # CJK wrapping fills lines of Chinese, but it loses spaces of Latin text split over pages,
        # so it is only used for text that has CJK in it.
        chosen = _cjk_variant(self.style[style]) if _CJK.search(text) else self.style[style]
        self.warn(missing_warning(self.fonts, text))
        return paragraph(self.fonts.markup(text), chosen)

    def warn(self, warning: str) -> None:
        """Note a problem that does not stop the build (each once)."""
        if warning and warning not in self.warnings:
            self.warnings.append(warning)

    def row(self, label: str, text: str, style: str, *, label_width: float) -> list[Flowable]:
        """User text beside a short label column (label stacked above when it is too long)."""
        size = self.style[style].fontSize
        return labelled(
            self.fonts,
            label,
            self.para(text, style),
            label_width=label_width * self.geo.scale,
            size=size,
            label_para=self.para(label, "muted"),
        )

    def day(self, day: dt.date) -> str:
        """A day heading such as '10月12日 星期六 · Saturday 12 October'."""
        zh = f"{day.month}月{day.day}日 星期{WEEKDAYS_ZH[day.weekday()]}"
        en = f"{day:%A} {day.day} {day:%B}"
        return " · ".join(self.texts(zh, en))

    def short_day(self, when: dt.datetime) -> str:
        """A compact date and time such as '10月12日 周六 19:30'."""
        if self.options.lang == "en":
            return f"{when:%a} {when.day} {when:%b} {when:%H:%M}"
        return f"{when.month}月{when.day}日 周{WEEKDAYS_ZH[when.weekday()]} {when:%H:%M}"
