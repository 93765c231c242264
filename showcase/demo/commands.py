"""`showcase demo`: load the demo festival."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from showcase.extensions import db
from showcase.unit_of_work import command


@click.command("demo")
@with_appcontext
@click.option("--no-clips", is_flag=True, help="Do not generate demo video clips with ffmpeg.")
@click.option("--admin-email", default="admin@example.org", show_default=True)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Where the site is served: QR codes of a newly loaded demo point here.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only into an empty database (no festival, no account); otherwise change nothing.",
)
def demo_command(no_clips: bool, admin_email: str, base_url: str, if_empty: bool) -> None:
    """Load the demo festival (idempotent) and make sure a demo admin exists."""
    from showcase.demo.loader import database_is_empty, ensure_admin, load_demo

    base_url = base_url.rstrip("/")
    if if_empty and not database_is_empty():
        click.echo(
            "The database already holds a festival or an account: nothing loaded, nothing changed "
            "(`showcase demo` adds the demo festival on purpose)."
        )
        click.echo(
            f"Sign in at {base_url}/login with your account; reset a password with "
            "`showcase users set-password --email ...`."
        )
        return
    with command():
        report = load_demo(make_clips=not no_clips, base_url=base_url)
        password = ensure_admin(admin_email)
    for line in report:
        click.echo(line)
    if password:
        click.echo("")
        click.echo(f"Sign in at {base_url}/login as {admin_email}")
        click.echo(f"with the password: {password}")
        click.echo(
            "(shown once; change it after signing in, or reset it with `showcase users set-password --email ...`)"
        )
    else:
        click.echo(
            f"The admin account {admin_email} already exists: use the password shown the first time, "
            "or reset it with `showcase users set-password`."
        )


@click.command("start")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def start_command(ctx: click.Context, host: str, port: int) -> None:
    """What `make run` does, in one process: migrate, load the demo into an empty database, serve."""
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    upgrade()
    ctx.invoke(demo_command, if_empty=True, base_url=f"http://{host}:{port}")
    db.session.remove()
    click.echo(f"Serving on http://{host}:{port}  (Ctrl-C stops it)")
    run_simple(host, port, current_app._get_current_object(), threaded=True)
