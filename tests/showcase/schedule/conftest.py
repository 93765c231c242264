"""Schedule fixtures: the demo festival's sessions by kind, and small helpers over the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

SLUG = "ai-shorts-2026"


def festival():
    from showcase.festivals.services import get_festival

    return get_festival(SLUG)


def session_of(kind: str):
    """The demo session of this kind (ceremony, screening, panel, gala, other)."""
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    return db.session.scalars(select(ScheduleSession).where(ScheduleSession.kind == kind)).one()


def session_id_of(app, kind: str) -> int:
    with app.app_context():
        return session_of(kind).id


def audit_count(action: str | None = None) -> int:
    from showcase.audit.models import AuditLog
    from showcase.extensions import db

    query = select(func.count()).select_from(AuditLog)
    if action:
        query = query.where(AuditLog.action == action)
    return db.session.scalar(query)


def item_titles(session_id: int) -> list[str]:
    from showcase.extensions import db
    from showcase.schedule.models import RunningOrderItem

    return list(
        db.session.scalars(
            select(RunningOrderItem.title)
            .where(RunningOrderItem.session_id == session_id)
            .order_by(RunningOrderItem.position)
        )
    )


def builder_form(app, session_id: int) -> list[tuple[str, str]]:
    """The builder's item fields for the stored running order, in page order, as a browser posts them."""
    from showcase.schedule.running_order import drafts_of
    from showcase.schedule.services import get_session
    from showcase.templating import duration

    with app.app_context():
        session = get_session(festival(), session_id)
        fields = [("running_order_version", str(session.running_order_version))]
        for d in drafts_of(session):
            fields += [
                ("item_id", str(d.id)),
                ("item_kind", d.kind),
                ("item_film", str(d.film_id or "")),
                ("item_award", str(d.award_id or "")),
                ("item_title", d.title),
                ("item_title_en", d.title_en),
                ("item_duration", duration(d.planned_seconds)),
                ("item_notes", d.notes),
            ]
        return fields


@pytest.fixture
def editor_client(client, demo, login_as):
    """The test client signed in as an editor, with the demo festival loaded."""
    login_as("editor")
    return client
