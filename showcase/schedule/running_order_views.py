"""The running-order builder and the stage manager's cue sheet (routes on the schedule blueprint).

The builder is one form: every item's fields in page order, the version it was opened at, and
submit buttons for move-up / move-down / remove / add / fill. Those buttons change the posted list
and show it again unsaved; only Save writes. Without JavaScript that is the whole builder; with it,
running-order.js moves items in the page (drag and drop, keyboard) and recomputes the times live.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from showcase.auth.access import requires
from showcase.awards.models import Award
from showcase.awards.picking import Pick, film_label, pick_film
from showcase.errors import StaleEdit, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.films.models import Film
from showcase.i18n import current_language, translate
from showcase.schedule import services
from showcase.schedule.clashes import ClashRefused
from showcase.schedule.cues import cue_sheet_data
from showcase.schedule.forms import (
    CUE_MODE_LABELS,
    HARD_START_HELP,
    PostedOrder,
    RunningOrderForm,
    hard_start_text,
    parse_duration,
    posted_items,
    worded_clashes,
)
from showcase.schedule.models import ITEM_KINDS, ScheduleSession, default_cue_mode
from showcase.schedule.people import person_label
from showcase.schedule.running_order import ItemDraft, drafts_of, save_running_order, time_drafts
from showcase.schedule.running_order_people import PERSON_VERBS, PersonNotPicked, person_operation, stage_context
from showcase.schedule.timing import move_down, move_up
from showcase.schedule.winners import announcement_draft, award_names, festival_awards, winner_drafts
from showcase.templating import duration
from showcase.unit_of_work import attempt
from showcase.validation import MAX_ID, parse_id, whole_number

ON_STAGE_STATUSES = ("winner", "selected", "shortlisted")


@dataclass
class Builder:
    """What the builder page shows: the list (saved or not), and what to tell the editor."""

    drafts: list[ItemDraft]
    durations: list[str] | None = None
    hard_starts: list[str] | None = None  # as typed, when the list is shown again with errors
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    notice: str = ""
    changes: dict[str, list[str]] = field(default_factory=dict)
    clashes: list = field(default_factory=list)
    status: int = 200
    pick_problem: str = ""  # why the film picker found no one film
    film_choices: list[tuple[int, str]] = field(default_factory=list)  # its matches, to choose from
    person_problem: str = ""  # why the people picker found no one person
    person_choices: list[tuple[int, str]] = field(default_factory=list)
    new_person_name: str = ""  # what was typed, offered as a new person's name

    def __post_init__(self) -> None:
        """A service's words (Messages, kept in English) in the reader's language."""
        self.message, self.notice = translate(self.message), translate(self.notice)
        self.errors = {key: translate(text) for key, text in self.errors.items()}
        self.changes = {key: [translate(line) for line in lines] for key, lines in self.changes.items()}
        self.clashes = worded_clashes(self.clashes)


@requires("editor")
def edit_running_order(slug: str, session_id: int):
    festival = get_festival(slug)
    session = services.get_session(festival, session_id)
    form = RunningOrderForm()
    builder = Builder(drafts_of(session))
    if form.validate_on_submit():
        posted = posted_items(request.form, festival=festival, session=session)
        op = request.form.get("op", "save")
        if posted.errors:
            builder = Builder(
                posted.drafts,
                posted.durations,
                posted.hard_starts,
                posted.errors,
                status=400,
                message=_("Nothing was saved: correct the items marked below."),
            )
        elif op == "save":
            builder = _save(session, posted, form)
            if builder is None:
                flash(_("Running order saved."), "success")
                return redirect(url_for("schedule.edit_running_order", slug=slug, session_id=session_id))
        else:
            builder = _apply_op(festival, op, posted.drafts, form)
    else:
        form.running_order_version.data = str(session.running_order_version)
    return render_template(
        "schedule/edit_running_order.html", **_page(festival, session, form, builder)
    ), builder.status


def _save(session: ScheduleSession, posted: PostedOrder, form: RunningOrderForm) -> Builder | None:
    """Save the posted list; None when saved, else the list again with why it was refused."""
    text = form.running_order_version.data or ""
    version = whole_number(text, maximum=MAX_ID) or -1
    try:
        attempt(
            lambda: save_running_order(
                session,
                posted.drafts,
                expected_version=version,
                actor=current_user,
                override_conflicts=bool(form.override_conflicts.data),
            )
        )
    except ValidationFailed as exc:
        return Builder(
            posted.drafts,
            posted.durations,
            posted.hard_starts,
            exc.errors,
            status=400,
            message=_("Nothing was saved: correct the items marked below."),
        )
    except StaleEdit as exc:
        # Saving again now replaces the colleague's version knowingly.
        form.running_order_version.data = str(session.running_order_version)
        return Builder(
            posted.drafts, posted.durations, posted.hard_starts, message=exc.message, changes=exc.changes, status=409
        )
    except ClashRefused as exc:
        return Builder(
            posted.drafts, posted.durations, posted.hard_starts, message=exc.message, clashes=exc.clashes, status=409
        )
    return None


def _apply_op(festival: Festival, op: str, drafts: list[ItemDraft], form: RunningOrderForm) -> Builder:
    """Move, remove, add or fill on the posted list, shown again unsaved."""
    verb, _sep, arg = op.partition(":")
    try:
        changed, what = _operation(festival, verb, arg, drafts, form)
    except NotPicked as exc:
        return Builder(
            drafts,
            message=_("Nothing was added: %(problem)s", problem=exc.pick.problem),
            status=400,
            pick_problem=exc.pick.problem,
            film_choices=[(f.id, film_label(f)) for f in exc.pick.choices],
        )
    except PersonNotPicked as exc:
        return Builder(
            drafts,
            message=_("Nobody was added: %(why)s", why=exc.pick.problem),
            status=400,
            person_problem=exc.pick.problem,
            person_choices=[(p.id, person_label(p)) for p in exc.pick.choices],
            new_person_name=exc.pick.text if not exc.pick.choices else "",
        )
    except (ValueError, IndexError, ValidationFailed) as exc:
        return Builder(
            drafts,
            errors={"op": _problem(exc)},
            message=_("Nothing changed: %(problem)s", problem=_problem(exc)),
            status=400,
        )
    return Builder(changed, notice=_("%(what)s Not saved yet: press “Save running order” to keep it.", what=what))


def _problem(exc: Exception) -> str:
    """Why an operation was refused, in the reader's language (a Message as its template)."""
    if isinstance(exc, ValidationFailed):
        return " ".join(translate(message) for message in exc.errors.values())
    return translate(exc.args[0]) if exc.args else str(exc)


def _operation(festival: Festival, verb: str, arg: str, drafts: list[ItemDraft], form: RunningOrderForm):
    if verb in ("up", "down", "remove"):
        index = whole_number(arg, maximum=MAX_ID)
        index = -1 if index is None else index
        if not 0 <= index < len(drafts):
            raise IndexError(_("that item is no longer in the running order."))
        name = drafts[index].title or drafts[index].kind
        if verb == "remove":
            return [d for n, d in enumerate(drafts) if n != index], _("Removed «%(name)s».", name=name)
        moved = (move_up if verb == "up" else move_down)(drafts, index)
        place = moved.index(drafts[index]) + 1
        if verb == "up":
            return moved, _("Moved «%(name)s» up to place %(place)s.", name=name, place=place)
        return moved, _("Moved «%(name)s» down to place %(place)s.", name=name, place=place)
    if verb == "add-film":  # a film of the quick list (add-film:<id>), or the one the picker names
        film = _festival_film(festival, arg) if arg else _picked_film(festival, form)
        return [
            *drafts,
            ItemDraft(
                kind="film",
                film_id=film.id,
                planned_seconds=film.runtime_seconds,
                title=film.title,
                title_en=film.title_en,
            ),
        ], _("Added the film «%(title)s».", title=film.title)
    if verb in PERSON_VERBS:
        changed, what = person_operation(
            verb,
            arg,
            drafts,
            item=form.person_item.data or "",
            role=form.person_role.data or "",
            picked=request.form.getlist("add_person_id"),
            text=form.add_person.data or "",
            new_name=form.new_person_name.data or "",
            new_name_en=form.new_person_name_en.data or "",
            actor=current_user,
        )
        form.add_person.data = form.new_person_name.data = form.new_person_name_en.data = ""
        return changed, what
    if verb == "add-award":
        every = festival_awards(festival)
        award = next((a for a in every if str(a.id) == arg), None)
        if award is None:
            raise ValueError(_("that award is not one of this festival's."))
        return [*drafts, announcement_draft([award], award_names(every)[award.id])], _("Added the award announcement.")
    if verb == "add":
        return [*drafts, _new_item(form)], _("Added an item.")
    if verb == "restore":  # ro-draft.js posts back a list this browser kept
        return drafts, _("Your unsaved running order is back from this browser's draft.")
    if verb == "fill":
        present = {d.award_id for d in drafts if d.award_id is not None}
        added = winner_drafts(festival, mode=form.fill_mode.data or "", skip_award_ids=present)
        return [*drafts, *added], _("Added %(n)s items from the winners.", n=len(added))
    raise ValueError(_("unknown action “%(verb)s”.", verb=verb))


class NotPicked(ValueError):
    """The film picker named no one film: why, and the matches to choose from."""

    def __init__(self, pick: Pick) -> None:
        super().__init__(pick.problem)
        self.pick = pick


def _picked_film(festival: Festival, form: RunningOrderForm) -> Film:
    pick = pick_film(festival, ids=request.form.getlist("add_film_id"), text=form.add_film.data or "")
    if pick.film is None:
        raise NotPicked(pick)
    form.add_film.data = ""  # added: the box is empty for the next one
    return pick.film


def _festival_film(festival: Festival, arg: str) -> Film:
    row_id = parse_id(arg)
    row = db.session.get(Film, row_id) if row_id else None
    if row is None or row.festival_id != festival.id:
        raise ValueError(_("that film is not one of this festival's."))
    return row


def _new_item(form: RunningOrderForm) -> ItemDraft:
    kind = form.new_kind.data or ""
    if kind not in ITEM_KINDS or kind == "film":
        raise ValueError(_("unknown item kind “%(kind)s” (films are added from the film list).", kind=kind))
    try:
        seconds = parse_duration(form.new_duration.data)
    except ValueError as exc:
        raise ValueError(_("new item: %(problem)s", problem=_problem(exc))) from exc
    title = (form.new_title.data or "").strip() or kind.capitalize()
    return ItemDraft(kind=kind, planned_seconds=seconds, title=title)


def _page(festival: Festival, session: ScheduleSession, form: RunningOrderForm, builder: Builder) -> dict:
    timing = time_drafts(session, builder.drafts, festival=festival)
    durations = builder.durations or [duration(d.planned_seconds) for d in builder.drafts]
    hard_starts = builder.hard_starts or [
        hard_start_text(d.hard_start_at, festival=festival, session=session) for d in builder.drafts
    ]
    films = {
        f.id: f
        for f in db.session.scalars(
            select(Film)
            .where(Film.festival_id == festival.id, Film.status.in_(ON_STAGE_STATUSES))
            .order_by(Film.title_en, Film.title)
        )
    }
    rows = [
        {
            "n": n,
            "draft": d,
            "duration": durations[n],
            "cue_mode": d.cue_mode or default_cue_mode(d.kind),
            "hard_start": hard_starts[n],
            "timed": timing.items[n],
            "errors": [m for k, m in builder.errors.items() if k.startswith(f"items-{n + 1}-")],
            "bad": {k.removeprefix(f"items-{n + 1}-") for k in builder.errors if k.startswith(f"items-{n + 1}-")},
        }
        for n, d in enumerate(builder.drafts)
    ]
    return {
        "festival": festival,
        "session": session,
        "form": form,
        "builder": builder,
        "rows": rows,
        "cue_modes": {mode: translate(words) for mode, words in CUE_MODE_LABELS.items()},
        "hard_start_help": translate(HARD_START_HELP),
        "timing": timing,
        "films": list(films.values()),
        "awards": _award_choices(festival_awards(festival)),
        "start_ms": int(session.starts_at.timestamp() * 1000),
        **stage_context(builder.drafts),
    }


def _award_choices(awards: list[Award]) -> list[tuple[int, str]]:
    """The "add an announcement" choices: category, prize name in the reader's language, film."""
    names, lang = award_names(awards), current_language()
    return [(a.id, f"{a.category.name} · {names[a.id].pick(lang)} — {a.film.title}") for a in awards]


@requires("viewer")
def show_cue_sheet(slug: str, session_id: int):
    festival = get_festival(slug)
    session = services.get_session(festival, session_id)
    return render_template(
        "schedule/show_cue_sheet.html",
        festival=festival,
        session=session,
        sheet=cue_sheet_data(festival, session),
        stage_roles=stage_context([])["stage_roles"],
    )
