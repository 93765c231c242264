"""Film pages and the index of films."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ImageAndFlowables, PageBreak

from showcase.messages import N_
from showcase.programmes import qr
from showcase.programmes.data import Programme, ProgrammeAward, ProgrammeFilm
from showcase.programmes.flowables import FilmMedia, Marker, Row, lazy_poster
from showcase.programmes.layout import Context
from showcase.programmes.sections import bilingual, paragraphs, section_start

MEDIA_WIDTH = 34 * mm  # the QR symbol stays >= 2.5 cm wide inside its 4-module quiet zone


def film_pages(ctx: Context, programme: Programme) -> list[Flowable]:
    """One page per film (longer films flow on), each starting on a new page."""
    story: list[Flowable] = []
    ctx.films = len(programme.films)
    ctx.posters.prefetch(f.poster_path for f in programme.films if f.poster_path)
    for i, film in enumerate(programme.films):
        if i:
            story.append(PageBreak())
        else:
            story += section_start(ctx, "films")[:1]  # running head only; the film title is the heading
        story += film_story(ctx, film, programme.festival.public_base_url)
    return [*story, PageBreak()] if story else []


def _anchor(ctx: Context, film: ProgrammeFilm) -> Marker:
    def place(canv) -> None:
        ctx.film_pages.setdefault(film.code, canv.getPageNumber())
        key = f"film-{len(ctx.film_pages)}"
        if ctx.progress is not None:
            ctx.progress(len(ctx.film_pages), ctx.films, N_("Laying out the film pages"))
        canv.bookmarkPage(key)
        canv.addOutlineEntry(film.title_en or film.title, key, level=0)

    return Marker(place)


def film_story(ctx: Context, film: ProgrammeFilm, base_url: str) -> list[Flowable]:
    """Titles and facts, then the poster and QR column with awards, screenings, credits and synopsis."""
    titles = ctx.texts(film.title, film.title_en)
    head: list[Flowable] = [_anchor(ctx, film), ctx.para(titles[0], "title")]
    head += [ctx.para(t, "title_en") for t in titles[1:]]
    facts = _facts(ctx, film)
    if facts:
        head.append(ctx.para(facts, "meta"))
    body = _awards(ctx, film.awards) + _screenings(ctx, film) + _credits(ctx, film)
    synopses = ctx.texts(film.synopsis, film.synopsis_en)
    if synopses and body:
        body.append(ctx.para(ctx.label("synopsis"), "label"))
    for text in synopses:
        body += paragraphs(ctx, text, "body")
    if not film.poster_path and not ctx.options.qr:
        return head + body
    poster = lazy_poster(ctx.posters, film.poster_path, lambda problem: ctx.warnings.append(f"{film.code}: {problem}"))
    url = qr.film_url(base_url, film.code)
    media = FilmMedia(ctx.fonts, url, width=MEDIA_WIDTH, poster=poster, qr_on=ctx.options.qr)
    return [
        *head,
        ImageAndFlowables(media, body or [Flowable()], imageSide="right", imageLeftPadding=12, imageRightPadding=0),
    ]


def _facts(ctx: Context, film: ProgrammeFilm) -> str:
    parts = []
    if film.runtime_seconds:
        minutes = max(1, round(film.runtime_seconds / 60))
        parts.append(f"{minutes}分钟" if ctx.options.lang == "zh" else f"{minutes} min")
    parts += [p for p in (film.country, str(film.year or ""), film.language) if p]
    return " · ".join(parts)


def _awards(ctx: Context, awards: tuple[ProgrammeAward, ...]) -> list[Flowable]:
    lines = [
        bilingual(ctx, a.placement_label, a.placement_label_en) + " — " + bilingual(ctx, a.category, a.category_en)
        for a in sorted(awards, key=lambda a: a.placement)
    ]
    return [ctx.para(line, "award") for line in lines]


def _screenings(ctx: Context, film: ProgrammeFilm) -> list[Flowable]:
    if not film.screenings:
        return []
    story: list[Flowable] = [ctx.para(ctx.label("screenings"), "label")]
    story += [
        ctx.para(f"{ctx.short_day(s.start)} · {s.screen}", "small")
        for s in sorted(film.screenings, key=lambda s: s.start)
    ]
    return story


def _credits(ctx: Context, film: ProgrammeFilm) -> list[Flowable]:
    if not film.credits:
        return []
    story: list[Flowable] = [ctx.para(ctx.label("credits"), "label")]
    for role, name in film.credits:
        story += ctx.row(role, name, "small", label_width=30 * mm)
    return story


def film_index(ctx: Context, programme: Programme) -> list[Flowable]:
    """Films in title order with their page numbers (placed last, so the numbers are known)."""
    if not programme.films:
        return []

    def key(film: ProgrammeFilm) -> str:
        return (film.title if ctx.options.lang == "zh" else film.title_en or film.title).casefold()

    story = section_start(ctx, "index")
    size = ctx.style["body"].fontSize
    for film in sorted(programme.films, key=key):
        story.append(
            Row(
                ctx.fonts,
                "",
                ctx.para(bilingual(ctx, film.title, film.title_en), "body"),
                label_width=0,
                size=size,
                note_width=28,
                note=_page_of(ctx, film.code),
            )
        )
    return story


def _page_of(ctx: Context, code: str):
    return lambda: str(ctx.film_pages.get(code, ""))
