"""The show-controller API (being built)."""

from __future__ import annotations

from flask import abort

from showcase.auth.access import requires


@requires("editor")
def get_show(session_id: int):
    abort(404)


@requires("editor")
def show_events(session_id: int):
    abort(404)


@requires("editor")
def command_show(session_id: int, command: str):
    abort(404)
