"""`showcase show as-run`: a session's as-run log written as CSV or PDF.

A bad session, a show that never ran or an unwritable file exits with status 1 and a clear message,
and leaves no file behind: the file is written whole beside the target and renamed over it.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from showcase.extensions import db
from showcase.unit_of_work import command

show_cli = AppGroup("show", help="A session's live show: the as-run log after the night.")


@show_cli.command("as-run")
@click.option("--session", "session_id", type=int, required=True, help="The session's id.")
@click.option("--format", "fmt", type=click.Choice(["csv", "pdf"]), required=True, help="csv or pdf.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The file to write.")
@click.option("--run", type=click.IntRange(min=1), help="Which run of the show (default: the latest live run).")
def as_run_command(session_id: int, fmt: str, out: Path, run: int | None) -> None:
    """Write the as-run log of a session's show: planned against actual per cue, and who pressed GO."""
    from playlists.kiosk.files import PUBLIC, atomic_write
    from showcase.errors import NotFound
    from showcase.festivals.models import Festival
    from showcase.schedule.models import ScheduleSession
    from showcase.shows.asrun import as_run_csv, as_run_log

    with command():
        session = db.session.get(ScheduleSession, session_id)
        if session is None:
            raise NotFound(f"No session with id {session_id}.")
        log = as_run_log(db.session.get(Festival, session.festival_id), session, run=run)
        data = as_run_csv(log) if fmt == "csv" else _pdf(log)
        if out.expanduser().is_dir():
            raise click.ClickException(f"{out} is a folder: give a file name.")
        try:
            atomic_write(out.expanduser(), data, mode=PUBLIC)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {out}: {log.label}, {len(log.rows)} cues.")


def _pdf(log) -> bytes:
    from showcase.programmes.asrun import build_as_run

    return build_as_run(log)
