"""The `showcase` console script: Flask's CLI over create_app()."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from showcase.app import create_app

    return create_app()


def main() -> None:
    """Entry point of the `showcase` command."""
    FlaskGroup(create_app=_create_app, help="showcase: festival screening and showcase manager.")()
