"""`showcase-kiosk`'s command-line options (the main loop is in runner.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playlists.kiosk.screen import Geometry


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of showcase-kiosk."""
    parser = argparse.ArgumentParser(prog="showcase-kiosk", description="Play the showcase screening playlist.")
    parser.add_argument("--server", help="server base URL, e.g. https://showcase.example.org")
    parser.add_argument(
        "--token",
        default=os.environ.get("SHOWCASE_KIOSK_TOKEN"),
        help="kiosk bearer token (default: $SHOWCASE_KIOSK_TOKEN, which keeps it out of `ps`)",
    )
    parser.add_argument("--cache-dir", type=Path, required=True, help="cache and saved state live here")
    parser.add_argument("--playlist", type=Path, help="play an exported JSON manifest; no server")
    parser.add_argument(
        "--screen",
        type=_geometry,
        metavar="WIDTHxHEIGHT+X+Y",
        help="the part of the X screen to fill, e.g. 1920x1080+1920+0 for a second output (default: all of it)",
    )
    parser.add_argument(
        "--fullscreen", action="store_true", help="kept for old scripts: the kiosk always fills its --screen area"
    )
    parser.add_argument("--headless", action="store_true", help="no window and no sound (dummy outputs)")
    parser.add_argument("--loop", action="store_true", help="start again after the last item")
    parser.add_argument("--exit-when-done", action="store_true", help="exit after the last item")
    parser.add_argument(
        "--vlc-option",
        action="append",
        default=[],
        metavar="OPT",
        help="extra libvlc Instance option, e.g. --vlc-option=--file-caching=100 (repeatable)",
    )
    parser.add_argument("--heartbeat-every", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--sync-every", type=float, default=30.0, help=argparse.SUPPRESS)
    parser.add_argument("--commands-every", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.playlist and not (args.server and args.token):
        parser.error("give --playlist FILE, or --server URL and --token T")
    return args


def _geometry(text: str) -> Geometry:
    try:
        return Geometry.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
