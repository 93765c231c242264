"""Which films are public: one rule for every guest page, feed, the sitemap and the printed programme.

It reads awards (a revealed winner is public) and running orders (a film in a public session is), so
it lives here, above both; the embargo itself is the awards package's (`results_embargoed`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select

from showcase.awards.models import Award
from showcase.awards.services import revealed
from showcase.films.models import Film
from showcase.schedule.models import RunningOrderItem, ScheduleSession

PUBLIC_STATUSES = ("selected", "winner")


def public_film(*, now: Any) -> ColumnElement[bool]:
    """SQL, on Film: the film is in the public programme (its festival's publication aside).

    Selected or winner, holding a revealed award, or in a public session's running order; never
    withdrawn. The two statuses go together: winners are marked among the selected films before
    the ceremony, and a page that vanished or appeared then would name them.
    """
    in_public_session = Film.id.in_(
        select(RunningOrderItem.film_id)
        .join(ScheduleSession, RunningOrderItem.session_id == ScheduleSession.id)
        .where(ScheduleSession.public, RunningOrderItem.film_id.is_not(None))
    )
    revealed_winner = Film.id.in_(select(Award.film_id).where(revealed(now)))
    # Equalities, not IN (…): an expanding IN is re-rendered on every execution of the film page.
    public_status = or_(*(Film.status == status for status in PUBLIC_STATUSES))
    return (Film.status != "withdrawn") & (public_status | revealed_winner | in_public_session)
