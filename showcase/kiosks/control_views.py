"""The control room: every kiosk live (viewers watch), commands and playlist assignment (editors act)."""

from __future__ import annotations

import json
import time

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from showcase.auth.access import requires
from showcase.confirm import confirm_then
from showcase.extensions import db
from showcase.forms import choices as choices_of
from showcase.forms import save_with
from showcase.i18n import N_, script_words
from showcase.kiosks import services
from showcase.kiosks.control import NO_SIGNAL_AFTER, WARNINGS, kiosk_status
from showcase.kiosks.forms import AssignForm, CommandForm
from showcase.kiosks.models import Playlist
from showcase.labels import label

# The event stream looks for changes 4 times a second and sends every change at once, and at least one
# message a second (the ages move on); after CONTROL_EVENTS_MS it ends and the browser reconnects, so
# a stream never holds a server thread for long.
STREAM_CHECK = 0.25

# Show-stopping commands ask first; the everyday ones (pause, next, ...) stay one click.
ASK_FIRST = {
    "stop": (
        _l("Stop the screen of %(name)s?"),
        _l("Stop the screen"),
        _l("Playback stops and the screen stays dark until someone presses Play."),
    )
}

# What control-room.js writes (static/js/words.js), besides the kiosks' warnings and their states' labels.
LIVE_WORDS = (
    N_("heartbeat %(seconds)s s ago"),
    N_("no heartbeat yet"),
    N_("— none assigned —"),
    N_("(v%(version)s published)"),
    N_("%(ready)s/%(items)s files ready"),
    N_("v%(version)s: %(ok)s/%(total)s ok"),
    N_("check %(key)s: %(warning)s"),
)


def _playlist_choices() -> list[tuple[str, str]]:
    playlists = db.session.scalars(select(Playlist).order_by(Playlist.id.desc()))
    return [("", _("— none —"))] + [
        (
            str(p.id),
            f"{p.title} (v{p.published_version})"
            if p.published_version
            else _("%(title)s (not published)", title=p.title),
        )
        for p in playlists
    ]


def _command_form(status: dict) -> CommandForm:
    form = CommandForm()
    form.item_key.choices = choices_of([("", "—")] + [(i["key"], i["title"]) for i in status["items"]])
    return form


def _assign_form(kiosk, options) -> AssignForm:
    form = AssignForm(playlist_id=kiosk.playlist_id)
    form.playlist_id.choices = choices_of(options)
    return form


@requires("viewer")
def control_room():
    kiosks = services.list_kiosks()
    statuses = [kiosk_status(k) for k in kiosks]
    choices = _playlist_choices()
    return render_template(
        "kiosks/control_room.html",
        statuses=statuses,
        no_signal_after=int(NO_SIGNAL_AFTER.total_seconds()),
        command_forms={s["id"]: _command_form(s) for s in statuses},
        assign_forms={k.id: _assign_form(k, choices) for k in kiosks},
        words=script_words(LIVE_WORDS + WARNINGS, labels=("kiosk_state",)),
    )


@requires("viewer")
def control_state():
    response = jsonify(_statuses())
    response.headers["Cache-Control"] = "no-store"
    return response


def _statuses() -> dict:
    return {"kiosks": [kiosk_status(k) for k in services.list_kiosks()]}


@requires("viewer")
def control_events():
    """Server-Sent Events: the control room's state.json, pushed when it changes."""
    app = current_app._get_current_object()
    seconds = app.config["CONTROL_EVENTS_MS"] / 1000

    def look() -> dict:
        # each look in an app context (and database session) of its own: it sees what was committed since,
        # and nothing of the request's context has to outlive the request
        with app.app_context():
            return _statuses()

    def stream():
        yield "retry: 1000\n\n"
        sent, sent_at = None, 0.0
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            statuses = look()
            changed = json.dumps(
                [{k: v for k, v in s.items() if k != "heartbeat_age"} for s in statuses["kiosks"]], sort_keys=True
            )
            if changed != sent or time.monotonic() - sent_at >= 1.0:
                sent, sent_at = changed, time.monotonic()
                yield f"data: {json.dumps(statuses)}\n\n"
            time.sleep(STREAM_CHECK)

    response = Response(stream(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


@requires("viewer")
def thumbnail(kiosk_id: int):
    """The latest picture the kiosk read back from its output."""
    kiosk = services.get_kiosk(kiosk_id)
    if kiosk.thumbnail is None:
        abort(404)
    response = Response(kiosk.thumbnail, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    return response


@requires("editor")
def send_command(kiosk_id: int):
    kiosk = services.get_kiosk(kiosk_id)
    form = CommandForm()
    form.item_key.choices = []
    if not form.validate_on_submit():
        flash(_("The command was not sent: reload the page and try again."), "error")
        return redirect(url_for(".control_room"), code=303)
    if form.command.data in ASK_FIRST:
        question, label, consequence = ASK_FIRST[form.command.data]
        return confirm_then(
            str(question) % {"name": kiosk.name},
            lambda: _send(kiosk, form),
            label=str(label),
            consequence=str(consequence),
            cancel=url_for(".control_room", _anchor=f"kiosk-{kiosk.id}"),
        )
    return _send(kiosk, form)


def _send(kiosk, form: CommandForm):
    """Queue a validated command for the kiosk and go back to the control room."""
    if (
        save_with(
            form,
            lambda: services.queue_command(
                kiosk, form.command.data, actor=current_user, item_key=form.item_key.data or None
            ),
        )
        is not None
    ):
        command = label(form.command.data, "kiosk_command")
        flash(_("“%(command)s” sent to %(kiosk)s.", command=command, kiosk=kiosk.name), "success")
    else:
        flash(_errors(form), "error")
    return redirect(url_for(".control_room"), code=303)


@requires("editor")
def assign_playlist(kiosk_id: int):
    kiosk = services.get_kiosk(kiosk_id)
    form = AssignForm()
    if form.validate_on_submit() and save_with(
        form, lambda: services.assign_playlist(kiosk, form.playlist_id.data, actor=current_user) or True
    ):
        flash(_("Playlist of %(kiosk)s changed.", kiosk=kiosk.name), "success")
    else:
        flash(_("The playlist was not changed: %(problem)s", problem=_errors(form)), "error")
    return redirect(url_for(".control_room"), code=303)


def _errors(form) -> str:
    """A refused form's errors in one line (already in the reader's language: showcase.forms.save_with)."""
    return " ".join(str(e) for e in form.form_errors or [e for errs in form.errors.values() for e in errs])
