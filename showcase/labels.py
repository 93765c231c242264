"""What staff read for the codes stored in the data: one place gives each code its label in both languages.

A template writes `{{ film.status | label('film_status') }}`; a view or form calls `label('cue_mode', code)`.
A code this module does not know is shown as it is (a new code is never hidden behind an error), and the
codes themselves stay what the database, the API, the CSV files and the command line use.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "film_status": {
        "submitted": _l("Submitted"),
        "shortlisted": _l("Shortlisted"),
        "selected": _l("Selected"),
        "winner": _l("Winner"),
        "withdrawn": _l("Withdrawn"),
    },
    "credit_role": {
        "director": _l("Director"),
        "writer": _l("Writer"),
        "producer": _l("Producer"),
        "designer": _l("Designer"),
        "composer": _l("Composer"),
        "editor": _l("Film editor"),
        "cinematographer": _l("Cinematographer"),
        "animator": _l("Animator"),
        "sound": _l("Sound"),
        "cast": _l("Cast"),
        "other": _l("Other"),
    },
    "session_kind": {
        "screening": _l("Screening"),
        "ceremony": _l("Ceremony"),
        "panel": _l("Panel"),
        "talk": _l("Talk"),
        "break": _l("Break"),
        "gala": _l("Gala"),
        "reception": _l("Reception"),
        "other": _l("Other"),
    },
    "item_kind": {
        "film": _l("Film"),
        "award": _l("Award"),
        "speech": _l("Speech"),
        "panel": _l("Panel"),
        "interval": _l("Interval"),
        "slate": _l("Slate"),
        "other": _l("Other"),
    },
    "clash_kind": {"screen": _l("Same screen"), "film": _l("Same film"), "person": _l("Same person")},
    "cue_mode": {"manual": _l("on GO"), "follow": _l("follows")},
    "role": {"juror": _l("Juror"), "viewer": _l("Viewer"), "editor": _l("Editor"), "admin": _l("Admin")},
    "kiosk_state": {
        "idle": _l("idle"),
        "playing": _l("playing"),
        "paused": _l("paused"),
        "stopped": _l("stopped"),
        "unknown": _l("unknown"),
        "no signal": _l("no signal"),
        "frozen": _l("frozen"),
    },
    "kiosk_command": {
        "play": _l("Play"),
        "pause": _l("Pause"),
        "next": _l("Next item"),
        "previous": _l("Previous item"),
        "jump": _l("Jump"),
        "reload": _l("Reload"),
        "stop": _l("Stop"),
    },
    "job_state": {
        "queued": _l("Waiting to start"),
        "running": _l("Working"),
        "done": _l("Done"),
        "failed": _l("Failed"),
    },
    "job_kind": {
        "programme": _l("Programme build"),
        "films-import": _l("Films import"),
        "playlist-bundle": _l("Playlist zip with media"),
        "media-scan": _l("Media folder scan"),
    },
    "show_state": {
        "standby": _l("Standby"),
        "running": _l("Running"),
        "paused": _l("Paused"),
        "ended": _l("Ended"),
        "gone": _l("Gone"),
    },
    "show_level": {"warning": _l("Wrap up"), "danger": _l("Time is nearly up"), "overtime": _l("Over time")},
}


def label(code: object, kind: str) -> str:
    """The label of `code` among the codes of `kind` in the request's language; the code itself when unknown."""
    if code is None:
        return ""
    found = LABELS[kind].get(str(code))
    return str(found) if found is not None else str(code)


def labels_of(kind: str) -> dict[str, str]:
    """Every code of `kind` with its label in the request's language (for a page's script)."""
    return {code: str(text) for code, text in LABELS[kind].items()}
