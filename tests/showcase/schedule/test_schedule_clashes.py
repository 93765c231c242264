"""Conflicts from the models: screens, films of running orders, people on stage and directors due on stage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from showcase.schedule.clashes import ClashRefused
from tests.showcase.schedule.conftest import audit_count, festival, session_of


def _new_session(**values):
    from showcase.schedule.services import create_session

    ceremony = session_of("ceremony")
    base = {
        "title": "加场",
        "kind": "screening",
        "starts_at": ceremony.starts_at + timedelta(minutes=30),
        "ends_at": ceremony.ends_at + timedelta(minutes=30),
        "screen_id": None,
    }
    return create_session(festival(), **{**base, **values})


def _count_sessions() -> int:
    from sqlalchemy import func, select

    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    return db.session.scalar(select(func.count()).select_from(ScheduleSession))


def test_the_demo_schedule_has_no_conflicts(demo, ctx):
    from showcase.schedule.clashes import festival_clashes

    assert festival_clashes(festival()) == {}


def test_a_session_overlapping_another_on_its_screen_is_refused_and_nothing_written(demo, ctx):
    ceremony = session_of("ceremony")
    count, audits = _count_sessions(), audit_count()
    with pytest.raises(ClashRefused) as caught:
        _new_session(screen_id=ceremony.screen_id, ends_at=ceremony.ends_at)
    [clash] = caught.value.clashes
    assert clash.kind == "screen" and clash.other_id == ceremony.id
    assert clash.text == "Overlaps «颁奖典礼» (Sat 12 Dec 14:00–15:30) on 一号厅 (Hall 1)."
    assert _count_sessions() == count and audit_count() == audits


def test_overriding_knowingly_saves_and_audits_the_conflicts(demo, ctx):
    from sqlalchemy import select

    from showcase.audit.models import AuditLog
    from showcase.extensions import db

    ceremony = session_of("ceremony")
    session = _new_session(screen_id=ceremony.screen_id, override_conflicts=True)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "override_conflicts")).one()
    assert entry.entity_id == session.id
    conflicts = entry.after["conflicts"]
    assert {c["kind"] for c in conflicts} == {"screen"}
    assert ceremony.id in {c["other_session"] for c in conflicts}
    assert all(c["text"].startswith("Overlaps «") for c in conflicts)


def test_a_session_on_another_screen_or_touching_does_not_clash(demo, ctx):
    from showcase.schedule.clashes import festival_clashes

    ceremony = session_of("ceremony")
    gala = session_of("gala")
    count = _count_sessions()
    elsewhere = _new_session(screen_id=gala.screen_id)  # same time as the ceremony, another screen
    touching = _new_session(  # starts the minute the ceremony ends, on its screen
        screen_id=ceremony.screen_id, starts_at=ceremony.ends_at, ends_at=ceremony.ends_at + timedelta(minutes=15)
    )
    assert _count_sessions() == count + 2
    assert elsewhere.screen_id != ceremony.screen_id and touching.starts_at == ceremony.ends_at
    assert festival_clashes(festival()) == {}


def test_moving_a_session_onto_another_is_refused(demo, ctx):
    from showcase.schedule.services import update_session

    panel, screening = session_of("panel"), session_of("screening")
    with pytest.raises(ClashRefused):
        update_session(
            panel,
            expected_version=panel.version,
            title=panel.title,
            kind=panel.kind,
            starts_at=screening.starts_at,
            ends_at=screening.ends_at,
            screen_id=panel.screen_id,
        )


def test_the_same_film_in_two_overlapping_sessions_clashes(demo, ctx):
    from showcase.schedule.running_order import ItemDraft, save_running_order

    screening = session_of("screening")
    film = screening.items[0].film
    extra = _new_session(starts_at=screening.starts_at, ends_at=screening.ends_at)
    draft = [ItemDraft(kind="film", film_id=film.id, planned_seconds=film.runtime_seconds, title=film.title)]
    with pytest.raises(ClashRefused) as caught:
        save_running_order(extra, draft, expected_version=1)
    kinds = {c.kind for c in caught.value.clashes}
    assert kinds == {"film", "person"}  # the film, and its director due on stage after it
    film_clash = next(c for c in caught.value.clashes if c.kind == "film")
    assert film.title in film_clash.text and "获奖影片展映" in film_clash.text
    save_running_order(extra, draft, expected_version=1, override_conflicts=True)
    assert audit_count("override_conflicts") == 1


def test_a_moderator_in_two_overlapping_sessions_clashes(demo, ctx):
    from showcase.schedule.clashes import festival_clashes
    from showcase.schedule.services import add_person

    panel = session_of("panel")
    moderator = next(p for p in panel.people if p.role == "moderator")
    extra = _new_session(
        starts_at=panel.starts_at + timedelta(minutes=30), ends_at=panel.ends_at + timedelta(minutes=30)
    )
    add_person(extra, moderator.person_id, role="host")
    clashes = festival_clashes(festival())
    [clash] = clashes[panel.id]
    assert clash.kind == "person" and "Luo Yihang is also on stage in «加场»" in clash.text
    assert clashes[extra.id][0].other_id == panel.id


def test_a_director_due_on_stage_clashes_with_a_screening_of_their_film(demo, ctx):
    """The panel's speakers are directors; moving the showcase screening onto the panel is a person clash."""
    from showcase.schedule.services import update_session

    panel, screening = session_of("panel"), session_of("screening")
    with pytest.raises(ClashRefused) as caught:
        update_session(
            screening,
            expected_version=screening.version,
            title=screening.title,
            kind="screening",
            starts_at=panel.starts_at,
            ends_at=panel.ends_at,
            screen_id=None,
        )
    people = [c for c in caught.value.clashes if c.kind == "person"]
    assert len(people) == 3  # three directors speak on the panel and have films in the screening
    assert any("Chen Youxue" in c.text for c in people)


def test_session_ending_before_it_starts_is_refused_before_any_conflict_check(demo, ctx):
    from showcase.errors import ValidationFailed

    ceremony = session_of("ceremony")
    with pytest.raises(ValidationFailed) as caught:
        _new_session(starts_at=ceremony.ends_at, ends_at=ceremony.starts_at)
    assert caught.value.errors["ends_at"] == "The session must end after it starts."
