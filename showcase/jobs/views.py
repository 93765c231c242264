"""A job's page (progress bar, then a download or the reason it failed), its status as JSON, its file."""

from __future__ import annotations

from flask import current_app, render_template, send_file, url_for
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import NotFound
from showcase.i18n import N_, script_words, translate
from showcase.jobs import runners, services
from showcase.jobs.models import Job

# What jobs.js writes (static/js/words.js).
LIVE_WORDS = (N_("%(done)s of %(total)s"),)
PRIVATE = {"Cache-Control": "private, no-store"}


def _own_job(job_id: int) -> Job:
    """The job, when the signed-in user asked for it (or is an admin): others get a 404, not a hint."""
    services.reap_abandoned()
    job = services.get_job(job_id)
    if job.requested_by_id != current_user.id and not current_user.has_role("admin"):
        raise NotFound(N_("There is no such job."))
    return job


def status(job: Job) -> dict:
    """What the page shows, as plain values (the JSON the page's script polls), its words in the reader's
    language: a job's message, reason and summary are stored in English (showcase.i18n.translate)."""
    state, done, total, message = job.state, job.done, job.total, job.message
    live = runners.runner().live.get(job.id)  # a job running in this very process: its latest report
    if live is not None and not job.finished:
        # A job reports progress only once it has claimed its row, so a report means "running" even
        # when the row was read a moment before the claim was committed.
        state, (done, total, message) = "running", live
    has_file = services.result_path(current_app, job) is not None
    return {
        "id": job.id,
        "state": state,
        "done": done,
        "total": total,
        "message": translate(message) if message else message,
        "error": translate(job.error) if job.error else job.error,
        "summary": translate(job.summary) if job.summary else job.summary,
        "download": url_for("jobs.download_result", job_id=job.id) if has_file else None,
    }


@requires("viewer")
def show_job(job_id: int):
    job = _own_job(job_id)
    words = script_words(LIVE_WORDS)
    return render_template("jobs/show_job.html", job=job, status=status(job), words=words), 200, PRIVATE


@requires("viewer")
def job_status(job_id: int):
    return status(_own_job(job_id)), 200, PRIVATE


@requires("viewer")
def download_result(job_id: int):
    job = _own_job(job_id)
    path = services.result_path(current_app, job)
    if path is None:
        raise NotFound(N_("This job has no file to download (it is not finished, failed, or its file was removed)."))
    response = send_file(path, mimetype=job.result_type, as_attachment=True, download_name=job.result_name)
    response.headers.update(PRIVATE)
    return response
