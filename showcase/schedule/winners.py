"""Fill a running order from the winners: the ordering rule is playlists.ordering.ceremony_order.

The kiosk's playlists and the stage's running order must announce winners in the same order, so
this module only adapts our models to that pure rule and its groups back to running-order drafts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from playlists.ordering import Award as RankedAward
from playlists.ordering import ceremony_order
from playlists.prizes import PrizeName, prize_names
from showcase.awards.models import Award, AwardCategory
from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.messages import N_
from showcase.schedule.running_order import ItemDraft

ANNOUNCEMENT_SECONDS = 120
FILL_MODES = {
    "categories": N_("Categories in display order (in each, lowest prize first)"),
    "lowest_first": N_("Lowest prize first, first prize last"),
    "highest_first": N_("Highest prize first"),
}


def festival_awards(festival: Festival) -> list[Award]:
    """Every award of the festival with its category and film loaded."""
    return list(
        db.session.scalars(
            select(Award)
            .join(AwardCategory)
            .where(AwardCategory.festival_id == festival.id)
            .options(selectinload(Award.category), selectinload(Award.film))
            .order_by(AwardCategory.display_order, Award.placement, Award.id)
        )
    )


def winner_drafts(festival: Festival, *, mode: str, skip_award_ids: Iterable[int] = ()) -> list[ItemDraft]:
    """For each announcement, an award item then its winning film(s), in the chosen ceremony order.

    Awards in `skip_award_ids` (already in the running order) are left out.
    """
    if mode not in FILL_MODES:
        raise ValidationFailed(
            {
                "fill_mode": N_(
                    "Unknown order “%(mode)s” (expected one of %(modes)s).", mode=mode, modes=", ".join(FILL_MODES)
                )
            }
        )
    skip = set(skip_award_ids)
    every = festival_awards(festival)
    names = award_names(every)  # judged on every award: a tie stays shared when its partner is placed already
    awards = {str(a.id): a for a in every if a.id not in skip}
    # The rule groups by (category, placement); ids keep two same-named categories apart.
    ranked = [
        RankedAward(
            category=str(a.category_id), category_order=a.category.display_order, placement=a.placement, film=key
        )
        for key, a in awards.items()
    ]
    drafts: list[ItemDraft] = []
    for group in ceremony_order(ranked, mode=mode):
        members = [awards[key] for key in group.films]
        drafts.append(announcement_draft(members, names[members[0].id]))
        drafts.extend(film_draft(award) for award in members)
    return drafts


def award_names(awards: Iterable[Award]) -> dict[int, PrizeName]:
    """Each award's prize name (showcase.awards.prizes), judged per category on the awards given."""
    by_category: dict[int, list[Award]] = defaultdict(list)
    for award in awards:
        by_category[award.category_id].append(award)
    return {award_id: name for group in by_category.values() for award_id, name in prize_names(group).items()}


def announcement_draft(members: list[Award], name: PrizeName) -> ItemDraft:
    """The award item announcing one placement (shared when several films hold it), titled by its prize name."""
    first = members[0]
    category = first.category
    return ItemDraft(
        kind="award",
        award_id=first.id,
        planned_seconds=ANNOUNCEMENT_SECONDS,
        title=f"{category.name} · {name.zh}",
        title_en=f"{category.name_en or category.name} · {name.en}",
    )


def film_draft(award: Award) -> ItemDraft:
    """The screening of one winning film."""
    film = award.film
    return ItemDraft(
        kind="film", film_id=film.id, planned_seconds=film.runtime_seconds, title=film.title, title_en=film.title_en
    )
