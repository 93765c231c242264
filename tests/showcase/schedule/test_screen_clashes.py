"""Screen clashes on data the test builds itself: one festival, two screens, an awards ceremony."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.schedule.clashes import ClashRefused, festival_clashes
from showcase.schedule.models import ScheduleSession
from tests.builders import make_festival, make_screen, make_session
from tests.showcase.schedule.conftest import audit_count

CEREMONY_START = datetime(2026, 12, 12, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


@pytest.fixture
def night(ctx):
    """The festival, its two screens, and a 90-minute ceremony in hall 1."""
    festival = make_festival()
    hall_1 = make_screen(festival, venue="影城", name="一号厅", name_en="Hall 1")
    hall_2 = make_screen(festival, venue="剧场", name="二号厅", name_en="Hall 2")
    ceremony = make_session(
        festival, title="颁奖典礼", kind="ceremony", starts_at=CEREMONY_START, minutes=90, screen_id=hall_1.id
    )
    return festival, hall_1, hall_2, ceremony


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(ScheduleSession))


def test_a_session_overlapping_another_on_its_screen_is_refused_and_nothing_written(night):
    festival, hall_1, _, ceremony = night
    count, audits = _sessions(), audit_count()
    with pytest.raises(ClashRefused) as caught:
        make_session(festival, starts_at=CEREMONY_START + timedelta(minutes=30), screen_id=hall_1.id)
    [clash] = caught.value.clashes
    assert clash.kind == "screen" and clash.other_id == ceremony.id
    assert clash.text == "Overlaps «颁奖典礼» (Sat 12 Dec 14:00–15:30) on 一号厅 (Hall 1)."
    assert _sessions() == count and audit_count() == audits


def test_overriding_knowingly_saves_and_audits_the_conflict(night):
    from showcase.audit.models import AuditLog

    festival, hall_1, _, ceremony = night
    session = make_session(festival, starts_at=CEREMONY_START, screen_id=hall_1.id, override_conflicts=True)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "override_conflicts")).one()
    assert entry.entity_id == session.id
    [conflict] = entry.after["conflicts"]
    assert conflict["kind"] == "screen" and conflict["other_session"] == ceremony.id
    assert conflict["text"].startswith("Overlaps «颁奖典礼»")


def test_a_session_on_another_screen_or_touching_does_not_clash(night):
    festival, hall_1, hall_2, ceremony = night
    elsewhere = make_session(festival, starts_at=CEREMONY_START, screen_id=hall_2.id)
    touching = make_session(festival, starts_at=ceremony.ends_at, minutes=15, screen_id=hall_1.id)
    assert _sessions() == 3
    assert elsewhere.screen_id == hall_2.id and touching.starts_at == ceremony.ends_at
    assert festival_clashes(festival) == {}


def test_a_session_ending_before_it_starts_is_refused_before_any_clash_check(night):
    festival, hall_1, _, ceremony = night
    with pytest.raises(ValidationFailed) as caught:
        make_session(festival, starts_at=ceremony.ends_at, ends_at=ceremony.starts_at, screen_id=hall_1.id)
    assert caught.value.errors["ends_at"] == "The session must end after it starts."
    assert _sessions() == 1
