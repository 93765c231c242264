"""`showcase jobs worker`: an RQ worker that runs the jobs the web app queues in Redis."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs (programme builds, imports).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop.")
@click.option("--simple", is_flag=True, help="Run each job in the worker's own process (no fork per job).")
def worker_command(burst: bool, simple: bool) -> None:
    """Run jobs from the Redis queue at JOBS_REDIS_URL until stopped (Ctrl-C)."""
    from redis import Redis

    from showcase.jobs import worker

    url = current_app.config.get("JOBS_REDIS_URL") or ""
    if not url:
        raise click.ClickException(
            "JOBS_REDIS_URL is not set: without it the web app runs jobs itself and needs no worker"
        )
    worker.serve(current_app._get_current_object())
    queue = current_app.config.get("JOBS_QUEUE") or "showcase"
    kind = worker.InlineWorker if simple else worker.ForkingWorker
    click.echo(f"Running jobs from queue {queue!r}{' until it is empty' if burst else ''}.", err=True)
    kind([queue], connection=Redis.from_url(url)).work(burst=burst, with_scheduler=False)
