"""`showcase users …`"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from showcase.auth import services
from showcase.auth.models import ROLES
from showcase.unit_of_work import command

users_cli = AppGroup("users", help="Manage staff accounts.")


def read_password(from_stdin: bool) -> str:
    """The password from standard input (first line) or an interactive prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a staff account."""
    with command():
        user = services.create_user(email=email, name=name, role=role, password=read_password(password_stdin))
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a new password; every session of the account ends."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    with command():
        services.set_password(user, read_password(password_stdin))
    click.echo(f"Password changed for {user.email}.")


@users_cli.command("list")
def list_command() -> None:
    """List staff accounts."""
    for user in services.list_users():
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role}\t{user.name}{state}")
