"""The demo festival loaded and written to PDF: embargo, public sessions, withdrawn films, fonts, QR codes."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import event, select

from showcase.demo import data as demo_data
from showcase.programmes import qr
from showcase.programmes.data import ProgrammeError, ProgrammeOptions
from showcase.programmes.layout import PROOF_TEXT
from showcase.programmes.loading import load_programme, programme_films
from showcase.programmes.writing import font_specs, write_programme
from tests.showcase.programmes.support import decode_qr, page_texts, squash

REVEALED_CITATION = "For lighting a shared homesickness with private memory."  # fireworks, first prize
EMBARGOED_CITATIONS = (
    "For the most wondrous journey from the humblest hero.",
    "For moving images of the ethics of memory.",
)
WITHDRAWN = "echo-factory"  # the only Best Sound Design winner, in both public running orders


def _film(slug: str):
    from showcase.extensions import db
    from showcase.films.models import Film

    return db.session.scalar(select(Film).where(Film.slug == slug))


def _award(slug: str):
    from showcase.awards.models import Award
    from showcase.extensions import db

    return db.session.scalar(select(Award).where(Award.film_id == _film(slug).id))


@pytest.fixture
def festival(demo, ctx):
    """The demo with one award revealed, one revealed only tomorrow, and one winner withdrawn."""
    from showcase.db import utcnow
    from showcase.extensions import db
    from showcase.festivals.services import get_festival

    _award("fireworks").revealed_at = utcnow() - timedelta(hours=1)
    _award("seventh-dawn").revealed_at = utcnow() + timedelta(days=1)  # set, but still in the future
    _film(WITHDRAWN).status = "withdrawn"
    db.session.commit()
    return get_festival("ai-shorts-2026")


def build(app, festival, tmp_path: Path, **options):
    programme = load_programme(festival, options=ProgrammeOptions(**options), upload_root=app.config["UPLOAD_ROOT"])
    pdf = tmp_path / "programme.pdf"
    written = write_programme(programme, pdf, fonts=font_specs(app.config["PROGRAMME_FONT_PATH"]))
    return programme, pdf, written


def demo_titles(*, withdrawn: bool = False) -> list[tuple[str, str]]:
    return [(f[1], f[2]) for f in demo_data.FILMS if (f[0] == WITHDRAWN) == withdrawn]


def test_every_demo_film_is_printed_in_both_languages_and_the_withdrawn_one_is_not(app, festival, tmp_path):
    programme, pdf, written = build(app, festival, tmp_path)
    text = squash("".join(page_texts(pdf)))
    for title, title_en in demo_titles():
        assert squash(title) in text and squash(title_en) in text
    for title, title_en in demo_titles(withdrawn=True):
        assert squash(title) not in text and squash(title_en) not in text
    assert len(programme.films) == len(demo_data.FILMS) - 1
    assert written.stats.pages == len(PdfReader(str(pdf)).pages)


def test_embargoed_winners_are_absent_by_default(app, festival, tmp_path):
    programme, pdf, _ = build(app, festival, tmp_path)
    pages = page_texts(pdf)
    text = squash("".join(pages))
    assert squash(REVEALED_CITATION) in text and squash("一等奖 / First prize") in text
    for hidden in (*EMBARGOED_CITATIONS, "Second prize", "Third prize", "Winner"):
        assert squash(hidden) not in text
    assert squash("Best Visual Design") in text and squash("To be announced") in text  # category, no winner yet
    assert not any(PROOF_TEXT in page for page in pages)
    assert [len(f.awards) for f in programme.films].count(1) == 1  # only the revealed first prize


def test_proof_prints_every_winner_and_is_marked_on_every_page(app, festival, tmp_path):
    programme, pdf, _ = build(app, festival, tmp_path, proof=True)
    pages = page_texts(pdf)
    text = squash("".join(pages))
    for shown in (
        REVEALED_CITATION,
        *EMBARGOED_CITATIONS,
        "二等奖（并列） / Second prize (shared)",
        "三等奖（并列） / Third prize (shared)",
        "获奖 / Winner — 最佳视觉设计 / Best Visual Design",
    ):
        assert squash(shown) in text, shown
    assert all(PROOF_TEXT in page for page in pages)
    sound = next(c for c in programme.categories if c.name_en == "Best Sound Design")
    assert sound.winners == ()  # its only winner was withdrawn


def test_private_sessions_are_not_printed(app, festival, tmp_path):
    programme, pdf, _ = build(app, festival, tmp_path)
    text = squash("".join(page_texts(pdf)))
    assert squash("Technical rehearsal") not in text and squash("技术彩排") not in text
    for _kind, title, title_en, *_rest, public in demo_data.SESSIONS:
        if public:
            assert squash(title) in text and squash(title_en) in text
    assert len(programme.sessions) == sum(1 for s in demo_data.SESSIONS if s[-1])
    session = programme.sessions[0]
    assert session.start.utcoffset() == timedelta(hours=8) and f"{session.start:%H:%M}" == "14:00"
    assert session.screen == "浦江影视中心 · 一号厅 / Pujiang Film Centre · Hall 1"


def test_film_selection_and_screenings(app, festival, ctx):
    from showcase.extensions import db
    from showcase.films.services import create_film
    from showcase.schedule.models import ScheduleSession
    from showcase.schedule.services import append_item

    chosen = create_film(
        festival, title="入选", title_en="Selected only", slug="sel", runtime_seconds=60, status="selected"
    )
    hidden = create_film(festival, title="未入选", title_en="Only in rehearsal", slug="reh", runtime_seconds=60)
    rehearsal = db.session.scalar(select(ScheduleSession).where(ScheduleSession.public.is_(False)))
    append_item(rehearsal, kind="film", film_id=hidden.id, planned_seconds=60)
    db.session.commit()
    programme = load_programme(festival, options=ProgrammeOptions(), upload_root=None)
    by_code = {f.code: f for f in programme.films}
    assert chosen.code in by_code and hidden.code not in by_code
    assert by_code[chosen.code].screenings == ()
    fireworks = by_code[_film("fireworks").code]
    assert [f"{s.start:%H:%M}" for s in fireworks.screenings] == ["14:00", "15:45"]  # ceremony, showcase
    assert fireworks.credits == (("导演 Director", "Chen Youxue"),)
    assert [f.code for f in programme_films(festival)] == [f.code for f in programme.films]


def test_page_order_does_not_give_away_the_ceremony_order(app, festival, ctx):
    programme = load_programme(festival, options=ProgrammeOptions(proof=True), upload_root=None)
    titles = [f.title_en for f in programme.films]
    assert titles == sorted(titles, key=str.casefold)


def test_english_only_programme_leaves_chinese_out(app, festival, tmp_path):
    _, pdf, _ = build(app, festival, tmp_path, lang="en")
    text = squash("".join(page_texts(pdf)))
    for title, title_en in demo_titles():
        assert squash(title_en) in text and squash(title) not in text
    assert "China" in text and "中国" not in text and "普通话" not in text  # bilingual one-field values cut


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("中国 China", "en", "China"),
        ("中国 China", "zh", "中国"),
        ("中国 China", "both", "中国 China"),
        ("无对白 No dialogue", "en", "No dialogue"),
        ("China", "zh", "China"),
        ("中国", "en", "中国"),
    ],
)
def test_one_field_bilingual_values(value, lang, expected):
    from showcase.programmes.loading import one_language

    assert one_language(value, lang) == expected


def test_every_font_is_embedded(app, festival, tmp_path):
    _, pdf, _ = build(app, festival, tmp_path, proof=True)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), out


def test_every_film_qr_decodes_to_its_guest_page(app, festival, tmp_path):
    programme, pdf, written = build(app, festival, tmp_path)
    for film in programme.films:
        url = f"{festival.public_base_url}/f/{film.code}"
        assert decode_qr(pdf, written.stats.film_pages[film.code], tmp_path) == [url]
        assert url.split("://")[1] in page_texts(pdf)[written.stats.film_pages[film.code] - 1]


def test_poster_thumbnail_is_printed_from_a_jpeg_cache(app, festival, tmp_path):
    from showcase.extensions import db
    from showcase.films.posters import store_poster
    from showcase.programmes.loading import poster_folders

    image = io.BytesIO()
    Image.new("RGB", (1200, 1800), (20, 60, 120)).save(image, "JPEG")
    film = _film("tree")
    film.poster_path = store_poster(Path(app.config["UPLOAD_ROOT"]), image.getvalue())
    db.session.commit()
    thumb = Path(app.config["UPLOAD_ROOT"]) / "posters" / "thumbs" / film.poster_path
    folders = poster_folders(app.config, str(tmp_path / "instance"))
    programme = load_programme(festival, options=ProgrammeOptions(), **folders)
    assert [f.poster_path for f in programme.films if f.poster_path] == [str(thumb)]
    assert programme.poster_cache == folders["cache_dir"]
    sizes = []
    for run in range(2):  # the first build converts and keeps the JPEG, the second reads it as it is
        pdf = tmp_path / f"programme-{run}.pdf"
        written = write_programme(programme, pdf)
        kept = list(Path(folders["cache_dir"]).iterdir())
        assert len(kept) == 1 and Image.open(kept[0]).format == "JPEG"
        images = PdfReader(str(pdf)).pages[written.stats.film_pages[film.code] - 1].images
        assert len(images) == 1 and images[0].image.format == "JPEG"
        sizes.append((images[0].image.size, kept[0].stat().st_mtime_ns))
    assert sizes[0] == sizes[1] and max(sizes[0][0]) <= 643


def test_a_damaged_thumbnail_is_reported_not_fatal(app, festival, tmp_path):
    from showcase.extensions import db
    from showcase.programmes.loading import poster_folders

    film = _film("tree")
    film.poster_path = "0123456789abcdef.webp"
    thumb = Path(app.config["UPLOAD_ROOT"]) / "posters" / "thumbs" / film.poster_path
    thumb.parent.mkdir(parents=True)
    thumb.write_bytes(b"RIFF not really a webp")
    db.session.commit()
    folders = poster_folders(app.config, str(tmp_path / "instance"))
    programme = load_programme(festival, options=ProgrammeOptions(), **folders)
    assert [f.poster_path for f in programme.films if f.poster_path] == [str(thumb)]
    written = write_programme(programme, tmp_path / "programme.pdf")
    assert len(written.stats.warnings) == 1 and film.code in written.stats.warnings[0]
    assert list(Path(folders["cache_dir"]).iterdir()) == []  # no half-written cache file


def test_a_bigger_festival_takes_no_more_queries(app, festival, ctx):
    from showcase.extensions import db
    from showcase.films.services import add_credit, create_film, find_or_add_person

    def count() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            load_programme(festival, options=ProgrammeOptions(proof=True), upload_root=None)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    db.session.expire_all()
    before = count()
    for i in range(30):
        film = create_film(
            festival, title=f"片{i}", title_en=f"Film {i}", slug=f"f{i}", runtime_seconds=60, status="selected"
        )
        add_credit(film, find_or_add_person(f"人{i}", name_en=f"Person {i}"), role="writer")
    db.session.commit()
    db.session.expire_all()
    after = count()
    assert after == before <= 15


def test_booklet_is_imposed_two_up(app, festival, tmp_path):
    _, pdf, written = build(app, festival, tmp_path, booklet=True, bleed_mm=3)
    reader = PdfReader(str(pdf))
    assert written.sheets == len(reader.pages) == -(-written.stats.pages // 4) * 2
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)


def test_no_public_base_url_is_a_clear_error(app, festival, ctx):
    festival.public_base_url = ""
    with pytest.raises(ProgrammeError, match="public base URL"):
        load_programme(festival, options=ProgrammeOptions(), upload_root=None)


def test_qr_url_uses_the_stable_code(app, festival, ctx):
    from showcase.programmes.loading import film_qr_url

    film = _film("tree")
    before = film_qr_url(festival, film)
    film.title_en, film.slug = "Renamed", "renamed"
    assert film_qr_url(festival, film) == before == qr.film_url(festival.public_base_url, film.code)
