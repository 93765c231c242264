"""What an RQ worker runs: one job by id, in the app the `showcase jobs worker` command built."""

from __future__ import annotations

from flask import Flask
from rq import SimpleWorker, Worker

from showcase.extensions import db
from showcase.jobs import runners, services

_app: Flask | None = None


def serve(app: Flask) -> None:
    """Remember the worker's app: every job this worker (and each work horse it forks) runs uses it."""
    global _app
    _app = app


def perform(job_id: int) -> None:
    """Run job_id (called by RQ with the id the web app enqueued)."""
    if _app is None:
        raise RuntimeError("start RQ workers with `showcase jobs worker`, which builds the app they run jobs in")
    with _app.app_context():
        db.engine.dispose(close=False)  # a forked work horse must not share its parent's connections
        kinds = runners.kinds()
    services.run_job(_app, job_id, kinds)


class _StopsPromptly:
    """Leaves its command channel at once when it stops (a --burst worker's exit, a Ctrl-C).

    RQ stops the thread listening on that channel with redis-py's stop(), which waits for the
    thread's current read, up to the minute RQ asks it to wait for a message: a worker would
    linger a minute after its last job. A second is plenty for a thread that only reads commands.
    """

    pubsub = pubsub_thread = None

    def unsubscribe(self) -> None:
        if self.pubsub_thread is not None:
            self.pubsub.unsubscribe()
            self.pubsub_thread.stop(timeout=1)
            self.pubsub.close()


class ForkingWorker(_StopsPromptly, Worker):
    """RQ's worker: each job in a forked work horse."""


class InlineWorker(_StopsPromptly, SimpleWorker):
    """RQ's simple worker: each job in the worker's own process."""
