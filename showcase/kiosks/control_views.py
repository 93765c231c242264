"""The control room: every kiosk live (viewers watch), commands and playlist assignment (editors act)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from showcase.auth.access import requires
from showcase.confirm import confirm_then
from showcase.extensions import db
from showcase.forms import choices as choices_of
from showcase.forms import save_with
from showcase.kiosks import services
from showcase.kiosks.control import SILENT_AFTER, kiosk_status
from showcase.kiosks.forms import AssignForm, CommandForm
from showcase.kiosks.models import Playlist

# Show-stopping commands ask first; the everyday ones (pause, next, ...) stay one click.
ASK_FIRST = {
    "stop": (
        "Stop the screen of {name}?",
        "Stop the screen",
        "Playback stops and the screen stays dark until someone presses Play.",
    )
}


def _playlist_choices() -> list[tuple[str, str]]:
    playlists = db.session.scalars(select(Playlist).order_by(Playlist.id.desc()))
    return [("", "— none —")] + [
        (str(p.id), f"{p.title} (v{p.published_version})" if p.published_version else f"{p.title} (not published)")
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
        silent_after=int(SILENT_AFTER.total_seconds()),
        command_forms={s["id"]: _command_form(s) for s in statuses},
        assign_forms={k.id: _assign_form(k, choices) for k in kiosks},
    )


@requires("viewer")
def control_state():
    response = jsonify({"kiosks": [kiosk_status(k) for k in services.list_kiosks()]})
    response.headers["Cache-Control"] = "no-store"
    return response


@requires("editor")
def send_command(kiosk_id: int):
    kiosk = services.get_kiosk(kiosk_id)
    form = CommandForm()
    form.item_key.choices = []
    if not form.validate_on_submit():
        flash("The command was not sent: reload the page and try again.", "error")
        return redirect(url_for(".control_room"), code=303)
    if form.command.data in ASK_FIRST:
        question, label, consequence = ASK_FIRST[form.command.data]
        return confirm_then(
            question.format(name=kiosk.name),
            lambda: _send(kiosk, form),
            label=label,
            consequence=consequence,
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
        flash(f"“{form.command.data}” sent to {kiosk.name}.", "success")
    else:
        flash(" ".join(form.form_errors or [e for errs in form.errors.values() for e in errs]), "error")
    return redirect(url_for(".control_room"), code=303)


@requires("editor")
def assign_playlist(kiosk_id: int):
    kiosk = services.get_kiosk(kiosk_id)
    form = AssignForm()
    if form.validate_on_submit() and save_with(
        form, lambda: services.assign_playlist(kiosk, form.playlist_id.data, actor=current_user) or True
    ):
        flash(f"Playlist of {kiosk.name} changed.", "success")
    else:
        flash(
            "The playlist was not changed: "
            + " ".join(form.form_errors or [e for errs in form.errors.values() for e in errs]),
            "error",
        )
    return redirect(url_for(".control_room"), code=303)
