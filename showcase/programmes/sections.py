"""Story builders: each section of the programme as a list of flowables."""

from __future__ import annotations

from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from showcase.programmes.data import Programme
from showcase.programmes.flowables import Marker
from showcase.programmes.layout import Context

MEDIA_WIDTH = 34 * mm  # QR symbol stays >= 2.5 cm wide even with its 4-module quiet zone


def section_start(ctx: Context, key: str) -> list[Flowable]:
    """A section heading that also names the section in the running head."""
    title = ctx.label(key)

    def mark(canv: object) -> None:
        canv._programme_section = title  # read by the page-end hook for the running head

    return [Marker(mark), ctx.para(title, "h1")]


def cover(ctx: Context, programme: Programme) -> list[Flowable]:
    """The cover: festival name in both languages over the colour band, then edition, dates, venues."""
    fest = programme.festival
    names = ctx.texts(fest.name, fest.name_en)
    story: list[Flowable] = [Spacer(1, ctx.geo.height * 0.16)]
    story.append(ctx.para(names[0], "cover"))
    story += [ctx.para(n, "cover_en") for n in names[1:]]
    story.append(Spacer(1, ctx.geo.height * 0.3))
    dates = f"{fest.start_date:%Y-%m-%d} – {fest.end_date:%Y-%m-%d}"
    if fest.start_date == fest.end_date:
        dates = f"{fest.start_date:%Y-%m-%d}"
    for line in (ctx.label("programme"), fest.edition, dates, " · ".join(fest.venues)):
        if line:
            story.append(ctx.para(line, "cover_meta"))
    return [*story, NextPageTemplate("body"), PageBreak()]


def welcome(ctx: Context, programme: Programme) -> list[Flowable]:
    """The welcome text, if any, in the chosen language(s)."""
    fest = programme.festival
    texts = ctx.texts(fest.welcome, fest.welcome_en)
    if not texts:
        return []
    story = section_start(ctx, "welcome")
    for text in texts:
        story += paragraphs(ctx, text, "body")
        story.append(Spacer(1, 8))
    return [*story, PageBreak()]


def paragraphs(ctx: Context, text: str, style: str) -> list[Flowable]:
    """Blank-line separated paragraphs, each its own (splittable) Paragraph."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [ctx.para(p, style) for p in parts if p]


def bilingual(ctx: Context, zh: str, en: str) -> str:
    """zh and en joined for one line, as the chosen language allows."""
    return " / ".join(ctx.texts(zh, en))


def schedule(ctx: Context, programme: Programme) -> list[Flowable]:
    """Public sessions grouped by day, then by screen, in time order."""
    if not programme.sessions:
        return []
    story = section_start(ctx, "schedule")
    ordered = sorted(programme.sessions, key=lambda s: (s.day, s.screen, s.start))
    for day, by_day in groupby(ordered, key=lambda s: s.day):
        story += [CondPageBreak(60 * ctx.geo.scale), ctx.para(ctx.day(day), "h2")]
        for screen, by_screen in groupby(by_day, key=lambda s: s.screen):
            story.append(ctx.para(screen, "h3"))
            for s in by_screen:
                line = bilingual(ctx, s.title, s.title_en) + (f"  ({s.kind})" if s.kind else "")
                story += ctx.row(f"{s.start:%H:%M}–{s.end:%H:%M}", line, "body", label_width=62)
                for on_stage in s.people:
                    story += ctx.row("", on_stage, "small", label_width=62)
    return [*story, PageBreak()]


def awards(ctx: Context, programme: Programme) -> list[Flowable]:
    """Award categories with their winners in ceremony order (shared placements stay together)."""
    if not programme.categories:
        return []
    titles = {f.code: bilingual(ctx, f.title, f.title_en) for f in programme.films}
    story = section_start(ctx, "awards")
    for cat in programme.categories:
        story += [CondPageBreak(50 * ctx.geo.scale), ctx.para(bilingual(ctx, cat.name, cat.name_en), "h2")]
        if not cat.winners:
            story.append(ctx.para(ctx.label("no_winners"), "muted"))
        by_place = groupby(sorted(cat.winners, key=lambda a: a.placement), key=lambda a: a.placement)
        for _, tied in by_place:  # shared placements print their label once, then every film
            tied = list(tied)
            story.append(ctx.para(bilingual(ctx, tied[0].placement_label, tied[0].placement_label_en), "label"))
            for award in tied:
                story.append(ctx.para(titles.get(award.film_code, award.film_code), "body"))
                story += [ctx.para(c, "muted") for c in ctx.texts(award.citation, award.citation_en)]
    return [*story, PageBreak()]
