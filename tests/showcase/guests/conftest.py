"""Guest-page fixtures: the demo festival moved to the near future, and switches for every hidden state."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from showcase.awards.models import Award
from showcase.db import utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.kiosks.models import Kiosk
from showcase.schedule.models import ScheduleSession

SLUG = "ai-shorts-2026"


@dataclass
class Guest:
    """The demo festival as guests see it, and the staff-side changes the tests make to it."""

    app: object
    codes: dict[str, str] = field(default_factory=dict)  # film slug -> code
    sessions: dict[str, int] = field(default_factory=dict)  # session kind -> id
    screens: list[int] = field(default_factory=list)

    def _change(self, statement) -> None:
        with self.app.app_context():
            db.session.execute(statement)
            db.session.commit()

    def reveal_awards(self, *, at=None) -> None:
        self._change(update(Award).values(revealed_at=at or utcnow() - timedelta(minutes=1)))

    def withdraw(self, slug: str) -> None:
        self._change(update(Film).where(Film.slug == slug).values(status="withdrawn"))

    def make_private(self, kind: str) -> None:
        self._change(update(ScheduleSession).where(ScheduleSession.id == self.sessions[kind]).values(public=False))

    def unpublish(self) -> None:
        self._change(update(Festival).where(Festival.slug == SLUG).values(published=False))

    def public_urls(self) -> list[str]:
        """Every guest page and feed of the festival (posters aside), picks of everything included."""
        picks = f"sessions={','.join(map(str, self.sessions.values()))}&films={','.join(self.codes.values())}"
        urls = [
            "/",
            f"/festivals/{SLUG}",
            f"/festivals/{SLUG}/schedule",
            f"/festivals/{SLUG}/favourites",
            f"/festivals/{SLUG}/favourites?{picks}",
            f"/festivals/{SLUG}/calendar.ics",
            f"/festivals/{SLUG}/calendar.ics?{picks}",
            f"/festivals/{SLUG}/schedule.xml",
            f"/festivals/{SLUG}/schedule.json",
            "/sitemap.xml",
        ]
        urls += [f"/f/{code}" for code in self.codes.values()]
        urls += [f"/festivals/{SLUG}/sessions/{sid}/calendar.ics" for sid in self.sessions.values()]
        return urls + [f"/festivals/{SLUG}/screens/{sid}/calendar.ics" for sid in self.screens]

    def kiosk(self, *, state: dict, screen: int = 0, age_seconds: int = 5) -> None:
        """A kiosk on one of the demo screens that last reported `state` age_seconds ago."""
        with self.app.app_context():
            kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == f"screen-{screen}"))
            if kiosk is None:
                kiosk = Kiosk(name=f"screen-{screen}", screen_id=self.screens[screen], token_hash=secrets.token_hex(32))
                db.session.add(kiosk)
            kiosk.state = state
            kiosk.last_heartbeat_at = utcnow() - timedelta(seconds=age_seconds)
            db.session.commit()


def _move_to_future(festival: Festival) -> None:
    """Whole days, so every wall-clock time stays as the demo data says (14:00 stays 14:00)."""
    first = db.session.scalar(select(ScheduleSession.starts_at).order_by(ScheduleSession.starts_at))
    days = max(0, (utcnow() - first).days + 2)
    if days:
        for session in db.session.scalars(select(ScheduleSession)):
            session.starts_at += timedelta(days=days)
            session.ends_at += timedelta(days=days)
        festival.start_date += timedelta(days=days)
        festival.end_date += timedelta(days=days)


@pytest.fixture
def guest(app, demo) -> Guest:
    with app.app_context():
        festival = db.session.scalar(select(Festival).where(Festival.slug == SLUG))
        _move_to_future(festival)
        db.session.commit()
        result = Guest(
            app=app,
            codes={f.slug: f.code for f in db.session.scalars(select(Film))},
            sessions={s.kind: s.id for s in db.session.scalars(select(ScheduleSession))},
            screens=[s.id for s in festival.screens],
        )
    return result
