"""The cue sheet of one session as a PDF: cue number, clock time, item, duration, notes.

Every piece of text goes through FontSet.markup (escaped, with per-character fallback fonts), and
every style names the embedded font, so nothing falls back to unembedded Helvetica.

Its words are English here (showcase.messages.N_); `build_cue_sheet` takes them through `words` and
`kinds` (plain English by default). `cue_sheet_words` gives those in the current language: the requesting
staff member's on the web, English on the command line unless `--language` forces another
(flask_babel.force_locale), so the PDF reads in one language.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from showcase.festivals.models import Festival
from showcase.i18n import translate, worded
from showcase.labels import label
from showcase.messages import N_, Message
from showcase.programmes.fonts import FontSet, register_fonts
from showcase.schedule.cues import CueSheet
from showcase.schedule.models import ScheduleSession

HEADINGS = (N_("Cue"), N_("Clock"), N_("Item"), N_("Duration"), N_("Starts"), N_("Notes"))
STARTS = {"manual": N_("GO"), "follow": N_("follows")}  # how a cue starts, as a stage manager says it
TITLE = N_("Cue sheet · %(title)s")
TOTAL = N_("Total %(total)s of a %(slot)s slot")
OVERRUN_TEXT = N_("Overrun: %(minutes)s min over the slot")
HARD_START = N_("not before %(time)s")
EMPTY = N_("The running order is empty.")
Words = Callable[[str], str]
WIDTHS = (15 * mm, 20 * mm, None, 18 * mm, 26 * mm, 43 * mm)  # a cue heading of 3 CJK characters fits
LINE = Color(0.75, 0.75, 0.78)
SHADE = Color(0.95, 0.95, 0.96)
OVERRUN = Color(0.63, 0.11, 0.11)


def build_cue_sheet(sheet: CueSheet, *, words: Words = str, kinds: Words = str, when: str = "") -> bytes:
    """The cue sheet as PDF bytes (A4, the table's heading repeated on every page), its words through `words`,
    its item kinds through `kinds`; `when` (the session's times worded in the same language) or the sheet's."""
    text = _Text(words, kinds, when or sheet.when)

    def story(fonts: FontSet, width: float) -> list:
        styles = _styles(fonts)
        return [*_heading(sheet, text, fonts, styles), _table(sheet, text, fonts, styles, width)]

    title = text.words(Message(TITLE, {"title": sheet.title}))
    return table_pdf(pagesize=A4, margin=14 * mm, title=title, author=sheet.festival, story=story)


def cue_sheet_words(festival: Festival, session: ScheduleSession) -> dict[str, Any]:
    """build_cue_sheet's words in the current language: headings and cue modes from the catalogue, item
    kinds by their labels, the session's day and times worded."""
    end = session.ends_at.astimezone(festival.zone)
    return {
        "words": translate,
        "kinds": lambda kind: label(kind, "item_kind"),
        "when": f"{worded(session.starts_at, 'day_year_time', festival)}–{end:%H:%M}",
    }


class _Text:
    """The words of one cue sheet, in the language the edge chose."""

    def __init__(self, words: Words, kinds: Words, when: str) -> None:
        self.words, self.kinds, self.when = words, kinds, when

    def __call__(self, template: str, **params: object) -> str:
        return self.words(Message(template, params) if params else template)


def table_pdf(
    *, pagesize: tuple[float, float], margin: float, title: str, author: str, story: Callable[[FontSet, float], list]
) -> bytes:
    """A one-table document (a cue sheet, an as-run log): the embedded fonts, the margins, a folio on every
    page; `story(fonts, width)` makes the flowables for the frame's width."""
    fonts = register_fonts()
    rl_config.useA85 = 0
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=author,
        creator="showcase",
        initialFontName=fonts.name,
        invariant=1,
    )
    doc.build(story(fonts, doc.width), onFirstPage=folio(fonts), onLaterPages=folio(fonts))
    return out.getvalue()


def table_styles(fonts: FontSet, name: str) -> dict[str, ParagraphStyle]:
    """The styles a one-table document shares: cell, small, head, title, meta, over."""
    base = ParagraphStyle(name, fontName=fonts.name, fontSize=9, leading=11.5)
    return {
        "cell": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=Color(0.35, 0.35, 0.38)),
        "head": ParagraphStyle("head", parent=base, textColor=white),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=20),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13),
        "over": ParagraphStyle("over", parent=base, textColor=OVERRUN),
    }


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    styles = table_styles(fonts, "cue")
    base = styles["cell"]
    styles["over"] = ParagraphStyle("over", parent=base, fontSize=9.5, leading=13, textColor=OVERRUN)
    styles["hard"] = ParagraphStyle("hard", parent=base, fontSize=7.5, leading=9.5, textColor=OVERRUN)
    return styles


def _heading(sheet: CueSheet, text: _Text, fonts: FontSet, styles: dict) -> list:
    m = fonts.markup
    lines = [Paragraph(m(text(TITLE, title=sheet.title)), styles["title"])]
    if sheet.title_en and sheet.title_en != sheet.title:
        lines.append(Paragraph(m(sheet.title_en), styles["meta"]))
    place = " · ".join(p for p in (sheet.festival, sheet.where) if p)
    lines.append(Paragraph(m(f"{place} — {text.when} ({sheet.timezone})"), styles["meta"]))
    lines.append(Paragraph(m(text(TOTAL, total=sheet.total, slot=sheet.slot)), styles["meta"]))
    if sheet.overrun_minutes:
        lines.append(Paragraph(m(text(OVERRUN_TEXT, minutes=sheet.overrun_minutes)), styles["over"]))
    lines.append(Spacer(1, 4 * mm))
    return lines


def _table(sheet: CueSheet, text: _Text, fonts: FontSet, styles: dict, width: float) -> Table:
    m = fonts.markup
    rows = [[Paragraph(m(text(h)), styles["head"]) for h in HEADINGS]]
    for row in sheet.rows:
        kind = text.kinds(row.kind)
        item = m(row.title or kind) + (f"<br/>{m(row.title_en)}" if row.title_en else "")
        starts = text(STARTS[row.cue_mode]) if row.cue_mode in STARTS else row.starts
        rows.append(
            [
                Paragraph(str(row.cue), styles["cell"]),
                Paragraph(m(row.clock), styles["cell"]),
                [Paragraph(item, styles["cell"]), Paragraph(m(f"{kind} · {row.offset}"), styles["small"])],
                Paragraph(m(row.duration), styles["cell"]),
                [Paragraph(m(starts), styles["cell"]), *_hard_start(row.hard_start, text, fonts, styles)],
                Paragraph(m(row.notes).replace("\n", "<br/>"), styles["small"]),
            ]
        )
    if not sheet.rows:
        rows.append(["", "", Paragraph(m(text(EMPTY)), styles["cell"]), "", "", ""])
    return ruled_table(rows, widths=WIDTHS, width=width, fonts=fonts)


def ruled_table(rows: list, *, widths: tuple, width: float, fonts: FontSet) -> Table:
    """The one-table documents' table: a dark heading repeated on every page, shaded rows, thin rules; the
    column whose width is None takes what the others leave of `width`."""
    fixed = sum(w for w in widths if w)
    table = Table(rows, colWidths=[w or width - fixed for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.name),
                ("BACKGROUND", (0, 0), (-1, 0), Color(0.11, 0.11, 0.13)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, SHADE]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _hard_start(at: str, text: _Text, fonts: FontSet, styles: dict) -> list:
    return [Paragraph(fonts.markup(text(HARD_START, time=at)), styles["hard"])] if at else []


def folio(fonts: FontSet):
    """A page footer drawing the page number at the bottom right (shared by the as-run log)."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        fonts.draw(canvas, doc.pagesize[0] - doc.rightMargin, 8 * mm, f"{doc.page}", 8, align="right")
        canvas.restoreState()

    return draw
