"""Loading the demo festival through the same services the staff use."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from showcase.auth.models import User
from showcase.auth.services import create_user, find_user
from showcase.awards.services import create_category, give_award
from showcase.demo import data
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.festivals.services import add_screen, add_venue, create_festival
from showcase.films import media
from showcase.films.models import Film
from showcase.films.services import add_credit, create_film, find_or_add_person
from showcase.kiosks.demo import load_demo_playback
from showcase.schedule.people import Entry
from showcase.schedule.services import add_person, append_item, create_session, local_to_utc
from showcase.schedule.winners import award_names

CLIP_SECONDS = 4


def make_clip(path: Path, *, hue: int, seconds: int = CLIP_SECONDS) -> None:
    """A short test-pattern clip with a tone, tinted so each film looks different."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.mp4")
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=640x360:rate=25:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={220 + hue}:duration={seconds}",
            "-vf",
            f"hue=h={hue}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "-movflags",
            "+faststart",
            str(tmp),
        ],
        check=True,
        timeout=120,
    )
    tmp.replace(path)


def _attach_clips(films: dict[str, Film], report: list[str]) -> None:
    """Give each demo film without media its clip; an existing file or assignment is never replaced."""
    missing = {key: film for key, film in films.items() if film.media_asset_id is None}
    if not missing:
        return
    if shutil.which("ffmpeg") is None:
        report.append("ffmpeg is not installed: demo films have no clips (install the Debian package ffmpeg).")
        return
    root = Path(current_app.config["MEDIA_ROOT"])
    hues = {key: n * 50 for n, key in enumerate(sorted(data_keys()))}
    for key, film in sorted(missing.items()):
        path = root / "demo" / f"{key}.mp4"
        if not path.exists():
            make_clip(path, hue=hues[key])
        film.media_asset_id = media.register(root, path).id
    report.append(f"{len(missing)} demo clips registered under {root / 'demo'}.")


def data_keys() -> list[str]:
    """The keys of the demo's films, which are also their slugs."""
    return [row[0] for row in data.FILMS]


def demo_external_id(key: str) -> str:
    """The submission id the demo gives the film with this key: how the loader knows its own films."""
    return f"DEMO-{key.upper()}"


def _own_films(festival: Festival) -> dict[str, Film]:
    """The films the demo loader created in its festival; films added by staff or an import are not touched."""
    wanted = {demo_external_id(key): key for key in data_keys()}
    films = db.session.scalars(select(Film).where(Film.festival_id == festival.id, Film.external_id.in_(list(wanted))))
    return {wanted[film.external_id]: film for film in films if film.slug == wanted[film.external_id]}


def _festival(base_url: str) -> Festival:
    festival = create_festival(**{**data.FESTIVAL, "public_base_url": base_url})
    venue = add_venue(festival, **data.VENUE)
    for name, name_en in data.SCREENS:
        add_screen(venue, name=name, name_en=name_en)
    return festival


def _films(festival: Festival) -> dict[str, Film]:
    films = {}
    for key, title, title_en, runtime, country, language, syn, syn_en, (name, name_en) in data.FILMS:
        film = create_film(
            festival,
            title=title,
            title_en=title_en,
            slug=key,
            runtime_seconds=runtime,
            country=country,
            language=language,
            synopsis=syn,
            synopsis_en=syn_en,
            year=festival.start_date.year,
            status="winner",
            subtitles="中文 / English",
            external_id=demo_external_id(key),
        )
        add_credit(film, find_or_add_person(name, name_en=name_en), role="director")
        films[key] = film
    return films


def _awards(festival: Festival, films: dict[str, Film]) -> list:
    awards = []
    for name, name_en, winners in data.AWARDS:
        category = create_category(festival, name=name, name_en=name_en)
        for key, placement, citation, citation_en in winners:
            awards.append(
                give_award(category, films[key], placement=placement, citation=citation, citation_en=citation_en)
            )
    return awards


def _at(festival: Festival, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    day = festival.start_date
    return local_to_utc(festival, datetime(day.year, day.month, day.day, hour, minute))


def _sessions(festival: Festival, films: dict[str, Film], awards: list) -> None:
    screens = festival.screens
    made = {}
    for kind, title, title_en, start, end, screen, public in data.SESSIONS:
        made[kind] = create_session(
            festival,
            kind=kind,
            title=title,
            title_en=title_en,
            public=public,
            starts_at=_at(festival, start),
            ends_at=_at(festival, end),
            screen_id=screens[screen].id if screen is not None else None,
        )
    panel = made["panel"]
    moderator = find_or_add_person(data.PANEL["moderator"][0], name_en=data.PANEL["moderator"][1])
    add_person(panel, moderator.id, role="moderator")
    for key in data.PANEL["speakers"]:
        add_person(panel, films[key].credits[0].person_id, role="speaker")
    # The ceremony's host and presenters are the session's people (what guests and the programme list)
    # and the people of the items they are on stage at (what the stage manager's cue list says).
    host = find_or_add_person(data.CEREMONY["host"][0], name_en=data.CEREMONY["host"][1])
    add_person(made["ceremony"], host.id, role="host")
    presenters = _presenters(awards)
    for person_id in dict.fromkeys(presenters.values()):
        add_person(made["ceremony"], person_id, role="presenter")
    _ceremony_running_order(made["ceremony"], awards, host=host, presenters=presenters)
    for film in films.values():
        append_item(
            made["screening"],
            kind="film",
            film_id=film.id,
            planned_seconds=film.runtime_seconds,
            title=film.title,
            title_en=film.title_en,
        )


def _ceremony_running_order(session, awards: list, *, host, presenters: dict[int, int]) -> None:
    hosting = [Entry(host.id, "host")]
    append_item(session, kind="slate", planned_seconds=60, title="开场", title_en="Opening titles", people=hosting)
    append_item(session, kind="speech", planned_seconds=300, title="主办方致辞", title_en="Welcome address")
    names = award_names(awards)  # the festival's one prize vocabulary
    # Lowest prize first, so the first prize comes last.
    for award in sorted(awards, key=lambda a: (-a.category.display_order, -a.placement)):
        append_item(
            session,
            kind="award",
            award_id=award.id,
            planned_seconds=120,
            people=[Entry(presenters[award.category_id], "presenter")],
            title=f"{award.category.name} · {names[award.id].zh}",
            title_en=f"{award.category.name_en} · {names[award.id].en}",
        )
        append_item(
            session,
            kind="film",
            film_id=award.film_id,
            planned_seconds=award.film.runtime_seconds,
            title=award.film.title,
            title_en=award.film.title_en,
        )
    append_item(session, kind="speech", planned_seconds=180, title="闭幕致辞", title_en="Closing words", people=hosting)


def _presenters(awards: list) -> dict[int, int]:
    """The presenter's person id for each award category, in the categories' display order."""
    categories = sorted({a.category for a in awards}, key=lambda c: (c.display_order, c.id))
    names = data.CEREMONY["presenters"]
    return {
        category.id: find_or_add_person(names[n % len(names)][0], name_en=names[n % len(names)][1]).id
        for n, category in enumerate(categories)
    }


def database_is_empty() -> bool:
    """True when no festival and no account exist: the only state in which start-up loads the demo."""
    return (
        db.session.scalar(select(Festival.id).limit(1)) is None and db.session.scalar(select(User.id).limit(1)) is None
    )


def load_demo(*, make_clips: bool = True, base_url: str = "http://127.0.0.1:5000") -> list[str]:
    """Load the demo festival unless it is there already; returns lines to print.

    On a database that has it, only the demo's own films that have no media get a clip: nothing
    else is read or changed, so running it again costs the same whatever the number of films.
    """
    report: list[str] = []
    festival = db.session.scalar(select(Festival).where(Festival.slug == data.FESTIVAL["slug"]))
    if festival is None:
        festival = _festival(base_url)
        films = _films(festival)
        _sessions(festival, films, _awards(festival, films))
        report.append(f"Demo festival {festival.name_en!r} loaded: {len(films)} films.")
    else:
        films = _own_films(festival)
        report.append(f"Demo festival {festival.slug!r} is already loaded.")
    if make_clips:
        _attach_clips(films, report)
    load_demo_playback(festival, report)
    return report


def ensure_admin(email: str) -> str | None:
    """Create the demo admin with a generated password (returned), or None if it exists."""
    if find_user(email):
        return None
    password = secrets.token_urlsafe(12)
    create_user(email=email, name="Demo admin", role="admin", password=password)
    return password
