"""The caller's and the presenter's pages of a live show, its state (JSON and event stream), and its commands.

Viewers watch; editors act. A command is a CSRF form that works without JavaScript (POST, then 303 back
to the caller's page with what happened, or why nothing did, flashed) or, from show_caller.js, a fetch
that asks for JSON: the show's state, or the refusal with its status (a GO whose cue the show has left,
a double press, is a 409 that changed nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from showcase.auth.access import requires
from showcase.confirm import confirm_then, is_confirmed
from showcase.db import utcnow
from showcase.errors import ShowcaseError, StaleEdit
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.i18n import N_, script_words, translate
from showcase.labels import label
from showcase.schedule.models import ScheduleSession
from showcase.schedule.services import get_session
from showcase.shows import clock, present, services, streams
from showcase.shows.models import Show
from showcase.unit_of_work import attempt
from showcase.validation import parse_id

# Two commands at the same instant (a double press that reached two server threads): the later one loses the
# show's version check and is rolled back. It said "someone else saved…", which is not what happened here.
AT_THE_SAME_MOMENT = N_(
    "Another command reached the show at the same moment (a double press?): this one was not applied."
)

# Stopping or restarting a live show cannot be undone: these ask first (a rehearsal does not).
ASK_FIRST = {
    "end": (
        _l("End the show %(title)s now?"),
        _l("End the show"),
        _l("The current cue ends now. The show can only run again from its first cue, after a reset."),
    ),
    "reset": (
        _l("Reset the show %(title)s to standby?"),
        _l("Reset the show"),
        _l(
            "The next GO starts the show again from its first cue. The as-run log of this run is kept, "
            "and awards already revealed stay revealed."
        ),
    ),
}


def _open(slug: str, session_id: int) -> tuple[Festival, ScheduleSession, Show]:
    festival = get_festival(slug)
    session = get_session(festival, session_id)
    return festival, session, services.show_for(session)


# What show_caller.js and show_stage.js write (static/js/words.js), besides the clock's warnings and labels.
LIVE_WORDS = (
    N_("over"),
    N_("left"),
    N_("GO held by %(name)s"),
    N_("GO held by %(name)s (you)"),
    N_("Nobody holds the GO yet: the first GO takes it."),
    N_("cue %(position)s at %(at)s, in %(wait)s"),
    N_("cue %(position)s at %(at)s, in %(wait)s — projected %(late)s late"),
    N_("This show no longer exists (its session was deleted)."),
    N_("Nothing changed: %(problem)s"),
    N_("The server answered %(status)s."),
    N_("No answer from the server: check the connection, then look at the rundown before pressing again."),
    N_("The show has ended: reset it to run it again."),
    N_("Rehearsal"),
)


def _page(template: str, slug: str, session_id: int):
    festival, session, show = _open(slug, session_id)
    state = present.show_state(show, now=utcnow())
    return render_template(
        template,
        festival=festival,
        session=session,
        state=state,
        me=current_user.id,
        can_act=current_user.has_role("editor"),
        message_max=services.MESSAGE_MAX,
        words=script_words(LIVE_WORDS + clock.WARNINGS, labels=("show_state", "show_level", "item_kind", "cue_mode")),
    )


@requires("viewer")
def show_caller(slug: str, session_id: int):
    return _page("shows/show_caller.html", slug, session_id)


@requires("viewer")
def show_stage(slug: str, session_id: int):
    return _page("shows/show_stage.html", slug, session_id)


@requires("viewer")
def show_state(slug: str, session_id: int):
    _festival, _session, show = _open(slug, session_id)
    response = jsonify(present.show_state(show, now=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@requires("viewer")
def show_events(slug: str, session_id: int):
    """Server-Sent Events: state.json at once, at every change and every second (the timers count on)."""
    _festival, _session, show = _open(slug, session_id)
    show_id = show.id

    def look(now: datetime) -> dict[str, Any]:
        current = db.session.get(Show, show_id)
        if current is None:  # the session was deleted while someone watched
            return {"state": "gone", "version": None}
        return present.show_state(current, now=now)

    return streams.event_stream(current_app._get_current_object(), services.topic(show), look, every_tick=True)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@requires("editor")
def command_show(slug: str, session_id: int, command: str):
    _festival, session, show = _open(slug, session_id)
    live_run = show.state in ("running", "paused", "ended") and not show.rehearsal
    if command in ASK_FIRST and live_run and not _wants_json():
        if command == "end" and show.state == "ended":
            return _run(show, command)  # refused by the service, with its own message
        question, label, consequence = ASK_FIRST[command]
        return confirm_then(
            str(question) % {"title": session.title},
            lambda: _run(show, command),
            label=str(label),
            consequence=str(consequence),
            cancel=url_for(".show_caller", slug=slug, session_id=session_id),
        )
    return _run(show, command)


def _from_cue() -> int | None:
    """The cue a GO or a Back was pressed on (empty: pressed in standby, before the first cue)."""
    text = request.form.get("from_cue")
    if text is None:
        raise ShowcaseError(N_("The button did not say which cue it was pressed on: reload the page and try again."))
    if text == "":
        return None
    cue = parse_id(text)
    if cue is None:
        raise ShowcaseError(N_("The button named a cue that does not exist: reload the page and try again."))
    return cue


def _action(show: Show, command: str, now: datetime) -> Callable[[], Show]:
    actor = current_user._get_current_object()
    if command in ("go", "back"):
        move = services.go if command == "go" else services.back
        return lambda: move(show, actor=actor, from_cue=_from_cue(), now=now)
    if command == "reset":
        return lambda: services.reset(show, actor=actor, confirm=is_confirmed() or _wants_json(), now=now)
    if command == "message":
        return lambda: services.send_message(show, actor=actor, text=request.form.get("message", ""), now=now)
    simple = {
        "rehearse": services.rehearse,
        "pause": services.pause,
        "resume": services.resume,
        "end": services.end,
        "take_over": services.take_over,
        "prepare": services.prepare_screen,
    }[command]
    return lambda: simple(show, actor=actor, now=now)


def _run(show: Show, command: str):
    """Run the command; answer JSON (fetch) or flash and go back to the caller's page (a plain form)."""
    now = utcnow()
    try:
        attempt(_action(show, command, now))
    except ShowcaseError as exc:
        message = translate(AT_THE_SAME_MOMENT if isinstance(exc, StaleEdit) else exc.message)
        if _wants_json():
            state = present.show_state(show, now=now)
            return jsonify(error="refused", message=message, state=state), exc.status
        flash(_("Nothing changed: %(problem)s", problem=message), "error")
        return _back_to_caller(show)
    state = present.show_state(show, now=now)
    said = _said(command, state)
    if _wants_json():
        return jsonify(done=command, message=said, state=state)
    flash(said, "success")
    return _back_to_caller(show)


def _back_to_caller(show: Show):
    festival = db.session.get(Festival, show.session.festival_id)
    return redirect(url_for(".show_caller", slug=festival.slug, session_id=show.session_id), code=303)


def _said(command: str, state: dict[str, Any]) -> str:
    """What a command did, in a line for the person who pressed it."""
    cue = state["cue"]
    on_cue = (
        _(
            "cue %(position)s · %(title)s",
            position=cue["position"],
            title=cue["title"] or label(cue["kind"], "item_kind"),
        )
        if cue
        else ""
    )
    if command in ("go", "rehearse") and state["state"] == "ended":
        return _("That was the last cue: the show has ended.")
    said = {
        "go": lambda: _("GO: %(cue)s.", cue=on_cue),
        "rehearse": lambda: _("Rehearsal started (nothing is revealed to guests): %(cue)s.", cue=on_cue),
        "back": lambda: _("Back to %(cue)s.", cue=on_cue),
        "pause": lambda: _("Paused."),
        "resume": lambda: _("Running again."),
        "end": lambda: _("The show has ended."),
        "reset": lambda: _("The show is back in standby."),
        "take_over": lambda: _("You hold the GO now."),
        "prepare": lambda: _(
            "The show is on the screen's kiosks: they fetch its films now and wait, black, for the first GO."
        ),
        "message": lambda: _("Stage message sent.") if state["message"] else _("Stage message cleared."),
    }
    return said[command]()
