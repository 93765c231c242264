"""Recording changes in the audit log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import inspect

from showcase.audit.models import AuditLog
from showcase.extensions import db


class Actor(Protocol):
    """Who made a change: a staff account (showcase.auth.models.User, which is above this package)."""

    id: int


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any, *, exclude: tuple[str, ...] = ("password_hash", "session_token")) -> dict[str, Any]:
    """The column values of a model instance as JSON-ready data."""
    mapper = inspect(obj).mapper
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in exclude}


def record(
    *, actor: Actor | None, action: str, entity: Any, before: dict | None = None, after: dict | None = None
) -> AuditLog:
    """Add one audit entry for `entity` (flushes, never commits)."""
    entry = AuditLog(
        user_id=getattr(actor, "id", None),
        action=action,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
