"""A playlist version's bundle (the zip with its films) as a background job: staff start it and watch it pack.

A bundle copies every film of the show: gigabytes for a festival's winners, minutes of work that must not
hold a web worker (or a proxy's timeout) the while.
"""

from __future__ import annotations

from pathlib import Path

from showcase.errors import NotFound
from showcase.extensions import db
from showcase.jobs.services import JobContext, JobFailed, JobResult
from showcase.kiosks import exporting, publishing
from showcase.kiosks.models import Playlist
from showcase.messages import N_

KIND = "playlist-bundle"


def file_name(playlist_id: int, version: int) -> str:
    return f"playlist-{playlist_id}-v{version}.zip"


def bundle_job(job: JobContext, *, festival_id: int, playlist_id: int, version: int) -> JobResult:
    """Write the bundle of the playlist's published `version` into the job's result file."""
    playlist = db.session.get(Playlist, playlist_id)
    if playlist is None or playlist.festival_id != festival_id:
        raise JobFailed(N_("The playlist was deleted before its bundle could be made."))
    try:
        chosen = publishing.get_version(playlist, version)
    except NotFound as exc:
        raise JobFailed(exc.message) from exc
    job.progress(0, 1, exporting.COPYING)
    out = Path(job.output(".zip"))
    try:
        exporting.zip_bundle(chosen, out, progress=job.progress)
    except exporting.ExportFailed as exc:  # a film missing from MEDIA_ROOT: the message names it
        raise JobFailed(exc.message) from exc
    except OSError as exc:  # a full disk, a file the server may not read
        raise JobFailed(N_("The bundle could not be written: %(problem)s.", problem=exc.strerror or str(exc))) from exc
    size = out.stat().st_size / 1_000_000
    summary = N_("Version %(version)s, %(megabytes)s MB.", version=chosen.version, megabytes=format(size, ".1f"))
    return JobResult(summary, str(out), file_name(playlist.id, chosen.version), "application/zip")
