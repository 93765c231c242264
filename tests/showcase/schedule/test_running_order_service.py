"""Saving a whole running order: order, versions, audit, stale saves with the colleague's changes, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest

from showcase.errors import StaleEdit, ValidationFailed
from tests.showcase.schedule.conftest import audit_count, festival, item_titles, session_of


def _save(session, drafts, **kwargs):
    from showcase.schedule.running_order import save_running_order

    return save_running_order(
        session, drafts, expected_version=kwargs.pop("version", session.running_order_version), **kwargs
    )


def test_saving_a_reordered_running_order_keeps_ids_bumps_the_version_and_audits(demo, ctx):
    from showcase.extensions import db
    from showcase.schedule.running_order import drafts_of
    from showcase.schedule.timing import move_item

    ceremony = session_of("ceremony")
    drafts = drafts_of(ceremony)
    ids = [d.id for d in drafts]
    session_version, version = ceremony.version, ceremony.running_order_version
    before_audits = audit_count("running_order")
    _save(ceremony, move_item(drafts, len(drafts) - 1, target=0))
    db.session.commit()
    db.session.expire_all()
    ceremony = session_of("ceremony")
    assert [item.id for item in ceremony.items] == [ids[-1], *ids[:-1]]
    assert [item.position for item in ceremony.items] == list(range(len(ids)))
    assert ceremony.running_order_version == version + 1
    assert ceremony.version == session_version  # the session form's lock is not disturbed
    assert audit_count("running_order") == before_audits + 1


def test_the_audit_entry_holds_both_versions_of_the_list(demo, ctx):
    from sqlalchemy import select

    from showcase.audit.models import AuditLog
    from showcase.extensions import db
    from showcase.schedule.running_order import drafts_of

    panel = session_of("panel")
    _save(panel, [*drafts_of(panel), *drafts_of(session_of("ceremony"))[:1]])
    db.session.commit()
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "running_order")).one()
    assert entry.before == {"running_order_version": 1, "items": []}
    assert entry.after["running_order_version"] == 2
    assert [i["title"] for i in entry.after["items"]] == ["开场"]


def test_removed_items_are_deleted_and_new_ones_created(demo, ctx):
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.schedule.models import RunningOrderItem
    from showcase.schedule.running_order import ItemDraft, drafts_of

    ceremony = session_of("ceremony")
    drafts = drafts_of(ceremony)
    _save(ceremony, [drafts[0], ItemDraft(kind="interval", planned_seconds=600, title="中场休息")])
    db.session.commit()
    assert item_titles(ceremony.id) == ["开场", "中场休息"]
    kept, created = db.session.scalars(
        select(RunningOrderItem.id)
        .where(RunningOrderItem.session_id == ceremony.id)
        .order_by(RunningOrderItem.position)
    )
    assert len(drafts) > 2 and kept == drafts[0].id  # the kept item is the same row, the others are gone
    assert created != kept  # (SQLite may give the new row a deleted row's id: only this is certain)


def test_a_stale_save_is_refused_with_what_the_colleague_changed_and_nothing_written(demo, ctx):
    from showcase.extensions import db
    from showcase.schedule.running_order import ItemDraft, drafts_of
    from showcase.schedule.timing import move_item

    ceremony = session_of("ceremony")
    opened = drafts_of(ceremony)
    version = ceremony.running_order_version
    colleague = move_item(opened, 1, target=0)  # welcome address first
    colleague = [*colleague[:-1], replace(colleague[-1], planned_seconds=240, notes="话筒 2")]
    colleague = [d for d in colleague if d.title != "开场"] + [
        ItemDraft(kind="interval", planned_seconds=300, title="Break")
    ]
    _save(ceremony, colleague, version=version)
    db.session.commit()
    saved = item_titles(ceremony.id)
    mine = [*opened[:1], replace(opened[1], title="My welcome")]
    with pytest.raises(StaleEdit) as caught:
        _save(ceremony, mine, version=version)
    db.session.rollback()
    changes = caught.value.changes
    assert any("Break" in line for line in changes["added"])
    assert any("开场" in line for line in changes["removed"])
    assert any("闭幕致辞" in line and "duration 3:00 → 4:00" in line and "notes" in line for line in changes["edited"])
    assert "Someone else saved this running order" in caught.value.message
    assert item_titles(ceremony.id) == saved


def test_moving_one_item_reports_only_that_item_as_moved(demo, ctx):
    from showcase.extensions import db
    from showcase.schedule.running_order import drafts_of
    from showcase.schedule.timing import move_item

    ceremony = session_of("ceremony")
    opened = drafts_of(ceremony)
    version = ceremony.running_order_version
    _save(ceremony, move_item(opened, len(opened) - 1, target=0), version=version)
    db.session.commit()
    with pytest.raises(StaleEdit) as caught:
        _save(ceremony, opened, version=version)
    assert caught.value.changes["moved"] == ["«闭幕致辞» (speech) now at place 1"]
    assert caught.value.changes["added"] == caught.value.changes["removed"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "juggling"}, "items-1-kind", "unknown kind “juggling”"),
        ({"planned_seconds": -5}, "items-1-duration", "cannot be negative"),
        ({"kind": "film", "film_id": None}, "items-1-film_id", "needs a film"),
        ({"film_id": 999_999}, "items-1-film_id", "not one of this festival's"),
        ({"award_id": 999_999}, "items-1-award_id", "not one of this festival's"),
        ({"title": "x" * 301}, "items-1-title", "longer than 300"),
    ],
)
def test_bad_items_are_refused_by_name_and_nothing_is_written(demo, ctx, change, field, message):
    from showcase.schedule.running_order import drafts_of

    ceremony = session_of("ceremony")
    titles, version, audits = item_titles(ceremony.id), ceremony.running_order_version, audit_count()
    drafts = drafts_of(ceremony)
    with pytest.raises(ValidationFailed) as caught:
        _save(ceremony, [replace(drafts[0], **change), *drafts[1:]])
    assert message in caught.value.errors[field]
    assert item_titles(ceremony.id) == titles
    assert ceremony.running_order_version == version and audit_count() == audits


def test_a_film_of_another_festival_is_refused(demo, ctx):
    from showcase.festivals.services import create_festival
    from showcase.films.services import create_film
    from showcase.schedule.running_order import ItemDraft

    other = create_festival(
        name="Other",
        slug="other-fest",
        start_date=festival().start_date,
        end_date=festival().end_date,
        timezone="Europe/Paris",
    )
    film = create_film(other, title="Elsewhere", runtime_seconds=60)
    with pytest.raises(ValidationFailed) as caught:
        _save(session_of("panel"), [ItemDraft(kind="film", film_id=film.id, planned_seconds=60)])
    assert "not one of this festival's" in caught.value.errors["items-1-film_id"]


def test_two_saves_racing_from_one_version_let_exactly_one_win(demo, ctx):
    """The second save passed the version check before the first committed: the conditional UPDATE catches it."""
    from showcase.extensions import db
    from showcase.schedule.running_order import _claim_version

    ceremony = session_of("ceremony")
    version = ceremony.running_order_version
    _claim_version(ceremony, version)
    db.session.commit()
    with pytest.raises(StaleEdit, match="at the same moment"):
        _claim_version(ceremony, version)
    assert session_of("ceremony").running_order_version == version + 1


def test_timing_of_drafts_uses_the_festival_zone(demo, ctx):
    from showcase.schedule.running_order import drafts_of, time_drafts

    ceremony = session_of("ceremony")
    timing = time_drafts(ceremony, drafts_of(ceremony), festival=festival())
    assert [t.start_label for t in timing.items[:3]] == ["14:00", "14:01", "14:06"]
    assert timing.slot_seconds == 90 * 60
