"""Pure ordering rules: winners in ceremony order, and a running order turned into playlist items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from playlists.format import Item, Media
from playlists.prizes import prize_name

MODES = ("categories", "lowest_first", "highest_first")
RUNNING_KINDS = ("film", "award", "speech", "panel", "interval", "slate", "other")


class OrderingError(ValueError):
    """Input the rules cannot order: the message says which record and why."""


@dataclass(frozen=True)
class Award:
    """One award given to one film: its category, the category's display order, and placement (1 = first)."""

    category: str
    category_order: int
    placement: int
    film: str
    prize_name: str | None = None


@dataclass(frozen=True)
class AnnouncementGroup:
    """One announcement on stage and the films it names (several when a placement is shared)."""

    announcement: str
    category: str
    placement: int
    films: tuple[str, ...]


def ceremony_order(awards: Iterable[Award], *, mode: str = "categories") -> list[AnnouncementGroup]:
    """Group awards by (category, placement) and order the groups for the ceremony."""
    if mode not in MODES:
        raise OrderingError(f"unknown ceremony mode {mode!r}; expected one of {MODES}")
    groups: dict[tuple[str, int], list[Award]] = {}
    for award in awards:
        if award.placement < 1:
            raise OrderingError(f"award for {award.film!r} in {award.category!r}: placement must be >= 1")
        groups.setdefault((award.category, award.placement), []).append(award)
    ordered = sorted(groups.values(), key=lambda members: _sort_key(members[0], mode))
    return [_group(members) for members in ordered]


def _sort_key(award: Award, mode: str) -> tuple[int, int, str]:
    if mode == "categories":
        # within a category the lowest prize is announced first, the first prize last
        return (award.category_order, -award.placement, award.category)
    if mode == "lowest_first":
        return (-award.placement, award.category_order, award.category)
    return (award.placement, award.category_order, award.category)


def _group(members: list[Award]) -> AnnouncementGroup:
    first = members[0]
    films = tuple(dict.fromkeys(m.film for m in members))
    shared = len(films) > 1
    place = f"{first.prize_name}{' (shared)' if shared else ''}" if first.prize_name else None
    return AnnouncementGroup(
        announcement=f"{first.category} — {place or prize_name(first.placement, shared=shared).en}",
        category=first.category,
        placement=first.placement,
        films=films,
    )


@dataclass(frozen=True)
class RunningEntry:
    """One line of a running order: what happens, its title(s), planned seconds, and for films their media and
    listed runtime (seconds)."""

    key: str
    kind: str
    title: str
    seconds: float
    title_en: str | None = None
    text: str | None = None
    media: Media | None = None
    hold: float = 0.0
    runtime: float | None = None


def running_order_items(entries: Iterable[RunningEntry]) -> list[Item]:
    """Films play their media; everything else becomes a title card shown for its planned seconds."""
    items: list[Item] = []
    for entry in entries:
        if entry.kind not in RUNNING_KINDS:
            raise OrderingError(f"running order {entry.key!r}: unknown kind {entry.kind!r}")
        items.append(_film_item(entry) if entry.kind == "film" else _card_item(entry))
    return items


def _film_item(entry: RunningEntry) -> Item:
    if entry.media is None:
        raise OrderingError(f"running order {entry.key!r}: film {entry.title!r} has no media")
    return Item(
        key=entry.key,
        kind="film",
        title=entry.title,
        title_en=entry.title_en,
        media=entry.media,
        hold=entry.hold,
        runtime=entry.runtime,
    )


def _card_item(entry: RunningEntry) -> Item:
    if entry.seconds <= 0:
        raise OrderingError(f"running order {entry.key!r}: a {entry.kind} needs planned seconds > 0")
    text = entry.text or "\n".join(t for t in (entry.title, entry.title_en) if t)
    return Item(
        key=entry.key,
        kind="card",
        title=entry.title,
        title_en=entry.title_en,
        card_text=text,
        card_seconds=float(entry.seconds),
        hold=entry.hold,
    )


def ceremony_items(
    groups: Iterable[AnnouncementGroup], *, films: dict[str, Item], card_seconds: float = 5.0
) -> list[Item]:
    """Announcement card, then each named film, per group: the winners' screening as playlist items."""
    items: list[Item] = []
    for number, group in enumerate(groups, start=1):
        items.append(
            Item(
                key=f"announce-{number}",
                kind="card",
                title=group.announcement,
                card_text=group.announcement,
                card_seconds=card_seconds,
            )
        )
        for ref in group.films:
            if ref not in films:
                raise OrderingError(f"announcement {group.announcement!r}: no playlist item for film {ref!r}")
            items.append(films[ref])
    return items
