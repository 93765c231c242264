"""`showcase users …` and `showcase tokens …`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from showcase.auth import services, tokens
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


tokens_cli = AppGroup("tokens", help="Staff API tokens for show controllers (a Stream Deck) and scripts.")


def _user(email: str):
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user


@tokens_cli.command("create")
@click.option("--email", required=True, help="The staff account the token acts as (with its role).")
@click.option("--name", required=True, help="What the token is for, e.g. 'Stream Deck, hall 1'.")
def create_token_command(email: str, name: str) -> None:
    """Make an API token and print it (once: only its hash is stored)."""
    user = _user(email)
    with command():
        token, raw = tokens.create_token(user, name=name)
    click.echo(f"Token {token.id} {token.name!r} for {user.email} ({user.role}); shown once, keep it secret:", err=True)
    click.echo(raw)


@tokens_cli.command("list")
@click.option("--email", help="Only this account's tokens.")
def list_tokens_command(email: str | None) -> None:
    """List API tokens (never the tokens themselves): id, account, role, name, created, last used, state."""
    for token, user in tokens.list_tokens(_user(email) if email else None):
        used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never used"
        if token.revoked_at is not None:
            state = f"revoked {token.revoked_at.isoformat(timespec='seconds')}"
        else:
            state = "active" if user.active else "account deactivated"
        created = token.created_at.isoformat(timespec="seconds")
        click.echo(f"{token.id}\t{user.email}\t{user.role}\t{token.name}\t{created}\t{used}\t{state}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Stop a token working at once."""
    with command():
        token = tokens.get_token(token_id)
        changed = tokens.revoke_token(token)
    click.echo(f"Revoked token {token_id}." if changed else f"Token {token_id} was revoked already.")
