"""Background jobs of the films (showcase.jobs): the confirmed submissions import (2,300 rows with a progress
bar), and the scan of the media folder (a checksum of every video file: minutes for a festival's films)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from showcase.auth.models import User
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.csvio import ImportRejected
from showcase.films.importing import apply_plan, plan_import
from showcase.films.media import MediaRejected, report_lines, scan, video_files
from showcase.films.stash import take_upload
from showcase.jobs.services import JobContext, JobFailed, JobResult
from showcase.messages import N_

KIND = "films-import"
SCAN = "media-scan"
SCANNING = N_("Checking the video files")
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


def scan_media_job(job: JobContext) -> JobResult:
    """Register every video file under MEDIA_ROOT (size, sha256, what ffprobe finds); the report as a file."""
    root = Path(current_app.config["MEDIA_ROOT"])
    if not root.is_dir():
        raise JobFailed(
            N_("The media folder %(folder)s does not exist: put the films there, then scan.", folder=str(root))
        )
    total = len(video_files(root.resolve()))
    job.progress(0, total, SCANNING)
    done = 0

    def tick(_path: Path) -> None:
        nonlocal done
        done += 1
        job.progress(done, total, SCANNING)

    try:
        report = scan(root, root, on_file=tick)
    except MediaRejected as exc:
        raise JobFailed(exc.message) from exc
    out = job.output(".txt")
    Path(out).write_text("".join(f"{line}\n" for line in report_lines(report)), encoding="utf-8")
    summary = N_(
        "%(registered)s registered, %(skipped)s skipped, %(mismatched)s not as long as their film's runtime.",
        registered=len(report.registered),
        skipped=len(report.rejected),
        mismatched=len(report.mismatched),
    )
    return JobResult(summary, out, "media-scan.txt", "text/plain")
