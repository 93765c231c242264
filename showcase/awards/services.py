"""Award categories and winners."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from showcase.audit.services import record, snapshot
from showcase.awards.models import Award, AwardCategory
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.validation import Checker


def create_category(festival: Festival, *, name: str, name_en: str = "", description: str = "",
                    actor: Any = None) -> AwardCategory:
    """Add an award category after the existing ones."""
    checker = Checker()
    name = checker.text("name", name, label="Category name", max_length=200)
    name_en = checker.text("name_en", name_en, label="English name", max_length=200, required=False)
    checker.done()
    last = db.session.scalar(select(func.max(AwardCategory.display_order)).where(
        AwardCategory.festival_id == festival.id))
    category = AwardCategory(festival_id=festival.id, name=name, name_en=name_en,
                             description=description.strip(), display_order=(last or 0) + 1)
    db.session.add(category)
    db.session.flush()
    record(actor=actor, action="create", entity=category, after=snapshot(category))
    return category


def give_award(category: AwardCategory, film: Film, *, placement: int = 1, citation: str = "",
               citation_en: str = "", actor: Any = None) -> Award:
    """Place a film in a category; several films may share a placement."""
    checker = Checker()
    if film.festival_id != category.festival_id:
        checker.fail("film_id", "That film belongs to another festival.")
    if not isinstance(placement, int) or placement < 1:
        checker.fail("placement", "Placement must be 1 (first prize) or higher.")
    if any(award.film_id == film.id for award in category.awards):
        checker.fail("film_id", "This film already has a placement in this category.")
    checker.done()
    award = Award(category=category, film=film, placement=placement, citation=citation.strip(),
                  citation_en=citation_en.strip())
    db.session.add(award)
    db.session.flush()
    record(actor=actor, action="create", entity=award, after=snapshot(award))
    return award
