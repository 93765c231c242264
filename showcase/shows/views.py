"""The caller's and the presenter's pages of a live show (being built)."""

from __future__ import annotations

from flask import abort

from showcase.auth.access import requires


@requires("viewer")
def show_caller(slug: str, session_id: int):
    abort(404)


@requires("viewer")
def show_stage(slug: str, session_id: int):
    abort(404)


@requires("viewer")
def show_state(slug: str, session_id: int):
    abort(404)


@requires("viewer")
def show_events(slug: str, session_id: int):
    abort(404)


@requires("editor")
def command_show(slug: str, session_id: int, command: str):
    abort(404)
