"""`showcase playlists …` and `showcase kiosks …`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from showcase.extensions import db
from showcase.unit_of_work import command

playlists_cli = click.Group("playlists", help="Publish and export kiosk playlists.")
kiosks_cli = click.Group("kiosks", help="Register venue kiosks and give them playlists.")


def _playlist(playlist_id: int):
    from showcase.kiosks.models import Playlist

    playlist = db.session.get(Playlist, playlist_id)
    if playlist is None:
        raise click.ClickException(f"No playlist with id {playlist_id}.")
    return playlist


@playlists_cli.command("export")
@click.argument("playlist_id", type=int)
@click.option("--format", "form", required=True, help="xspf, m3u8 or json.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="File to write.")
@click.option("--version", "number", type=int, help="Published version (default: the newest).")
@click.option(
    "--with-media",
    is_flag=True,
    help="Copy the films (media/) and rendered title cards and holds (cards/) beside FILE, with relative "
    "URIs: the folder then plays with no server (`showcase-kiosk --playlist`, `vlc`).",
)
@with_appcontext
def export_command(playlist_id: int, form: str, out: Path, number: int | None, with_media: bool) -> None:
    """Write a published version of a playlist as XSPF, M3U8 or the JSON manifest.

    Without --with-media, XSPF and M3U8 point at the films in MEDIA_ROOT, and at the title cards (and the black
    picture that stands for each hold) rendered into a folder beside FILE named after it: show.xspf -> show-cards/.
    Keep that folder with the file.
    """
    from showcase.kiosks.exporting import export_to
    from showcase.kiosks.publishing import get_version

    with command():
        version = get_version(_playlist(playlist_id), number)
        written = export_to(version, form, out, with_media=with_media)
    click.echo(f"Wrote {written} (playlist {playlist_id} version {version.version}).")


@playlists_cli.command("publish")
@click.argument("playlist_id", type=int)
@with_appcontext
def publish_command(playlist_id: int) -> None:
    """Publish the playlist's draft as its next version."""
    from showcase.kiosks.publishing import publish

    with command():
        version = publish(_playlist(playlist_id))
    click.echo(f"Published playlist {playlist_id} version {version.version}.")


@kiosks_cli.command("add")
@click.argument("name")
@click.option("--screen", "screen_id", type=int, help="Id of the screen the kiosk plays on.")
@with_appcontext
def add_command(name: str, screen_id: int | None) -> None:
    """Register a kiosk and print its token (once: only its hash is stored)."""
    from showcase.kiosks.services import add_kiosk

    with command():
        kiosk, token = add_kiosk(name, screen_id=screen_id)
    _print_token(kiosk.name, token)


def _print_token(name: str, token: str) -> None:
    click.echo(f"Kiosk {name!r} registered. Its token (shown once, keep it secret):")
    click.echo(token)
    click.echo("Run: SHOWCASE_KIOSK_TOKEN=<token> showcase-kiosk --server URL --cache-dir DIR --fullscreen")


@kiosks_cli.command("new-token")
@click.argument("name")
@with_appcontext
def new_token_command(name: str) -> None:
    """Give a kiosk a new token (the old one stops working) and print it once."""
    from showcase.kiosks.services import find_kiosk, new_token

    with command():
        kiosk = find_kiosk(name)
        token = new_token(kiosk)
    _print_token(kiosk.name, token)


@kiosks_cli.command("assign")
@click.argument("name")
@click.option("--playlist", "playlist_id", type=int, help="Playlist id; leave out to assign none.")
@with_appcontext
def assign_command(name: str, playlist_id: int | None) -> None:
    """Give a kiosk a playlist to play."""
    from showcase.kiosks.services import assign_playlist, find_kiosk

    with command():
        assign_playlist(find_kiosk(name), playlist_id)
    click.echo(f"Kiosk {name!r} now plays playlist {playlist_id}." if playlist_id else f"Kiosk {name!r}: none.")


@kiosks_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every kiosk with its screen, playlist and last heartbeat."""
    from showcase.kiosks.services import list_kiosks

    for kiosk in list_kiosks():
        state = (kiosk.state or {}).get("state", "—")
        seen = kiosk.last_heartbeat_at.isoformat(timespec="seconds") if kiosk.last_heartbeat_at else "never"
        click.echo(f"{kiosk.id}\t{kiosk.name}\tscreen={kiosk.screen_id}\tplaylist={kiosk.playlist_id}\t{state}\t{seen}")
