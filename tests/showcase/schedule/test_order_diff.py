"""Pure: the running-order diff names what a colleague changed."""

from __future__ import annotations

from showcase.schedule.order_diff import diff_running_orders, has_changes


def rec(id, title, seconds=60, **extra):
    return {"id": id, "kind": "speech", "title": title, "title_en": "", "planned_seconds": seconds, **extra}


def test_diff_names_added_removed_moved_and_edited_items():
    before = [rec(1, "A"), rec(2, "B"), rec(3, "C"), rec(4, "D")]
    after = [rec(3, "C"), rec(1, "A"), rec(2, "B", 90, notes="mic"), rec(5, "E")]
    diff = diff_running_orders(before, after)
    assert diff == {
        "added": ["«E» (speech)"],
        "removed": ["«D» (speech)"],
        "moved": ["«C» (speech) now at place 1"],
        "edited": ["«B» (speech): duration 1:00 → 1:30; notes “” → “mic”"],
    }
    assert has_changes(diff)


def test_an_unchanged_list_has_no_changes():
    items = [rec(1, "A"), rec(2, "B")]
    assert not has_changes(diff_running_orders(items, list(items)))
