"""Background jobs: start one, run it in any process, report its progress, finish it cleanly.

A job is a row (showcase.jobs.models.Job) and a function of its kind, given plain values (ids,
options) and a JobContext. The row is bookkeeping rather than the work itself, so it is written on
connections of its own, committed at once, apart from the job's unit of work: progress is seen by
every web worker and host while the work is still uncommitted, and a job that fails records why
while its work is rolled back. The work runs in its own app context and unit of work: it commits
once when the function returns, and a file it writes goes to a partial name, renamed into the jobs
folder only then; a failure removes it, so a failed job leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import OperationalError

from showcase import unit_of_work
from showcase.db import utcnow
from showcase.errors import NotFound, ShowcaseError
from showcase.extensions import db
from showcase.jobs.models import Job
from showcase.messages import N_, Message

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.25  # seconds between two progress writes of one job: a few a second at most
RESULT_DAYS = 7  # result files older than this are removed when a new job starts
UNEXPECTED = N_(
    "Something went wrong on the server, and nothing was saved. The server log has the details (job %(id)s)."
)
ABANDONED = N_("The server stopped while this job was running, and nothing was saved. Start it again.")


class JobFailed(ShowcaseError):
    """A job cannot finish for a reason its requester can act on; the message is shown to them."""


@dataclass(frozen=True)
class JobResult:
    """What a finished job made: a sentence for staff, and a file to download (a partial path) if any."""

    summary: str
    file: str | None = None
    name: str = ""
    mimetype: str = "application/octet-stream"


JobFunction = Callable[..., JobResult]


def jobs_folder(app: Flask) -> Path:
    """Where result files are kept: the instance's jobs folder."""
    return Path(app.instance_path) / "jobs"


def this_process() -> str:
    """How an in-process job names the process that runs it (host and pid, to tell a dead one)."""
    return f"process {socket.gethostname()[:80]} {os.getpid()}"


@dataclass
class JobContext:
    """Given to a job function: report progress, and name the partial file a result is written to."""

    job_id: int
    folder: Path
    live: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    reported: dict[str, Any] = field(default_factory=dict)  # the latest report, written again at the end
    _written: float = 0.0
    _partials: list[Path] = field(default_factory=list)

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report that done of total steps are done; written to the row a few times a second at most."""
        self.live[self.job_id] = (done, total, message)
        self.reported = {"done": done, "total": total, "message": message[:200]}
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY or done >= total:
            self._written = now
            _write(self.job_id, best_effort=True, **self.reported)

    def output(self, suffix: str) -> str:
        """A partial file name for the result: renamed into place when the job succeeds, else removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{self.job_id}{suffix}.part"
        self._partials.append(partial)
        return str(partial)

    def discard(self) -> None:
        for partial in self._partials:
            partial.unlink(missing_ok=True)


def _write(job_id: int, *, best_effort: bool = False, **values: Any) -> None:
    """Update the job's row on a connection of its own, committed at once (see the module docstring)."""
    try:
        with db.engine.begin() as conn:
            if best_effort and conn.dialect.name == "sqlite":
                # The job's own write transaction may hold SQLite's single write lock: skip this
                # report rather than wait (the next one, or the final state, gets through).
                conn.exec_driver_sql("PRAGMA busy_timeout=50")
            try:
                conn.execute(update(Job).where(Job.id == job_id).values(**values))
            finally:
                if best_effort and conn.dialect.name == "sqlite":
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(current_app.config['SQLITE_BUSY_TIMEOUT_MS'])}")
    except OperationalError:
        if not best_effort:
            raise
        log.debug("job %s: progress not written (database busy)", job_id)


def create_job(
    *, kind: str, festival_id: int | None, requested_by_id: int | None, params: Mapping[str, Any], runner: str
) -> int:
    """A queued job's row, committed at once so any worker can find it; returns its id."""
    values = {
        "kind": kind,
        "festival_id": festival_id,
        "requested_by_id": requested_by_id,
        "params": dict(params),
        "state": "queued",
        "runner": runner,
        "created_at": utcnow(),
    }
    with db.engine.begin() as conn:
        return conn.execute(insert(Job).values(**values).returning(Job.id)).scalar_one()


def get_job(job_id: int) -> Job:
    """A job by id, read fresh; NotFound when there is none."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound(N_("There is no such job."))
    return job


def run_job(app: Flask, job_id: int, kinds: Mapping[str, JobFunction], live: dict | None = None) -> None:
    """Run a queued job to its end in an app context of its own (any thread, any process)."""
    with app.app_context():
        with db.engine.begin() as conn:  # claim it: a job runs once even if two workers are handed it
            claimed = conn.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "queued")
                .values(state="running", started_at=utcnow(), runner=_runner_name(live))
            ).rowcount
        if not claimed:
            return
        job = get_job(job_id)
        kind, params = job.kind, dict(job.params or {})
        ctx = JobContext(job_id, jobs_folder(app), live if live is not None else {})
        try:
            result = _perform(kinds, kind, ctx, params)
            unit_of_work.commit()
            final = _keep(ctx, result)
        except JobFailed as exc:
            _fail(ctx, exc.message)
        except Exception:
            log.exception("job %s (%s) failed", job_id, kind)
            _fail(ctx, Message(UNEXPECTED, {"id": job_id}))
        else:
            done = {"state": "done", "finished_at": utcnow(), "summary": result.summary[:2000]}
            _write(job_id, **ctx.reported, **done, **final)
        finally:
            ctx.live.pop(job_id, None)


def _runner_name(live: dict | None) -> str:
    return this_process() if live is not None else "rq"


def _perform(kinds: Mapping[str, JobFunction], kind: str, ctx: JobContext, params: dict[str, Any]) -> JobResult:
    if kind not in kinds:
        raise JobFailed(N_("This server does not know jobs of kind %(kind)r.", kind=kind))
    return kinds[kind](ctx, **params)


def _keep(ctx: JobContext, result: JobResult) -> dict[str, str]:
    """Rename the result's partial file into place; the row's values that name it."""
    if result.file is None:
        return {}
    partial = Path(result.file)
    final = partial.with_name(partial.name.removeprefix(".").removesuffix(".part"))
    os.replace(partial, final)
    return {"result_file": final.name, "result_name": result.name, "result_type": result.mimetype}


def _fail(ctx: JobContext, reason: str) -> None:
    unit_of_work.abandon()
    ctx.discard()
    _write(ctx.job_id, state="failed", finished_at=utcnow(), error=reason)


def result_path(app: Flask, job: Job) -> Path | None:
    """The finished job's file, when it has one and it is still there."""
    if job.state != "done" or not job.result_file:
        return None
    path = jobs_folder(app) / Path(job.result_file).name  # only a name we wrote, never a path
    return path if path.is_file() else None


def reap_abandoned() -> int:
    """Fail the unfinished jobs of this host's processes that are gone (a restart, a crash); how many."""
    prefix = this_process().rsplit(" ", 1)[0] + " "
    rows = db.session.execute(
        select(Job.id, Job.runner).where(Job.state.in_(("queued", "running")), Job.runner.startswith(prefix))
    ).all()
    dead = [job_id for job_id, runner in rows if not _alive(runner.removeprefix(prefix))]
    for job_id in dead:
        _write(job_id, state="failed", finished_at=utcnow(), error=ABANDONED)
    return len(dead)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def remove_old_results(app: Flask, *, days: int = RESULT_DAYS) -> None:
    """Result files (and partial ones) older than days are removed."""
    folder = jobs_folder(app)
    if not folder.is_dir():
        return
    cutoff = time.time() - days * 86400
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
