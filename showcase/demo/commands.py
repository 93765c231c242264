"""`showcase demo`: load the demo festival."""

from __future__ import annotations

import click

from showcase.extensions import db


@click.command("demo")
@click.option("--no-clips", is_flag=True, help="Do not generate demo video clips with ffmpeg.")
@click.option("--admin-email", default="admin@example.org", show_default=True)
def demo_command(no_clips: bool, admin_email: str) -> None:
    """Load the demo festival (idempotent) and make sure a demo admin exists."""
    from showcase.demo.loader import ensure_admin, load_demo

    report = load_demo(make_clips=not no_clips)
    password = ensure_admin(admin_email)
    db.session.commit()
    for line in report:
        click.echo(line)
    if password:
        click.echo("")
        click.echo(f"Sign in at http://127.0.0.1:5000/login as {admin_email}")
        click.echo(f"with the password: {password}")
        click.echo("(shown once; change it after signing in, or reset it with "
                   "`showcase users set-password --email ...`)")
    else:
        click.echo(f"The admin account {admin_email} already exists: use the password shown the first time, "
                   "or reset it with `showcase users set-password`.")
