"""Saving a session's whole running order at once, against the version the editor started from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from showcase.audit.models import AuditLog
from showcase.audit.services import record
from showcase.awards.models import Award, AwardCategory
from showcase.errors import StaleEdit
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.messages import N_
from showcase.schedule.clashes import candidate_slot, guard, record_override
from showcase.schedule.models import (
    CUE_MODES,
    ITEM_KINDS,
    ItemPerson,
    RunningOrderItem,
    ScheduleSession,
    default_cue_mode,
)
from showcase.schedule.order_diff import diff_running_orders
from showcase.schedule.people import Entry, check_entries, known_people, relink
from showcase.schedule.timing import PlannedItem, RunningOrderTiming, time_running_order
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

AUDIT_ACTION = "running_order"
TEXT_LIMITS = {"title": (N_("Title"), 300), "title_en": (N_("English title"), 300), "notes": (N_("Notes"), 5000)}


@dataclass(frozen=True)
class ItemDraft:
    """One running-order item as an editor submitted it; `id` is None for a new item."""

    kind: str
    planned_seconds: int
    title: str = ""
    title_en: str = ""
    film_id: int | None = None
    award_id: int | None = None
    notes: str = ""
    cue_mode: str = ""  # "" takes the kind's default (showcase.schedule.models.default_cue_mode)
    hard_start_at: datetime | None = None  # aware; stored in UTC
    people: tuple[Entry, ...] = ()  # who is on stage at this item, in order
    id: int | None = None

    def record(self) -> dict[str, Any]:
        """The draft as plain data, the shape kept in the audit log (a hard start as ISO 8601 text)."""
        # Shallow on purpose: dataclasses.asdict deep-copies and was a third of a 1,000-item save.
        record = {name: getattr(self, name) for name in DRAFT_FIELDS}
        if record["hard_start_at"] is not None:
            record["hard_start_at"] = record["hard_start_at"].astimezone(UTC).isoformat()
        record["people"] = [[entry.person_id, entry.role] for entry in self.people]
        return record


DRAFT_FIELDS = tuple(f.name for f in fields(ItemDraft))


def draft_of(item: RunningOrderItem) -> ItemDraft:
    """A stored item as a draft."""
    return ItemDraft(
        id=item.id,
        kind=item.kind,
        planned_seconds=item.planned_seconds,
        title=item.title,
        title_en=item.title_en,
        film_id=item.film_id,
        award_id=item.award_id,
        notes=item.notes,
        cue_mode=item.cue_mode,
        hard_start_at=item.hard_start_at,
        people=tuple(Entry(link.person_id, link.role) for link in item.people),
    )


def drafts_of(session: ScheduleSession) -> list[ItemDraft]:
    """The stored running order as drafts, in order."""
    return [draft_of(item) for item in session.items]


def time_drafts(session: ScheduleSession, drafts: Sequence[ItemDraft], *, festival: Festival) -> RunningOrderTiming:
    """Cue numbers, offsets and festival clock times of the drafts in the session's slot."""
    planned = [PlannedItem(key=n, kind=d.kind, planned_seconds=max(0, d.planned_seconds)) for n, d in enumerate(drafts)]
    return time_running_order(planned, start=session.starts_at, end=session.ends_at, tz=festival.zone)


def check_drafts(festival: Festival, drafts: Sequence[ItemDraft]) -> list[ItemDraft]:
    """The drafts with text trimmed; ValidationFailed names each bad item (`items-<n>-<field>`)."""
    checker = Checker()
    films = _ids_in(festival, Film, {d.film_id for d in drafts if d.film_id is not None})
    awards = _award_ids_in(festival, {d.award_id for d in drafts if d.award_id is not None})
    people = known_people(entry.person_id for d in drafts for entry in d.people)
    clean = []
    for n, draft in enumerate(drafts, start=1):
        field = f"items-{n}-"
        if draft.kind not in ITEM_KINDS:
            checker.fail(
                field + "kind",
                N_(
                    "Item %(n)s: unknown kind “%(kind)s” (expected one of %(kinds)s).",
                    n=n,
                    kind=draft.kind,
                    kinds=", ".join(ITEM_KINDS),
                ),
            )
        if not isinstance(draft.planned_seconds, int) or draft.planned_seconds < 0:
            checker.fail(field + "duration", N_("Item %(n)s: the duration cannot be negative.", n=n))
        if draft.kind == "film" and draft.film_id is None:
            checker.fail(field + "film_id", N_("Item %(n)s: a film item needs a film.", n=n))
        if draft.film_id is not None and draft.film_id not in films:
            checker.fail(field + "film_id", N_("Item %(n)s: that film is not one of this festival's.", n=n))
        if draft.award_id is not None and draft.award_id not in awards:
            checker.fail(field + "award_id", N_("Item %(n)s: that award is not one of this festival's.", n=n))
        mode = draft.cue_mode or default_cue_mode(draft.kind)
        if mode not in CUE_MODES:
            checker.fail(
                field + "cue_mode",
                N_("Item %(n)s: a cue is “manual” or “follow”, not “%(mode)s”.", n=n, mode=draft.cue_mode),
            )
        if draft.hard_start_at is not None and draft.hard_start_at.tzinfo is None:
            checker.fail(field + "hard_start_at", N_("Item %(n)s: the hard start needs a time zone.", n=n))
        check_entries(checker, draft.people, field=field + "people", what=N_("Item %(n)s: ", n=n), known=people)
        texts = {
            key: checker.text(
                field + key,
                getattr(draft, key),
                label=N_("Item %(n)s: %(label)s", n=n, label=label),
                max_length=limit,
                required=False,
            )
            for key, (label, limit) in TEXT_LIMITS.items()
        }
        clean.append(replace(draft, cue_mode=mode, **texts))
    checker.done()
    return clean


def _ids_in(festival: Festival, model, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(select(model.id).where(model.id.in_(ids), model.festival_id == festival.id)))


def _award_ids_in(festival: Festival, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Award.id).join(AwardCategory).where(Award.id.in_(ids), AwardCategory.festival_id == festival.id)
        )
    )


def save_running_order(
    session: ScheduleSession,
    drafts: Sequence[ItemDraft],
    *,
    expected_version: int,
    actor: User | None = None,
    override_conflicts: bool = False,
) -> ScheduleSession:
    """Replace the running order with `drafts`, in that order, and audit it.

    StaleEdit (its `changes` say what the colleague changed) when someone saved since
    `expected_version`; ValidationFailed for bad items; ClashRefused for conflicts not overridden.
    """
    festival = db.session.get(Festival, session.festival_id)
    clean = check_drafts(festival, drafts)
    if session.running_order_version != expected_version:
        raise stale_edit(session, expected_version)
    clashes = guard(
        festival,
        candidate_slot(
            session.id,
            screen_id=session.screen_id,
            start=session.starts_at,
            end=session.ends_at,
            film_ids=[d.film_id for d in clean if d.kind == "film" and d.film_id is not None],
            person_ids={p.person_id for p in session.people} | {e.person_id for d in clean for e in d.people},
        ),
        override=override_conflicts,
        what="running order",
    )
    before = [draft_of(item).record() for item in session.items]
    _claim_version(session, expected_version)
    _apply(session, clean)
    after = [draft_of(item).record() for item in session.items]
    record(
        actor=actor,
        action=AUDIT_ACTION,
        entity=session,
        before={"running_order_version": expected_version, "items": before},
        after={"running_order_version": session.running_order_version, "items": after},
    )
    record_override(clashes, actor=actor, entity=session)
    return session


def _claim_version(session: ScheduleSession, expected: int) -> None:
    """Bump the version in one conditional UPDATE, so of two simultaneous saves exactly one wins."""
    claimed = db.session.execute(
        update(ScheduleSession)
        .where(ScheduleSession.id == session.id, ScheduleSession.running_order_version == expected)
        # updated_at kept: it is the session's own last change, which public calendar feeds publish;
        # a running order filled from embargoed winners must not show there (its audit log keeps time).
        .values(running_order_version=expected + 1, updated_at=ScheduleSession.updated_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise StaleEdit(N_("Someone else saved this running order at the same moment. Reload and try again."))
    # set_committed_value: the row already says expected + 1; marking it dirty would bump `version`.
    set_committed_value(session, "running_order_version", expected + 1)


def _apply(session: ScheduleSession, drafts: Sequence[ItemDraft]) -> None:
    existing = {item.id: item for item in session.items}
    kept: list[RunningOrderItem] = []
    for position, draft in enumerate(drafts):
        item = existing.pop(draft.id, None) if draft.id is not None else None
        if item is None:  # new, or deleted by a colleague whose version this save overrides
            item = RunningOrderItem(session_id=session.id)
        values = {k: getattr(draft, k) for k in DRAFT_FIELDS if k not in ("id", "people")}
        for key, value in {**values, "position": position}.items():
            if getattr(item, key) != value:
                setattr(item, key, value)
        people = relink(item.people, list(draft.people), lambda e: ItemPerson(person_id=e.person_id, role=e.role))
        if people != list(item.people):
            item.people = people
        kept.append(item)
    session.items = kept  # delete-orphan removes the items left out
    db.session.flush()


def stale_edit(session: ScheduleSession, expected_version: int) -> StaleEdit:
    """The refusal of a stale save, carrying the colleague's changes since `expected_version`."""
    base = items_at_version(session, expected_version)
    current = [draft_of(item).record() for item in session.items]
    zone = db.session.get(Festival, session.festival_id).zone
    changes = diff_running_orders(base, current, tz=zone) if base is not None else {}
    return StaleEdit(
        N_(
            "Someone else saved this running order since you opened it (version %(version)s, now %(now)s). "
            "Your edit was not saved and is still below: compare it with their changes, then save again "
            "to replace their version with yours.",
            version=expected_version,
            now=session.running_order_version,
        ),
        current=session,
        changes=changes,
    )


def items_at_version(session: ScheduleSession, version: int) -> list[dict] | None:
    """The running order as it was at `version`, from the audit log; None when the log cannot tell."""
    entries = db.session.scalars(
        select(AuditLog)
        .where(
            AuditLog.entity_type == "ScheduleSession", AuditLog.entity_id == session.id, AuditLog.action == AUDIT_ACTION
        )
        .order_by(AuditLog.id)
    )
    for entry in entries:
        for state in (entry.before, entry.after):
            if state and state.get("running_order_version") == version:
                return state["items"]
    return None
