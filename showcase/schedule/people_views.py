"""People on stage in a session (moderator, speakers, host…) and the people picker's JSON.

The session's list is one form: every person's id and role in page order, the session version it was
opened at, and buttons that add, remove or move someone. Each button saves the changed list at once
(after the same checks as the session form: the version, and the person-clash check), so the page works
the same with or without JavaScript; picker.js only finds people as the editor types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import ShowcaseError, ValidationFailed
from showcase.festivals.services import get_festival
from showcase.i18n import translate
from showcase.schedule import services
from showcase.schedule.clashes import ClashRefused
from showcase.schedule.forms import SessionPeopleForm, posted_people, worded_clashes
from showcase.schedule.models import ScheduleSession
from showcase.schedule.people import (
    Entry,
    PersonPick,
    create_person,
    people_by_id,
    person_label,
    person_matches,
    pick_person,
    query_problem,
    role_choices,
    role_label,
)
from showcase.unit_of_work import attempt
from showcase.validation import MAX_ID, whole_number


@requires("editor")
def search_people(slug: str):
    """The people picker's JSON: the best few people whose name (Chinese or English) holds `q`."""
    get_festival(slug)
    q = request.args.get("q", "").strip()
    if not q:  # nothing typed yet: nothing found, not an error
        return _json({"query": "", "results": [], "more": False})
    problem = query_problem(q)
    if problem:
        return _json({"error": "Bad request", "message": problem}), 400
    people, more = person_matches(q)
    results = [{"id": p.id, "label": person_label(p), "detail": p.bio[:80]} for p in people]
    return _json({"query": q, "results": results, "more": more})


def _json(body: dict):
    response = jsonify(body)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@dataclass
class Outcome:
    """What the page shows after a refused change: the list as posted, and why."""

    entries: list[Entry]
    message: str = ""
    errors: list[str] = field(default_factory=list)
    clashes: list = field(default_factory=list)
    pick: PersonPick | None = None
    status: int = 200

    def __post_init__(self) -> None:
        """A service's words (Messages, kept in English) in the reader's language."""
        self.message = translate(self.message)
        self.errors = [translate(text) for text in self.errors]
        self.clashes = worded_clashes(self.clashes)


@requires("editor")
def edit_session_people(slug: str, session_id: int):
    festival = get_festival(slug)
    session = services.get_session(festival, session_id)
    form = SessionPeopleForm()
    outcome = Outcome([Entry(p.person_id, p.role) for p in session.people])
    if form.validate_on_submit():
        entries, problem = posted_people(request.form)
        if problem:
            outcome = Outcome(outcome.entries, _("Nothing was saved: %(why)s", why=problem), status=400)
        else:
            outcome = _change(session, form, entries, request.form.get("op", "save"))
            if outcome is None:
                flash(_("People on stage saved."), "success")
                return redirect(url_for("schedule.edit_session_people", slug=slug, session_id=session_id))
    if not form.is_submitted() or outcome.status == 409:
        form.version.data = str(session.version)
    return render_template(
        "schedule/edit_session_people.html", **_page(festival, session, form, outcome)
    ), outcome.status


def _change(session: ScheduleSession, form: SessionPeopleForm, entries: list[Entry], op: str) -> Outcome | None:
    """Apply the button pressed to the posted list and save it; None when saved."""
    verb, _sep, arg = op.partition(":")
    index = whole_number(arg, maximum=MAX_ID) if arg else None
    if verb in ("up", "down", "remove") and (index is None or not 0 <= index < len(entries)):
        return Outcome(entries, _("Nothing was saved: that person is no longer in the list."), status=400)
    if verb == "remove":
        entries = [e for n, e in enumerate(entries) if n != index]
    elif verb in ("up", "down"):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(entries):
            entries[index], entries[other] = entries[other], entries[index]
    elif verb not in ("save", "add", "new"):
        return Outcome(entries, _("Nothing was saved: unknown action “%(op)s”.", op=op), status=400)
    role = (form.add_role.data or "").strip()
    if verb == "add":
        pick = pick_person(ids=request.form.getlist("add_person_id"), text=form.add_person.data or "")
        if pick.person is None:
            return Outcome(entries, _("Nobody was added: %(why)s", why=pick.problem), pick=pick, status=400)
        entries = [*entries, Entry(pick.person.id, role)]
    return _save(session, form, entries, new=verb == "new", role=role)


def _save(session: ScheduleSession, form: SessionPeopleForm, entries: list[Entry], *, new: bool, role: str):
    version = whole_number(form.version.data or "", maximum=MAX_ID) or -1

    def run():
        listed = entries
        if new:
            person = create_person(
                name=form.new_person_name.data or "", name_en=form.new_person_name_en.data or "", actor=current_user
            )
            listed = [*entries, Entry(person.id, role)]
        return services.set_session_people(
            session,
            listed,
            expected_version=version,
            actor=current_user,
            override_conflicts=bool(form.override_conflicts.data),
        )

    try:
        attempt(run)
    except ValidationFailed as exc:
        return Outcome(entries, _("Nothing was saved:"), errors=list(exc.errors.values()), status=400)
    except ClashRefused as exc:
        return Outcome(entries, exc.message, clashes=exc.clashes, status=409)
    except ShowcaseError as exc:
        return Outcome(entries, exc.message, status=exc.status)
    form.add_person.data = form.new_person_name.data = form.new_person_name_en.data = ""
    return None


def _page(festival, session: ScheduleSession, form: SessionPeopleForm, outcome: Outcome) -> dict:
    people = people_by_id(e.person_id for e in outcome.entries)
    rows = [
        {
            "n": n,
            "entry": entry,
            "name": person_label(people[entry.person_id]) if entry.person_id in people else f"#{entry.person_id}",
            "role_label": role_label(entry.role),
        }
        for n, entry in enumerate(outcome.entries)
    ]
    pick = outcome.pick
    return {
        "festival": festival,
        "session": session,
        "form": form,
        "outcome": outcome,
        "rows": rows,
        "roles": role_choices(),
        "pick_problem": pick.problem if pick else "",
        "person_choices": [(p.id, person_label(p)) for p in pick.choices] if pick else [],
        "new_name": pick.text if pick and not pick.choices else "",
    }
