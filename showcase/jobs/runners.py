"""Who runs the jobs: RQ workers over Redis when JOBS_REDIS_URL is set, else a thread pool in this process.

RQ because it is the smallest of the three libraries that fit (RQ, Dramatiq, Celery): it needs
Redis only, which showcase already uses for its pushes and throttle, its worker is one command, and
a job is a function called with plain arguments, which is what ours are. Dramatiq would add its own
middleware model and Celery a broker abstraction and settings we have no use for.

Without Redis (`make run`, one process) jobs run on a small pool of threads of the web process, so
they go on when the browser leaves the page; a job this process did not finish before it stopped is
marked failed with that reason (services.reap_abandoned) the next time jobs are looked at.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from flask import Flask, current_app
from redis import Redis
from rq import Queue

from showcase.jobs import services
from showcase.jobs.services import JobFunction

EXTENSION = "showcase.jobs"
QUEUE = "showcase"


class Runner(Protocol):
    """Starts queued jobs: submit is called once the job's row is committed."""

    name: str

    def submit(self, job_id: int) -> None: ...


class InProcessRunner:
    """A bounded pool of threads in this process, started when the first job is submitted."""

    name = "in-process"

    def __init__(self, app: Flask, kinds: Mapping[str, JobFunction], *, workers: int = 2) -> None:
        self.app, self.kinds, self.workers = app, kinds, workers
        self.live: dict[int, tuple[int, int, str]] = {}  # progress of the jobs running here, as it happens
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def owner(self) -> str:
        return services.this_process()

    def submit(self, job_id: int) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="showcase-job")
        self._pool.submit(services.run_job, self.app, job_id, self.kinds, self.live)

    def shutdown(self) -> None:
        """Wait for the running jobs (tests, and a clean stop)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


class RqRunner:
    """Jobs on an RQ queue in Redis, run by `showcase jobs worker` processes on any host."""

    name = "rq"

    def __init__(self, url: str, *, queue: str = QUEUE, timeout: int = 3600) -> None:
        self.url, self.queue_name, self.timeout = url, queue, timeout
        self.live: dict[int, tuple[int, int, str]] = {}  # nothing runs here: progress is on the row

    def owner(self) -> str:
        return "rq"

    def queue(self) -> Queue:
        return Queue(self.queue_name, connection=Redis.from_url(self.url))

    def submit(self, job_id: int) -> None:
        self.queue().enqueue("showcase.jobs.worker.perform", job_id, job_timeout=self.timeout, result_ttl=0)


def init_app(app: Flask, kinds: Mapping[str, JobFunction]) -> None:
    """Choose the runner from the settings (JOBS_REDIS_URL, else in-process) with the job kinds it knows."""
    url = app.config.get("JOBS_REDIS_URL") or ""
    kinds = dict(kinds)
    runner: InProcessRunner | RqRunner = (
        RqRunner(url, queue=app.config.get("JOBS_QUEUE") or QUEUE, timeout=int(app.config["JOBS_TIMEOUT_SECONDS"]))
        if url
        else InProcessRunner(app, kinds, workers=int(app.config.get("JOBS_THREADS") or 2))
    )
    app.extensions[EXTENSION] = {"runner": runner, "kinds": kinds}


def runner() -> InProcessRunner | RqRunner:
    """The current app's runner."""
    return current_app.extensions[EXTENSION]["runner"]


def kinds() -> dict[str, JobFunction]:
    return current_app.extensions[EXTENSION]["kinds"]


def start(*, kind: str, festival_id: int | None, requested_by_id: int | None, params: Mapping[str, Any]) -> int:
    """Queue a job of kind with plain params and hand it to the runner; returns its id."""
    if kind not in kinds():
        raise ValueError(f"unknown job kind {kind!r}")
    chosen = runner()
    services.remove_old_results(current_app._get_current_object())  # the app itself, not the proxy
    services.reap_abandoned()
    job_id = services.create_job(
        kind=kind, festival_id=festival_id, requested_by_id=requested_by_id, params=params, runner=chosen.owner()
    )
    chosen.submit(job_id)
    return job_id
