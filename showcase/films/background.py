"""The confirmed submissions import as a background job (showcase.jobs): 2,300 rows with a progress bar."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from showcase.auth.models import User
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.csvio import ImportRejected
from showcase.films.importing import apply_plan, plan_import
from showcase.films.stash import take_upload
from showcase.jobs.services import JobContext, JobFailed, JobResult

KIND = "films-import"
SHOWN_ERRORS = 5


def import_films_job(job: JobContext, *, festival_id: int, token: str, actor_id: int | None = None) -> JobResult:
    """Import the stashed upload `token` all or nothing; JobFailed lists the first problems."""
    data = take_upload(Path(current_app.config["UPLOAD_ROOT"]), token)
    if data is None:
        raise JobFailed("This preview has expired or was already imported: upload the file again.")
    festival = db.session.get(Festival, festival_id)
    if festival is None:
        raise JobFailed("The festival was deleted before the import ran.")
    job.progress(0, 1, "Checking every row")
    plan = plan_import(festival, data)
    if plan.errors:
        raise JobFailed(_rejected(plan.errors))
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        job.progress(done, plan.rows, "Writing the films")

    actor = db.session.get(User, actor_id) if actor_id is not None else None
    try:
        summary = apply_plan(festival, plan, actor=actor, progress=tick)
    except ImportRejected as exc:
        raise JobFailed(_rejected(exc.errors)) from exc
    return JobResult(
        f"Imported: {summary.created} new films, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.people_added} people added."
    )


def _rejected(errors: list) -> str:
    shown = "; ".join(str(e) for e in errors[:SHOWN_ERRORS])
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    return f"Nothing was imported: {len(errors)} problem{'s' if len(errors) != 1 else ''}. {shown}{more}"
