"""A show's as-run log as a PDF: planned against actual for every cue, and who pressed GO.

It takes plain data (any object shaped like `AsRunLog`, e.g. showcase.shows.asrun.AsRun), so this
package needs nothing from the shows package. Text goes through FontSet.markup (escaped, with
fallback fonts) and every style names the embedded font, as in the cue sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from showcase.programmes.cuesheet import ruled_table, table_pdf, table_styles
from showcase.programmes.fonts import FontSet

HEADINGS = ("Cue", "Item", "Planned start", "Actual start", "Planned", "Actual", "Over/under", "How", "GO by")
WIDTHS = (11 * mm, None, 24 * mm, 24 * mm, 17 * mm, 17 * mm, 24 * mm, 17 * mm, 38 * mm)


class AsRunRow(Protocol):
    cue: int
    kind: str
    title: str
    title_en: str
    mode: str
    planned_start: str
    actual_start: str
    planned_duration: str
    actual_duration: str
    over_under: str
    how: str
    started_by: str


class AsRunLog(Protocol):
    festival: str
    title: str
    title_en: str
    timezone: str
    date: str
    label: str
    rows: Sequence[AsRunRow]


def build_as_run(log: AsRunLog) -> bytes:
    """The as-run log as PDF bytes (A4 landscape, the table's heading repeated on every page)."""

    def story(fonts: FontSet, width: float) -> list:
        styles = table_styles(fonts, "asrun")
        return [*_heading(log, fonts, styles), _table(log, fonts, styles, width)]

    title = f"As run · {log.title}"
    return table_pdf(pagesize=landscape(A4), margin=12 * mm, title=title, author=log.festival, story=story)


def _heading(log: AsRunLog, fonts: FontSet, styles: dict) -> list:
    m = fonts.markup
    lines = [Paragraph(m(f"As run · {log.title}"), styles["title"])]
    if log.title_en:
        lines.append(Paragraph(m(log.title_en), styles["meta"]))
    lines.append(Paragraph(m(f"{log.festival} — {log.date} · {log.label} · times in {log.timezone}"), styles["meta"]))
    lines.append(Spacer(1, 4 * mm))
    return lines


def _table(log: AsRunLog, fonts: FontSet, styles: dict, width: float) -> Table:
    m = fonts.markup
    rows: list[list] = [[Paragraph(m(h), styles["head"]) for h in HEADINGS]]
    for row in log.rows:
        item = m(row.title or row.kind) + (f"<br/>{m(row.title_en)}" if row.title_en else "")
        cell = styles["cell"]
        rows.append(
            [
                Paragraph(str(row.cue), cell),
                [Paragraph(item, cell), Paragraph(m(f"{row.kind} · {row.mode}"), styles["small"])],
                Paragraph(m(row.planned_start), cell),
                Paragraph(m(row.actual_start), cell),
                Paragraph(m(row.planned_duration), cell),
                Paragraph(m(row.actual_duration), cell),
                Paragraph(m(row.over_under), styles["over"] if row.over_under.endswith("over") else cell),
                Paragraph(m(row.how), cell),
                Paragraph(m(row.started_by), cell),
            ]
        )
    return ruled_table(rows, widths=WIDTHS, width=width, fonts=fonts)
