"""Playlist drafts: built from a running order or from the award results, then edited by staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from playlists.ordering import RUNNING_KINDS
from showcase.audit.services import record, snapshot
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.kiosks.models import Playlist, PlaylistItem
from showcase.messages import N_
from showcase.schedule.models import ScheduleSession
from showcase.schedule.timing import move_item
from showcase.schedule.winners import winner_drafts
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

DEFAULT_CARD_SECONDS = 5.0
MAX_SECONDS = 6 * 3600.0
SOURCES = ("session", "awards", "manual", "show")  # show: kept in step with a session's live show


def list_playlists(festival: Festival) -> list[Playlist]:
    """The festival's playlists, newest first."""
    return list(
        db.session.scalars(select(Playlist).where(Playlist.festival_id == festival.id).order_by(Playlist.id.desc()))
    )


def get_playlist(festival: Festival, playlist_id: int) -> Playlist:
    """One playlist of this festival; NotFound otherwise."""
    playlist = db.session.get(Playlist, playlist_id)
    if playlist is None or playlist.festival_id != festival.id:
        raise NotFound(N_("No such playlist in this festival."))
    return playlist


def _titles(checker: Checker, title: str, title_en: str) -> tuple[str, str]:
    return (
        checker.text("title", title, label=N_("Title"), max_length=300),
        checker.text("title_en", title_en, label=N_("English title"), max_length=300, required=False),
    )


def create_playlist(festival: Festival, *, title: str, title_en: str = "", actor: User | None = None) -> Playlist:
    """An empty playlist, to fill with title cards (and films from other playlists' sources)."""
    checker = Checker()
    title, title_en = _titles(checker, title, title_en)
    checker.done()
    playlist = Playlist(festival_id=festival.id, title=title, title_en=title_en, source="manual")
    db.session.add(playlist)
    db.session.flush()
    record(actor=actor, action="create", entity=playlist, after=snapshot(playlist))
    return playlist


def playlist_from_session(festival: Festival, session_id: int, *, actor: User | None = None) -> Playlist:
    """A playlist following a session's running order: films play, everything else is a title card."""
    session = db.session.get(ScheduleSession, session_id)
    if session is None or session.festival_id != festival.id:
        raise ValidationFailed({"session_id": N_("Choose a session of this festival.")})
    if not session.items:
        raise ValidationFailed({"session_id": N_("“%(title)s” has no running order yet.", title=session.title)})
    playlist = Playlist(
        festival_id=festival.id, title=session.title, title_en=session.title_en, source="session", session_id=session.id
    )
    for position, entry in enumerate(session.items):
        playlist.items.append(PlaylistItem(**_entry_values(entry, position)))
    db.session.add(playlist)
    db.session.flush()
    record(actor=actor, action="create", entity=playlist, after={**snapshot(playlist), "from_session": session.id})
    return playlist


def playlist_from_awards(festival: Festival, *, mode: str, actor: User | None = None) -> Playlist:
    """The winners' screening in ceremony order: an announcement card, then the film(s) it names."""
    # The ordering rule lives in playlists.ordering; schedule.winners adapts our awards to it.
    drafts = winner_drafts(festival, mode=mode)
    if not drafts:
        raise ValidationFailed({"mode": N_("This festival has no awards yet.")})
    playlist = Playlist(
        festival_id=festival.id,
        title=f"{festival.name} · 获奖影片",
        title_en=f"{festival.name_en or festival.name} · Winners",
        source="awards",
    )
    films = {award_film.id: award_film for award_film in _films_of(festival, {d.film_id for d in drafts})}
    for position, draft in enumerate(drafts):
        film = films.get(draft.film_id) if draft.film_id else None
        seconds = draft.planned_seconds if draft.kind == "film" else DEFAULT_CARD_SECONDS
        playlist.items.append(
            _item(draft.kind, position=position, film=film, title=draft.title, title_en=draft.title_en, seconds=seconds)
        )
    db.session.add(playlist)
    db.session.flush()
    record(actor=actor, action="create", entity=playlist, after={**snapshot(playlist), "from_awards": mode})
    return playlist


def _films_of(festival: Festival, ids: set[int | None]) -> list:
    wanted = {i for i in ids if i is not None}
    return list(db.session.scalars(select(Film).where(Film.festival_id == festival.id, Film.id.in_(wanted))))


def show_playlist(session: ScheduleSession, *, actor: User | None = None) -> Playlist:
    """The playlist a session's live show puts on its screen (source "show"): one item per cue, kept in step
    with the running order by position, so an item keeps its key across versions.

    A film cue whose film has no file yet becomes a card with its title: the GO must never fail for it.
    """
    playlist = db.session.scalar(select(Playlist).where(Playlist.source == "show", Playlist.session_id == session.id))
    if playlist is None:
        playlist = Playlist(festival_id=session.festival_id, title=session.title, source="show", session_id=session.id)
        db.session.add(playlist)
        db.session.flush()
        record(actor=actor, action="create", entity=playlist, after={"source": "show", "session_id": session.id})
    playlist.title, playlist.title_en = session.title, session.title_en
    rows = list(playlist.items)
    for position, entry in enumerate(session.items):
        values = _entry_values(entry, position)
        if values["kind"] == "film" and (entry.film is None or entry.film.media_asset is None):
            values["kind"] = "slate"
        if position < len(rows):
            for name, value in values.items():
                setattr(rows[position], name, value)
        else:
            playlist.items.append(PlaylistItem(**values))
    del playlist.items[len(session.items) :]
    db.session.flush()
    return playlist


def _entry_values(entry, position: int) -> dict:
    """A running-order line as a playlist item's fields."""
    return _item_values(
        entry.kind,
        position=position,
        film=entry.film,
        title=entry.title,
        title_en=entry.title_en,
        seconds=entry.planned_seconds,
    )


def _item(kind: str, *, position: int, film, title: str, title_en: str, seconds: float) -> PlaylistItem:
    return PlaylistItem(
        **_item_values(kind, position=position, film=film, title=title, title_en=title_en, seconds=seconds)
    )


def _item_values(kind: str, *, position: int, film, title: str, title_en: str, seconds: float) -> dict:
    if kind == "film" and film is not None:
        title, title_en = title or film.title, title_en or film.title_en
    if kind != "film" and seconds <= 0:
        seconds = DEFAULT_CARD_SECONDS  # a running-order cue with no planned time still needs a visible card
    return {
        "kind": kind if kind in RUNNING_KINDS else "other",
        "position": position,
        "film": film,
        "title": title or "",
        "title_en": title_en or "",
        "seconds": float(seconds),
    }


def get_item(playlist: Playlist, item_id: int) -> PlaylistItem:
    """An item of this playlist's draft; NotFound otherwise."""
    item = next((i for i in playlist.items if i.id == item_id), None)
    if item is None:
        raise NotFound(N_("No such item in this playlist."))
    return item


def _seconds(checker: Checker, field: str, value: float | None, *, label: str, minimum: float) -> float:
    if value is None or not minimum <= value <= MAX_SECONDS:
        checker.fail(
            field,
            N_(
                "%(label)s must be a number of seconds from %(minimum)s to %(max_seconds)s.",
                label=label,
                minimum=format(minimum, "g"),
                max_seconds=format(MAX_SECONDS, "g"),
            ),
        )
        return 0.0
    return float(value)


def add_card(
    playlist: Playlist,
    *,
    title: str,
    title_en: str = "",
    text: str = "",
    seconds: float | None,
    hold: float | None = 0.0,
    actor: User | None = None,
) -> PlaylistItem:
    """Append a title card (a slate) shown for `seconds`."""
    checker = Checker()
    title, title_en = _titles(checker, title, title_en)
    text = checker.text("text", text, label=N_("Card text"), max_length=2000, required=False)
    seconds = _seconds(checker, "seconds", seconds, label=N_("Seconds on screen"), minimum=1)
    hold = _seconds(checker, "hold", hold, label=N_("Hold"), minimum=0)
    checker.done()
    item = PlaylistItem(
        kind="slate",
        position=len(playlist.items),
        title=title,
        title_en=title_en,
        text=text,
        seconds=seconds,
        hold=hold,
    )
    playlist.items.append(item)
    db.session.flush()
    record(actor=actor, action="add_card", entity=playlist, after=snapshot(item))
    return item


def update_item(
    playlist: Playlist,
    item_id: int,
    *,
    hold: float | None,
    seconds: float | None = None,
    text: str | None = None,
    actor: User | None = None,
) -> PlaylistItem:
    """Set an item's hold (all items) and a card's seconds and text."""
    item = get_item(playlist, item_id)
    before = snapshot(item)
    checker = Checker()
    item_hold = _seconds(checker, "hold", hold, label=N_("Hold"), minimum=0)
    if item.kind != "film":
        item_seconds = _seconds(checker, "seconds", seconds, label=N_("Seconds on screen"), minimum=1)
        item_text = checker.text("text", text, label=N_("Card text"), max_length=2000, required=False)
    checker.done()
    item.hold = item_hold
    if item.kind != "film":
        item.seconds, item.text = item_seconds, item_text
    db.session.flush()
    record(actor=actor, action="update_item", entity=playlist, before=before, after=snapshot(item))
    return item


def move(playlist: Playlist, item_id: int, *, direction: str, actor: User | None = None) -> None:
    """Move an item one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationFailed({"direction": N_("Move an item up or down.")})
    items = list(playlist.items)
    index = items.index(get_item(playlist, item_id))
    target = max(index - 1, 0) if direction == "up" else min(index + 1, len(items) - 1)
    _renumber(playlist, move_item(items, index, target=target))
    record(actor=actor, action="move_item", entity=playlist, after={"item": item_id, "to": target})


def remove_item(playlist: Playlist, item_id: int, *, actor: User | None = None) -> None:
    """Take an item out of the draft."""
    item = get_item(playlist, item_id)
    before = snapshot(item)
    _renumber(playlist, [i for i in playlist.items if i is not item])  # delete-orphan deletes it at this flush
    record(actor=actor, action="remove_item", entity=playlist, before=before)


def _renumber(playlist: Playlist, ordered: list[PlaylistItem]) -> None:
    for position, item in enumerate(ordered):
        item.position = position
    playlist.items[:] = ordered
    db.session.flush()


def item_seconds(item: PlaylistItem) -> float:
    """How long an item shows: a card's seconds, a film's media duration (or its runtime)."""
    if item.kind != "film":
        return item.seconds
    film = item.film
    if film is not None and film.media_asset is not None and film.media_asset.duration_seconds:
        return float(film.media_asset.duration_seconds)
    return float(film.runtime_seconds) if film is not None else item.seconds


def total_seconds(playlist: Playlist) -> float:
    """Every item's time plus every hold."""
    return sum(item_seconds(item) + item.hold for item in playlist.items)
