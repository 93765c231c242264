"""Festival editions, venues and screens."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from showcase.audit.services import record, snapshot
from showcase.errors import NotFound
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.messages import N_
from showcase.validation import SLUG_RE, Checker, is_time_zone

if TYPE_CHECKING:
    from showcase.auth.models import User

FESTIVAL_TEXT = {
    "name": ("Name", 200, True),
    "name_en": ("English name", 200, False),
    "edition": ("Edition", 100, False),
    "public_base_url": ("Public base URL", 300, False),
    "welcome": ("Welcome text", 20000, False),
    "welcome_en": ("English welcome text", 20000, False),
}


def _clean(values: dict[str, Any], *, festival_id: int | None) -> dict[str, Any]:
    checker = Checker()
    clean = {
        f: checker.text(f, values.get(f), label=label, max_length=n, required=req)
        for f, (label, n, req) in FESTIVAL_TEXT.items()
    }
    slug = (values.get("slug") or "").strip().lower()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        checker.fail("slug", N_("Slug must be lower-case letters, digits and hyphens, e.g. ai-shorts-2026."))
    elif db.session.scalar(select(Festival.id).where(Festival.slug == slug, Festival.id != (festival_id or 0))):
        checker.fail("slug", N_("The slug %(slug)s is already used by another festival.", slug=repr(slug)))
    start, end = values.get("start_date"), values.get("end_date")
    if not isinstance(start, date):
        checker.fail("start_date", N_("Start date is required."))
    if not isinstance(end, date):
        checker.fail("end_date", N_("End date is required."))
    elif isinstance(start, date) and end < start:
        checker.fail("end_date", N_("The festival cannot end before it starts."))
    timezone = (values.get("timezone") or "").strip()
    if not is_time_zone(timezone):
        checker.fail(
            "timezone",
            N_("Unknown time zone %(timezone)s: use an IANA name such as Asia/Shanghai.", timezone=repr(timezone)),
        )
    url = clean["public_base_url"]
    if url and not url.startswith(("https://", "http://")):
        checker.fail("public_base_url", N_("Public base URL must start with https:// or http://."))
    checker.done()
    return {
        **clean,
        "slug": slug,
        "start_date": start,
        "end_date": end,
        "timezone": timezone,
        "public_base_url": url.rstrip("/"),
        "published": bool(values.get("published")),
    }


def create_festival(*, actor: User | None = None, **values: Any) -> Festival:
    """Create a festival edition; ValidationFailed lists every bad field."""
    festival = Festival(**_clean(values, festival_id=None))
    db.session.add(festival)
    db.session.flush()
    record(actor=actor, action="create", entity=festival, after=snapshot(festival))
    return festival


def update_festival(festival: Festival, *, actor: User | None = None, **values: Any) -> Festival:
    """Change a festival's details."""
    before = snapshot(festival)
    for key, value in _clean(values, festival_id=festival.id).items():
        setattr(festival, key, value)
    db.session.flush()
    record(actor=actor, action="update", entity=festival, before=before, after=snapshot(festival))
    return festival


def list_festivals() -> list[Festival]:
    return list(db.session.scalars(select(Festival).order_by(Festival.start_date.desc(), Festival.id)))


def get_festival(slug: str) -> Festival:
    """The festival with this slug; NotFound otherwise."""
    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        raise NotFound(N_("No festival %(slug)s.", slug=repr(slug)))
    return festival


def add_venue(
    festival: Festival,
    *,
    name: str,
    name_en: str = "",
    address: str = "",
    capacity: int | None = None,
    actor: User | None = None,
) -> Venue:
    """Add a venue to a festival."""
    checker = Checker()
    name = checker.text("name", name, label=N_("Venue name"), max_length=200)
    if capacity is not None and capacity < 0:
        checker.fail("capacity", N_("Capacity cannot be negative."))
    checker.done()
    venue = Venue(festival=festival, name=name, name_en=name_en.strip(), address=address.strip(), capacity=capacity)
    db.session.add(venue)
    db.session.flush()
    record(actor=actor, action="create", entity=venue, after=snapshot(venue))
    return venue


def add_screen(venue: Venue, *, name: str, name_en: str = "", actor: User | None = None) -> Screen:
    """Add a screen (a room or a projection surface) to a venue."""
    checker = Checker()
    name = checker.text("name", name, label=N_("Screen name"), max_length=200)
    checker.done()
    screen = Screen(venue=venue, name=name, name_en=name_en.strip())
    db.session.add(screen)
    db.session.flush()
    record(actor=actor, action="create", entity=screen, after=snapshot(screen))
    return screen
