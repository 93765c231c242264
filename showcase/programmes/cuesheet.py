"""The cue sheet of one session as a PDF: cue number, clock time, item, duration, notes.

Every piece of text goes through FontSet.markup (escaped, with per-character fallback fonts), and
every style names the embedded font, so nothing falls back to unembedded Helvetica.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab import rl_config
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from showcase.programmes.fonts import FontSet, register_fonts
from showcase.schedule.cues import CueSheet

HEADINGS = ("Cue", "Clock", "Item", "Duration", "Starts", "Notes")
WIDTHS = (12 * mm, 20 * mm, None, 18 * mm, 26 * mm, 46 * mm)
LINE = Color(0.75, 0.75, 0.78)
SHADE = Color(0.95, 0.95, 0.96)
OVERRUN = Color(0.63, 0.11, 0.11)


def build_cue_sheet(sheet: CueSheet) -> bytes:
    """The cue sheet as PDF bytes (A4, the table's heading repeated on every page)."""

    def story(fonts: FontSet, width: float) -> list:
        styles = _styles(fonts)
        return [*_heading(sheet, fonts, styles), _table(sheet, fonts, styles, width)]

    return table_pdf(
        pagesize=A4, margin=14 * mm, title=f"Cue sheet · {sheet.title}", author=sheet.festival, story=story
    )


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


def _heading(sheet: CueSheet, fonts: FontSet, styles: dict) -> list:
    m = fonts.markup
    lines = [Paragraph(m(f"Cue sheet · {sheet.title}"), styles["title"])]
    if sheet.title_en and sheet.title_en != sheet.title:
        lines.append(Paragraph(m(sheet.title_en), styles["meta"]))
    place = " · ".join(p for p in (sheet.festival, sheet.where) if p)
    lines.append(Paragraph(m(f"{place} — {sheet.when} ({sheet.timezone})"), styles["meta"]))
    lines.append(Paragraph(m(f"Total {sheet.total} of a {sheet.slot} slot"), styles["meta"]))
    if sheet.overrun_minutes:
        lines.append(Paragraph(m(f"Overrun: {sheet.overrun_minutes} min over the slot"), styles["over"]))
    lines.append(Spacer(1, 4 * mm))
    return lines


def _table(sheet: CueSheet, fonts: FontSet, styles: dict, width: float) -> Table:
    m = fonts.markup
    rows = [[Paragraph(m(h), styles["head"]) for h in HEADINGS]]
    for row in sheet.rows:
        item = m(row.title or row.kind) + (f"<br/>{m(row.title_en)}" if row.title_en else "")
        rows.append(
            [
                Paragraph(str(row.cue), styles["cell"]),
                Paragraph(m(row.clock), styles["cell"]),
                [Paragraph(item, styles["cell"]), Paragraph(m(f"{row.kind} · {row.offset}"), styles["small"])],
                Paragraph(m(row.duration), styles["cell"]),
                [Paragraph(m(row.starts), styles["cell"]), *_hard_start(row.hard_start, fonts, styles)],
                Paragraph(m(row.notes).replace("\n", "<br/>"), styles["small"]),
            ]
        )
    if not sheet.rows:
        rows.append(["", "", Paragraph(m("The running order is empty."), styles["cell"]), "", "", ""])
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


def _hard_start(at: str, fonts: FontSet, styles: dict) -> list:
    return [Paragraph(fonts.markup(f"not before {at}"), styles["hard"])] if at else []


def folio(fonts: FontSet):
    """A page footer drawing the page number at the bottom right (shared by the as-run log)."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        fonts.draw(canvas, doc.pagesize[0] - doc.rightMargin, 8 * mm, f"{doc.page}", 8, align="right")
        canvas.restoreState()

    return draw
