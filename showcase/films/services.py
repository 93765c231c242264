"""Films, their credits and their guest-page codes."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from showcase.audit.services import record, snapshot
from showcase.db import chunked
from showcase.errors import NotFound, StaleEdit, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.fields import (
    CREDIT_ROLES,
    FILM_TEXT,
    PERSON_NAME,
    PERSON_NAME_EN,
    SLUG_LENGTH,
    clean_email,
    runtime_problem,
    status_problem,
    year_problem,
)
from showcase.films.languages import canonical_language
from showcase.films.models import Credit, Film, MediaAsset, Person, ShortCode
from showcase.messages import N_
from showcase.unit_of_work import flush
from showcase.validation import SLUG_RE, Checker, slugify

if TYPE_CHECKING:
    from showcase.auth.models import User

# No 0/o, 1/l/i: codes are typed from paper as often as they are scanned.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8


def _random_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_short_codes(count: int) -> list[str]:
    """`count` random, unguessable guest-page codes never issued before (one query per batch)."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = {_random_code() for _ in range(count - len(codes))} - set(codes)
        for chunk in chunked(sorted(wanted)):
            wanted -= set(db.session.scalars(select(ShortCode.code).where(ShortCode.code.in_(chunk))))
        codes.extend(wanted)
    if codes:
        db.session.flush()  # pending ORM objects first, then one bulk INSERT
        db.session.execute(insert(ShortCode), [{"code": code} for code in codes])
    return codes


def issue_short_code() -> str:
    """A random, unguessable guest-page code that has never been issued before."""
    return issue_short_codes(1)[0]


def check_film_values(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A film's own values checked against showcase.films.fields, and why each bad one is bad.

    Everything but what needs the database (slugs, submission ids taken): the film form and the
    CSV import both come through here.
    """
    checker = Checker()
    clean: dict[str, Any] = {}
    for name, rule in FILM_TEXT.items():
        clean[name] = (values.get(name) or "").strip()
        if problem := rule.problem(clean[name]):
            checker.fail(name, problem)
    clean["language"] = canonical_language(clean["language"])  # one spelling per language, as the import stores
    clean["runtime_seconds"] = values.get("runtime_seconds")
    clean["year"] = values.get("year")
    clean["status"] = values.get("status") or "submitted"
    for name, problem in (
        ("runtime_seconds", runtime_problem(clean["runtime_seconds"])),
        ("year", year_problem(clean["year"])),
        ("status", status_problem(clean["status"])),
    ):
        if problem:
            checker.fail(name, problem)
    try:
        clean["contact_email"] = clean_email(values.get("contact_email") or "")
    except ValueError as exc:
        clean["contact_email"] = (values.get("contact_email") or "").strip()
        checker.fail("contact_email", exc.args[0] if exc.args else str(exc))  # the Message, with its template
    return clean, checker.errors


def _clean(festival: Festival, values: dict[str, Any], *, film_id: int | None) -> dict[str, Any]:
    clean, errors = check_film_values(values)
    checker = Checker()
    checker.errors.update(errors)
    slug = (values.get("slug") or "").strip().lower() or slugify(clean["title_en"] or clean["title"], fallback="film")
    if not SLUG_RE.match(slug) or len(slug) > SLUG_LENGTH:
        checker.fail("slug", N_("Slug must be lower-case letters, digits and hyphens."))
    elif _slug_taken(festival, slug, film_id) and values.get("slug"):
        checker.fail("slug", N_("The slug %(slug)r is already used by another film of this festival.", slug=slug))
    clean["external_id"] = clean["external_id"] or None
    if clean["external_id"] and _external_id_taken(festival, clean["external_id"], film_id):
        checker.fail("external_id", N_("Another film of this festival has this submission id."))
    checker.done()
    clean["slug"] = slug if values.get("slug") else _free_slug(festival, slug, film_id)
    return clean


def _slug_taken(festival: Festival, slug: str, film_id: int | None) -> bool:
    return (
        db.session.scalar(
            select(Film.id).where(Film.festival_id == festival.id, Film.slug == slug, Film.id != (film_id or 0))
        )
        is not None
    )


def _external_id_taken(festival: Festival, external_id: str, film_id: int | None) -> bool:
    return (
        db.session.scalar(
            select(Film.id).where(
                Film.festival_id == festival.id, Film.external_id == external_id, Film.id != (film_id or 0)
            )
        )
        is not None
    )


def _free_slug(festival: Festival, base: str, film_id: int | None) -> str:
    """A generated slug never fails: add -2, -3… until it is free."""
    slug, n = base, 1
    while _slug_taken(festival, slug, film_id):
        n += 1
        slug = f"{base[:110]}-{n}"
    return slug


def create_film(festival: Festival, *, actor: User | None = None, **values: Any) -> Film:
    """Create a film with a new guest-page code; ValidationFailed lists every bad field."""
    film = Film(festival_id=festival.id, code=issue_short_code(), **_clean(festival, values, film_id=None))
    db.session.add(film)
    db.session.flush()
    record(actor=actor, action="create", entity=film, after=snapshot(film))
    return film


def update_film(film: Film, *, expected_version: int, actor: User | None = None, **values: Any) -> Film:
    """Save an edit made from `expected_version`; StaleEdit when someone saved since.

    The guest-page code never changes, whatever else does.
    """
    if film.version != expected_version:
        raise _stale(film)
    before = snapshot(film)
    clean = _clean(film_festival(film), {**_current_values(film), **values}, film_id=film.id)
    for key, value in clean.items():
        setattr(film, key, value)
    flush("this film")  # a concurrent save may win the race between our check and our UPDATE
    record(actor=actor, action="update", entity=film, before=before, after=snapshot(film))
    return film


def _current_values(film: Film) -> dict[str, Any]:
    keys = (*FILM_TEXT, "runtime_seconds", "year", "status", "contact_email", "slug")
    return {key: getattr(film, key) for key in keys}


def _stale(film: Film) -> StaleEdit:
    return StaleEdit(
        N_(
            "Someone else saved this film since you opened it (now version %(version)s). "
            "Your changes were not saved: compare them with the current values below and save again.",
            version=film.version,
        ),
        current=film,
    )


def film_festival(film: Film) -> Festival:
    return db.session.get(Festival, film.festival_id)


def list_films(festival: Festival) -> list[Film]:
    return list(
        db.session.scalars(select(Film).where(Film.festival_id == festival.id).order_by(Film.title_en, Film.title))
    )


def get_film(festival: Festival, film_id: int) -> Film:
    """A film of this festival; NotFound otherwise."""
    film = db.session.get(Film, film_id)
    if film is None or film.festival_id != festival.id:
        raise NotFound(N_("No such film in this festival."))
    return film


def find_or_add_person(name: str, *, name_en: str = "") -> Person:
    """The person with this exact name, or a new one."""
    name = (name or "").strip()
    if problem := PERSON_NAME.problem(name):
        raise ValidationFailed({"name": problem})
    person = db.session.scalar(select(Person).where(Person.name == name).limit(1))
    if person is None:
        person = Person(name=name, name_en=name_en.strip())
        db.session.add(person)
        db.session.flush()
    return person


def add_credit(film: Film, person: Person, *, role: str, actor: User | None = None) -> Credit:
    """Credit a person on a film, after the existing credits."""
    checker = Checker()
    checker.choice("role", role, label=N_("Role"), choices=CREDIT_ROLES)
    checker.done()
    credit = Credit(film=film, person=person, role=role, display_order=len(film.credits))
    db.session.add(credit)
    db.session.flush()
    record(actor=actor, action="credit", entity=film, after={"person": person.name, "role": role})
    return credit


def get_credit(film: Film, credit_id: int) -> Credit:
    """A credit of this film; NotFound otherwise."""
    credit = next((c for c in film.credits if c.id == credit_id), None)
    if credit is None:
        raise NotFound(N_("No such credit on this film."))
    return credit


def _renumber(credits: list[Credit]) -> None:
    for position, credit in enumerate(credits):
        credit.display_order = position


def credit_person(film: Film, *, name: str, name_en: str = "", role: str, actor: User | None = None) -> Credit:
    """Credit a person (found by exact name, or added) on a film; one credit per person and role."""
    checker = Checker()
    for field, rule, value in (("name", PERSON_NAME, name), ("name_en", PERSON_NAME_EN, name_en)):
        if problem := rule.problem((value or "").strip()):
            checker.fail(field, problem)
    checker.choice("role", role, label=N_("Role"), choices=CREDIT_ROLES)
    if any(c.person.name == (name or "").strip() and c.role == role for c in film.credits):
        checker.fail("name", N_("%(name)s is already credited as %(role)s on this film.", name=name.strip(), role=role))
    checker.done()
    return add_credit(film, find_or_add_person(name, name_en=name_en or ""), role=role, actor=actor)


def remove_credit(film: Film, credit_id: int, *, actor: User | None = None) -> None:
    """Remove one credit from a film; the people stay (they may have other credits)."""
    credit = get_credit(film, credit_id)
    film.credits.remove(credit)
    _renumber(film.credits)
    db.session.flush()
    record(actor=actor, action="uncredit", entity=film, before={"person": credit.person.name, "role": credit.role})


def move_credit(film: Film, credit_id: int, *, offset: int, actor: User | None = None) -> None:
    """Move a credit `offset` places up (negative) or down the film's list of credits."""
    credits = list(film.credits)
    credit = get_credit(film, credit_id)
    position = credits.index(credit)
    target = min(max(position + offset, 0), len(credits) - 1)
    credits.insert(target, credits.pop(position))
    _renumber(credits)
    db.session.flush()
    db.session.expire(film, ["credits"])  # the relationship is ordered by display_order: reload it
    record(actor=actor, action="reorder_credits", entity=film, after={"order": [c.id for c in credits]})


def set_status(film: Film, status: str, *, actor: User | None = None) -> Film:
    """Change a film's status (submitted, shortlisted, selected, winner, withdrawn)."""
    if problem := status_problem(status):
        raise ValidationFailed({"status": problem})
    before = film.status
    film.status = status
    db.session.flush()
    record(actor=actor, action="status", entity=film, before={"status": before}, after={"status": status})
    return film


def set_media_asset(film: Film, asset_id: int | None, *, actor: User | None = None) -> Film:
    """Choose the registered video file a film plays from (None: no media)."""
    if asset_id is not None and db.session.get(MediaAsset, asset_id) is None:
        raise ValidationFailed({"media_asset_id": N_("No such media file: scan the media folder first.")})
    before = film.media_asset_id
    film.media_asset_id = asset_id
    db.session.flush()
    record(
        actor=actor, action="media", entity=film, before={"media_asset_id": before}, after={"media_asset_id": asset_id}
    )
    return film


def list_media_assets() -> list[MediaAsset]:
    return list(db.session.scalars(select(MediaAsset).order_by(MediaAsset.path)))


def find_film(festival: Festival, reference: str) -> Film | None:
    """A film of this festival by guest code, submission id or slug; None when nothing matches."""
    reference = (reference or "").strip()
    if not reference:
        return None
    for column, value in (
        (Film.code, reference.lower()),
        (Film.external_id, reference),
        (Film.slug, reference.lower()),
    ):
        film = db.session.scalar(select(Film).where(Film.festival_id == festival.id, column == value).limit(1))
        if film is not None:
            return film
    return None
