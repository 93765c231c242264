"""Award categories and winners, and the embargo that keeps winners hidden until revealed.

Embargo contract: an award is visible to guests iff `revealed_at` is set and not in the future.
Guest pages and the printed programme read winners only through `public_awards_for_films` and
`public_categories`, and whether running orders may show with `results_embargoed`; which films are public is
`showcase.schedule.public.public_film` (it also reads running orders); the staff pages read everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased, selectinload

from showcase.audit.services import record, snapshot
from showcase.awards.models import Award, AwardCategory
from showcase.db import chunked, utcnow
from showcase.errors import NotFound
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.messages import N_
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

MAX_PLACEMENT = 99


def _category_values(checker: Checker, *, name: str, name_en: str, description: str) -> dict[str, str]:
    return {
        "name": checker.text("name", name, label=N_("Category name"), max_length=200),
        "name_en": checker.text("name_en", name_en, label=N_("English name"), max_length=200, required=False),
        "description": checker.text(
            "description", description, label=N_("Description"), max_length=5000, required=False
        ),
    }


def create_category(
    festival: Festival, *, name: str, name_en: str = "", description: str = "", actor: User | None = None
) -> AwardCategory:
    """Add an award category after the existing ones."""
    checker = Checker()
    values = _category_values(checker, name=name, name_en=name_en, description=description)
    checker.done()
    last = db.session.scalar(
        select(func.max(AwardCategory.display_order)).where(AwardCategory.festival_id == festival.id)
    )
    category = AwardCategory(festival_id=festival.id, display_order=(last or 0) + 1, **values)
    db.session.add(category)
    db.session.flush()
    record(actor=actor, action="create", entity=category, after=snapshot(category))
    return category


def update_category(
    category: AwardCategory, *, name: str, name_en: str = "", description: str = "", actor: User | None = None
) -> AwardCategory:
    """Rename a category or change its description."""
    checker = Checker()
    values = _category_values(checker, name=name, name_en=name_en, description=description)
    checker.done()
    before = snapshot(category)
    for key, value in values.items():
        setattr(category, key, value)
    db.session.flush()
    record(actor=actor, action="update", entity=category, before=before, after=snapshot(category))
    return category


def move_category(category: AwardCategory, *, offset: int, actor: User | None = None) -> None:
    """Move a category `offset` places earlier (negative) or later in the ceremony order."""
    categories = list_categories_plain(category.festival_id)
    position = categories.index(category)
    target = min(max(position + offset, 0), len(categories) - 1)
    categories.insert(target, categories.pop(position))
    for order, item in enumerate(categories, start=1):
        item.display_order = order
    db.session.flush()
    record(actor=actor, action="reorder", entity=category, after={"order": [c.id for c in categories]})


def list_categories_plain(festival_id: int) -> list[AwardCategory]:
    return list(
        db.session.scalars(
            select(AwardCategory)
            .where(AwardCategory.festival_id == festival_id)
            .order_by(AwardCategory.display_order, AwardCategory.id)
        )
    )


def list_categories(festival: Festival) -> list[AwardCategory]:
    """Every category of a festival in ceremony order, with all its awards and their films (staff view)."""
    return list(
        db.session.scalars(
            select(AwardCategory)
            .where(AwardCategory.festival_id == festival.id)
            .options(selectinload(AwardCategory.awards).selectinload(Award.film))
            .order_by(AwardCategory.display_order, AwardCategory.id)
        )
    )


def get_category(festival: Festival, category_id: int) -> AwardCategory:
    """A category of this festival; NotFound otherwise."""
    category = db.session.get(AwardCategory, category_id)
    if category is None or category.festival_id != festival.id:
        raise NotFound(N_("No such award category in this festival."))
    return category


def get_award(festival: Festival, award_id: int) -> Award:
    """An award of this festival; NotFound otherwise."""
    award = db.session.get(Award, award_id)
    if award is None or award.category.festival_id != festival.id:
        raise NotFound(N_("No such award in this festival."))
    return award


def _check_placement(checker: Checker, placement: Any) -> None:
    if not isinstance(placement, int) or isinstance(placement, bool) or not 1 <= placement <= MAX_PLACEMENT:
        checker.fail(
            "placement",
            N_(
                "Placement must be a whole number from 1 (first prize) to %(max_placement)s.",
                max_placement=MAX_PLACEMENT,
            ),
        )


def _citations(checker: Checker, citation: str, citation_en: str) -> dict[str, str]:
    return {
        "citation": checker.text("citation", citation, label=N_("Citation"), max_length=5000, required=False),
        "citation_en": checker.text(
            "citation_en", citation_en, label=N_("English citation"), max_length=5000, required=False
        ),
    }


def give_award(
    category: AwardCategory,
    film: Film | None,
    *,
    placement: int = 1,
    citation: str = "",
    citation_en: str = "",
    actor: User | None = None,
) -> Award:
    """Place a film in a category; several films may share a placement (a tie)."""
    checker = Checker()
    if film is None:
        checker.fail("film", N_("Choose a film of this festival (by guest code, submission id or slug)."))
    elif film.festival_id != category.festival_id:
        checker.fail("film", N_("That film belongs to another festival."))
    elif any(award.film_id == film.id for award in category.awards):
        checker.fail("film", N_("This film already has a placement in this category."))
    _check_placement(checker, placement)
    texts = _citations(checker, citation, citation_en)
    checker.done()
    award = Award(category=category, film=film, placement=placement, **texts)
    db.session.add(award)
    db.session.flush()
    record(actor=actor, action="create", entity=award, after=snapshot(award))
    return award


def update_award(
    award: Award, *, placement: int, citation: str = "", citation_en: str = "", actor: User | None = None
) -> Award:
    """Change a winner's placement or citations."""
    checker = Checker()
    _check_placement(checker, placement)
    texts = _citations(checker, citation, citation_en)
    checker.done()
    before = snapshot(award)
    award.placement = placement
    award.citation, award.citation_en = texts["citation"], texts["citation_en"]
    db.session.flush()
    record(actor=actor, action="update", entity=award, before=before, after=snapshot(award))
    return award


def remove_award(award: Award, *, actor: User | None = None) -> None:
    """Take a placement away (running-order items that named it keep their text, lose the link)."""
    before = snapshot(award)
    award.category.awards.remove(award)
    db.session.flush()
    record(actor=actor, action="delete", entity=award, before=before)


# ---------------------------------------------------------------- embargo


def _set_revealed(awards: Iterable[Award], at: datetime | None, *, actor: User | None, entity: Any) -> None:
    changed = []
    for award in awards:
        # Revealing again keeps the first reveal time: that is when guests first saw it.
        value = (award.revealed_at or at) if at is not None else None
        if award.revealed_at != value:
            award.revealed_at = value
            changed.append(award.id)
    db.session.flush()
    record(
        actor=actor,
        action="reveal" if at is not None else "unreveal",
        entity=entity,
        after={"awards": changed, "revealed_at": at.isoformat() if at else None},
    )


def reveal_award(award: Award, *, actor: User | None = None, at: datetime | None = None) -> Award:
    """Lift the embargo on one award now (or at `at`); revealed_at is recorded."""
    _set_revealed([award], at or utcnow(), actor=actor, entity=award)
    return award


def unreveal_award(award: Award, *, actor: User | None = None) -> Award:
    """Hide one award from guests again."""
    _set_revealed([award], None, actor=actor, entity=award)
    return award


def reveal_category(category: AwardCategory, *, actor: User | None = None, at: datetime | None = None) -> AwardCategory:
    """Lift the embargo on every award of a category."""
    _set_revealed(category.awards, at or utcnow(), actor=actor, entity=category)
    return category


def unreveal_category(category: AwardCategory, *, actor: User | None = None) -> AwardCategory:
    """Hide every award of a category from guests again."""
    _set_revealed(category.awards, None, actor=actor, entity=category)
    return category


def revealed(now: Any) -> ColumnElement[bool]:
    """SQL, on Award: revealed to guests at `now` (set and not in the future)."""
    return Award.revealed_at.is_not(None) & (Award.revealed_at <= now)


def _visible(now: datetime):
    """What guests may see: revealed awards of films still in the programme."""
    return revealed(now) & Award.film_id.in_(select(Film.id).where(Film.status != "withdrawn"))


def public_awards_for_films(film_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, list[Award]]:
    """Revealed awards by film id (category loaded), in ceremony order; embargoed ones never appear."""
    now = now or utcnow()
    result: dict[int, list[Award]] = {}
    for chunk in chunked(list(dict.fromkeys(film_ids))):
        rows = db.session.scalars(
            select(Award)
            .join(Award.category)
            .where(Award.film_id.in_(chunk), _visible(now))
            .options(selectinload(Award.category))
            .order_by(AwardCategory.display_order, AwardCategory.id, Award.placement, Award.id)
        )
        for award in rows:
            result.setdefault(award.film_id, []).append(award)
    return result


@dataclass(frozen=True)
class PublicCategory:
    """A category as guests see it: only its revealed winners, in placement order."""

    category: AwardCategory
    awards: list[Award]


def public_categories(festival: Festival, *, now: datetime | None = None) -> list[PublicCategory]:
    """Categories in ceremony order with their revealed winners (films loaded); empty ones left out.

    Read `.awards` of the result, never `category.awards`: that relationship includes embargoed winners.
    """
    now = now or utcnow()
    awards = db.session.scalars(
        select(Award)
        .join(Award.category)
        .where(AwardCategory.festival_id == festival.id, _visible(now))
        .options(selectinload(Award.film), selectinload(Award.category))
        .order_by(AwardCategory.display_order, AwardCategory.id, Award.placement, Award.id)
    )
    grouped: dict[int, PublicCategory] = {}
    for award in awards:
        grouped.setdefault(award.category_id, PublicCategory(award.category, [])).awards.append(award)
    return list(grouped.values())


# ---------------------------------------------------------------- the public programme
#
# One rule for every guest page, feed, the sitemap and the printed programme. While any result of a
# festival is under embargo, nothing public follows a running order or a kiosk's playback: each
# session lists its films by title and no "now playing" shows. A narrower rule (only sessions that
# hold a winner) would itself tell which sessions hold one; this one depends on a single fact, that
# results are still to come, which the festival announces anyway.


def embargoed_festivals(*, now: Any) -> Select:
    """SQL: ids of the festivals with an award (of a film not withdrawn) not yet revealed."""
    film = aliased(Film)  # not correlated with a Film of the enclosing query
    return (
        select(AwardCategory.festival_id)
        .join(Award, Award.category_id == AwardCategory.id)
        .join(film, Award.film_id == film.id)
        .where(film.status != "withdrawn", ~revealed(now))
    )


def results_embargoed(festival_id: int, *, now: datetime | None = None) -> bool:
    """Whether any result of the festival is still under embargo."""
    embargoed = embargoed_festivals(now=now or utcnow()).where(AwardCategory.festival_id == festival_id)
    return db.session.scalar(embargoed.limit(1)) is not None


def neutral_order(films: Iterable[Film]) -> list[Film]:
    """Films by title (English, else original; then code): an order no result can change."""
    return sorted(films, key=lambda f: ((f.title_en or f.title).casefold(), f.title, f.code))
