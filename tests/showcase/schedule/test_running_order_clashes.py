"""Clashes on the demo festival's night: films of running orders, people on stage, directors due on stage
(screen clashes on built data: test_screen_clashes.py)."""

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
    assert clash.kind == "person" and "骆轶航 (Luo Yihang) is also on stage in «加场»" in clash.text
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
