"""The staff films list: search, filters and pages that stay fast with thousands of films."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from showcase.awards.models import Award, AwardCategory
from showcase.awards.picking import film_text_match, like_pattern
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.fields import FILM_STATUSES
from showcase.films.languages import distinct_languages, spellings_of
from showcase.films.models import Credit, Film, Person
from showcase.validation import parse_id, whole_number

PAGE_SIZE = 100


@dataclass(frozen=True)
class FilmFilters:
    """What the list is narrowed to; every value comes from the query string."""

    q: str = ""
    status: str = ""
    award: str = ""  # "" (all), "any", "none" or a category id
    language: str = ""
    media: str = ""  # "", "yes" or "no"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> FilmFilters:
        """Filters from request.args; unknown values are ignored rather than refused."""
        page = args.get("page", "1")
        status = args.get("status", "")
        return cls(
            q=args.get("q", "").strip()[:200],
            status=status if status in FILM_STATUSES else "",
            award=args.get("award", "").strip(),
            language=args.get("language", "").strip()[:100],
            media=args.get("media", "") if args.get("media") in ("yes", "no") else "",
            page=whole_number(page, maximum=99999) or 1,
        )

    def query_args(self, **changes) -> dict[str, str | int]:
        """The filters as query-string arguments (for page links), without the empty ones."""
        values = {
            "q": self.q,
            "status": self.status,
            "award": self.award,
            "language": self.language,
            "media": self.media,
            "page": self.page,
            **changes,
        }
        return {
            key: value
            for key, value in values.items()
            if value not in ("", None) and not (key == "page" and value == 1)
        }


@dataclass
class FilmPage:
    films: list[Film]
    total: int
    page: int
    pages: int
    awards: dict[int, list[Award]] = field(default_factory=dict)


def _search(query: Select, q: str) -> Select:
    pattern = like_pattern(q)
    director = exists().where(
        Credit.film_id == Film.id,
        Credit.role == "director",
        Credit.person_id == Person.id,
        or_(Person.name.ilike(pattern, escape="\\"), Person.name_en.ilike(pattern, escape="\\")),
    )
    return query.where(or_(film_text_match(q), director))


def _award_filter(query: Select, award: str) -> Select:
    any_award = exists().where(Award.film_id == Film.id)
    if award == "any":
        return query.where(any_award)
    if award == "none":
        return query.where(~any_award)
    if award.isdigit():  # a category id; one that cannot exist matches nothing
        return query.where(exists().where(Award.film_id == Film.id, Award.category_id == (parse_id(award) or 0)))
    return query


def filtered(festival: Festival, filters: FilmFilters) -> Select:
    """The films of a festival matching the filters, as a select (not yet ordered or paged)."""
    query = select(Film).where(Film.festival_id == festival.id)
    if filters.q:
        query = _search(query, filters.q)
    if filters.status:
        query = query.where(Film.status == filters.status)
    if filters.language:  # every spelling of the language (films stored before the import normalised them)
        stored = db.session.scalars(select(Film.language).where(Film.festival_id == festival.id).distinct())
        query = query.where(Film.language.in_(spellings_of(filters.language, stored) or [filters.language]))
    if filters.media:
        query = query.where(
            Film.media_asset_id.is_not(None) if filters.media == "yes" else Film.media_asset_id.is_(None)
        )
    return _award_filter(query, filters.award)


def film_page(festival: Festival, filters: FilmFilters, *, per_page: int = PAGE_SIZE) -> FilmPage:
    """One page of matching films with credits and awards loaded in a fixed number of queries."""
    query = filtered(festival, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    films = list(
        db.session.scalars(
            query.options(selectinload(Film.credits).selectinload(Credit.person))
            .order_by(Film.title_en, Film.title, Film.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return FilmPage(films=films, total=total, page=page, pages=pages, awards=awards_by_film([f.id for f in films]))


def awards_by_film(film_ids: list[int]) -> dict[int, list[Award]]:
    """Every award (revealed or not: this is the staff view) of these films, with its category."""
    if not film_ids:
        return {}
    rows = db.session.scalars(
        select(Award)
        .join(Award.category)
        .where(Award.film_id.in_(film_ids))
        .options(selectinload(Award.category))
        .order_by(AwardCategory.display_order, Award.placement)
    )
    result: dict[int, list[Award]] = {}
    for award in rows:
        result.setdefault(award.film_id, []).append(award)
    return result


def languages(festival: Festival) -> list[str]:
    """The distinct languages of a festival's films, for the filter menu: one entry per language however
    each film spells it ("普通话", "Mandarin" and "普通话 Mandarin" are one)."""
    return distinct_languages(
        db.session.scalars(select(Film.language).where(Film.festival_id == festival.id, Film.language != "").distinct())
    )
