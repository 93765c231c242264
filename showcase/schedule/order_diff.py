"""What changed between two versions of a running order: pure, on plain item records.

A record is a dict with at least `id`, `kind`, `title`, `title_en`, `planned_seconds`; items are
matched by id. A hard start is ISO 8601 text (ItemDraft.record), named on the festival's clock when the
caller gives its zone. "Moved" means the item left the longest run of items still in their old relative
order, so moving one item up reports that item only, not every item it jumped over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from difflib import SequenceMatcher
from functools import reduce

from showcase.messages import N_, Message
from showcase.templating import duration

COMPARED = {
    "kind": N_("kind"),
    "film_id": N_("film"),
    "award_id": N_("award"),
    "planned_seconds": N_("duration"),
    "title": N_("title"),
    "title_en": N_("English title"),
    "notes": N_("notes"),
    "cue_mode": N_("cue"),
    "hard_start_at": N_("hard start"),
    "people": N_("people on stage"),
}
# Recorded only since show control (people: since people on stage): an older audit entry without them
# says nothing about them.
LATER = frozenset({"cue_mode", "hard_start_at", "people"})


def item_name(record: dict) -> Message:
    """A short name for an item in a message: «title» (kind)."""
    title = record.get("title") or record.get("title_en") or N_("untitled")
    return N_("«%(title)s» (%(kind)s)", title=title, kind=record.get("kind", "item"))


def diff_running_orders(
    before: Sequence[dict], after: Sequence[dict], *, tz: tzinfo | None = None
) -> dict[str, list[Message]]:
    """Lines for each of added / removed / moved / edited, from `before` to `after` (hard starts in `tz`)."""
    old = {r["id"]: r for r in before if r.get("id") is not None}
    new = {r["id"]: r for r in after if r.get("id") is not None}
    common_before = [r["id"] for r in before if r.get("id") in new]
    common_after = [r["id"] for r in after if r.get("id") in old]
    place = {r.get("id"): n for n, r in enumerate(after, start=1)}
    return {
        "added": [item_name(r) for r in after if r.get("id") not in old],
        "removed": [item_name(r) for r in before if r.get("id") not in new],
        "moved": [
            N_("%(item)s now at place %(place)s", item=item_name(new[i]), place=place[i])
            for i in _moved(common_before, common_after)
        ],
        "edited": [
            N_("%(item)s: %(changes)s", item=item_name(new[i]), changes=changes)
            for i in common_after
            if (changes := _changes(old[i], new[i], tz))
        ],
    }


def _moved(before: list, after: list) -> list:
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    kept = {after[block.b + k] for block in matcher.get_matching_blocks() for k in range(block.size)}
    return [item for item in after if item not in kept]


def _changes(old: dict, new: dict, tz: tzinfo | None) -> Message | None:
    """The changed fields, "; " between them (each a Message, so a page words every one)."""
    parts = []
    for key, label in COMPARED.items():
        if key in LATER and (key not in old or key not in new):
            continue
        if old.get(key) != new.get(key):
            if key == "planned_seconds":
                old_value, new_value = duration(old.get(key) or 0), duration(new.get(key) or 0)
                parts.append(N_("%(field)s %(old)s → %(new)s", field=label, old=old_value, new=new_value))
            elif key in ("film_id", "award_id", "people"):
                parts.append(N_("%(field)s changed", field=label))
            elif key == "hard_start_at":
                old_value, new_value = _clock(old.get(key), tz), _clock(new.get(key), tz)
                parts.append(N_("%(field)s %(old)s → %(new)s", field=label, old=old_value, new=new_value))
            else:
                old_value, new_value = old.get(key) or "", new.get(key) or ""
                parts.append(N_("%(field)s “%(old)s” → “%(new)s”", field=label, old=old_value, new=new_value))
    return reduce(lambda first, then: N_("%(first)s; %(then)s", first=first, then=then), parts) if parts else None


def _clock(value: str | None, tz: tzinfo | None) -> str:
    """A recorded hard start as a wall-clock time ("none" when unset)."""
    if not value:
        return N_("none")
    at = datetime.fromisoformat(value).astimezone(tz or UTC)
    return f"{at:%Y-%m-%d %H:%M}" + ("" if tz else " UTC")


def has_changes(diff: dict[str, list[str]]) -> bool:
    """True when the diff lists anything."""
    return any(diff.values())
