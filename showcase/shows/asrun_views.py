"""The as-run log's downloads (being built)."""

from __future__ import annotations

from flask import abort

from showcase.auth.access import requires


@requires("viewer")
def download_as_run(slug: str, session_id: int, fmt: str):
    abort(404)
