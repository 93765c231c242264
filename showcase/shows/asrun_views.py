"""The as-run log's downloads: a session's show as it really ran, as CSV or PDF."""

from __future__ import annotations

from flask import Response, request

from showcase.auth.access import requires
from showcase.festivals.services import get_festival
from showcase.schedule.services import get_session
from showcase.shows.asrun import as_run_csv, as_run_log, file_name
from showcase.validation import parse_id

MIMETYPES = {"csv": "text/csv", "pdf": "application/pdf"}


@requires("viewer")
def download_as_run(slug: str, session_id: int, fmt: str):
    """The latest live run's log (or `?run=N`); a show that never ran is a clear 404 page."""
    from showcase.programmes.views import attachment  # loads reportlab, as the PDF does

    festival = get_festival(slug)
    session = get_session(festival, session_id)
    log = as_run_log(festival, session, run=parse_id(request.args.get("run")))
    data = as_run_csv(log) if fmt == "csv" else _pdf(log)
    return Response(
        data,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": attachment(file_name(festival, session, log, fmt)),
            "Cache-Control": "private, no-store",
        },
    )


def _pdf(log) -> bytes:
    from showcase.programmes.asrun import build_as_run

    return build_as_run(log)
