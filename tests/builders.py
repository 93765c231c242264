"""Small builders over the real services, so a test shows the data it is about.

Each takes keyword overrides on top of plain defaults, calls the service staff would (so every rule and
the audit log apply), and flushes: a test commits when what it checks needs a committed row. Call them
inside an application context (the `ctx` fixture).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


def make_festival(**overrides: Any):
    """A two-day festival in Shanghai (slug unique per call unless given)."""
    from showcase.festivals.services import create_festival

    values = {
        "name": "测试影展",
        "name_en": "Test Festival",
        "slug": f"test-festival-{_next()}",
        "start_date": date(2026, 12, 12),
        "end_date": date(2026, 12, 13),
        "timezone": "Asia/Shanghai",
        "published": True,
        **overrides,
    }
    return create_festival(**values)


def make_screen(festival, *, venue: str = "影城", name: str = "一号厅", name_en: str = "Hall 1", **overrides: Any):
    """A screen in a new venue of the festival."""
    from showcase.festivals.services import add_screen, add_venue

    return add_screen(add_venue(festival, name=venue), name=name, name_en=name_en, **overrides)


def make_film(festival, **overrides: Any):
    """A 12-minute selected film with a unique submission id."""
    from showcase.films.services import create_film

    number = _next()
    values = {
        "title": f"影片 {number}",
        "title_en": f"Film {number}",
        "runtime_seconds": 720,
        "external_id": f"TEST-{number:04d}",
        "status": "selected",
        **overrides,
    }
    return create_film(festival, **values)


def make_credit(film, *, name: str = "罗一航", role: str = "director", **overrides: Any):
    """Credit a person on a film."""
    from showcase.films.services import credit_person

    return credit_person(film, name=name, role=role, **overrides)


def make_award(festival, film, *, category: str = "最佳影片", placement: int = 1, revealed: bool = False):
    """An award in a new category; revealed to guests when asked (else under embargo)."""
    from showcase.awards.services import create_category, give_award, reveal_award

    award = give_award(create_category(festival, name=category, name_en=f"{category} (en)"), film, placement=placement)
    return reveal_award(award) if revealed else award


def make_session(festival, *, starts_at: datetime | None = None, minutes: int = 90, **overrides: Any):
    """A public screening on the festival's first evening (19:00 Shanghai time, 11:00 UTC)."""
    from showcase.schedule.services import create_session

    start = starts_at or datetime.combine(festival.start_date, datetime.min.time(), UTC) + timedelta(hours=11)
    values = {
        "title": f"放映 {_next()}",
        "kind": "screening",
        "starts_at": start,
        "ends_at": start + timedelta(minutes=minutes),
        "screen_id": None,
        **overrides,
    }
    return create_session(festival, **values)


def make_user(*, role: str = "editor", password: str = "correct horse battery", **overrides: Any):
    """A staff account with a unique e-mail."""
    from showcase.auth.services import create_user

    number = _next()
    values = {"email": f"staff{number}@example.org", "name": f"Staff {number}", **overrides}
    return create_user(role=role, password=password, **values)
