"""`showcase films import|export` and `showcase media scan`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from playlists.kiosk.files import atomic_write
from showcase.errors import NotFound
from showcase.festivals.models import Festival
from showcase.films.csvio import MAX_BYTES, ImportRejected, RowError
from showcase.unit_of_work import command

if TYPE_CHECKING:
    from showcase.films.importing import ImportPlan

films_cli = AppGroup("films", help="Films of a festival: import and export submissions.")
media_cli = AppGroup("media", help="Video files under the media root.")


def _festival(slug: str) -> Festival:
    from showcase.festivals.services import get_festival

    try:
        return get_festival(slug)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None


def _refuse(errors: list[RowError]) -> None:
    """Print every problem and exit non-zero, having written nothing (the unit of work rolled back)."""
    for error in errors:
        click.echo(f"error: {error}", err=True)
    count = len(errors)
    click.echo(f"Nothing was imported: {count} problem{'s' if count != 1 else ''}.", err=True)
    sys.exit(1)


def _read(file: Path) -> bytes:
    size = file.stat().st_size
    if size > MAX_BYTES:  # refused before reading a huge file into memory
        _refuse([RowError(None, "", f"The file is {size / 1048576:.1f} MB; the limit is {MAX_BYTES / 1048576:g} MB.")])
    return file.read_bytes()


def _report_columns(plan: ImportPlan) -> None:
    """Name each column left out and each status word read as one of ours, so nothing goes unseen."""
    if plan.unused:
        click.echo(f"Columns not imported ({len(plan.unused)}): {', '.join(plan.unused)}")
    for (word, status), count in plan.status_words.items():
        click.echo(f'Status "{word}" read as {status} ({count} row{"s" if count != 1 else ""}).')


@films_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--festival", "slug", required=True, help="The festival's slug, e.g. ai-shorts-2026.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
def import_command(file: Path, slug: str, dry_run: bool) -> None:
    """Import film submissions from a CSV or .xlsx file (a FilmFreeway export as it comes): all rows or none;
    re-importing changes nothing. Every column not imported is named."""
    from showcase.films.importing import apply_plan, plan_import

    festival = _festival(slug)
    plan = plan_import(festival, _read(file))
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    _report_columns(plan)
    if plan.errors:
        _refuse(plan.errors)
    click.echo(f"{plan.rows} rows: {len(plan.new)} new films, {len(plan.changed)} changed, {plan.unchanged} unchanged.")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    try:
        with command(), click.progressbar(length=plan.rows, label="Importing", file=sys.stderr) as bar:
            summary = apply_plan(festival, plan, progress=bar.update)
    except ImportRejected as exc:
        _refuse(exc.errors)
    click.echo(
        f"Imported: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.people_added} people added."
    )


@films_cli.command("export")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@click.option(
    "--output",
    "-o",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default=None,
    help="csv (UTF-8 with BOM; formula-like cells neutralised) or xlsx (every cell text); default: from the "
    "output file's extension, else csv.",
)
def export_command(slug: str, output: str, fmt: str | None) -> None:
    """Export a festival's films as CSV or as an Excel workbook (.xlsx)."""
    from showcase.films.importing import export_csv, export_xlsx

    fmt = fmt or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
    festival = _festival(slug)
    data = export_xlsx(festival) if fmt == "xlsx" else export_csv(festival)
    if output == "-":
        click.get_binary_stream("stdout").write(data)
    else:
        atomic_write(Path(output), data, mode=0o644)
        click.echo(f"Wrote {output}.", err=True)


@media_cli.command("scan")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def scan_command(directory: Path) -> None:
    """Register the video files under DIRECTORY (inside MEDIA_ROOT): size, sha256, duration, codecs."""
    from showcase.films.media import report_lines, scan, video_files

    root = Path(current_app.config["MEDIA_ROOT"])
    if not directory.is_absolute() and not directory.is_dir() and (root / directory).is_dir():
        directory = root / directory
    if not directory.is_dir():
        raise click.ClickException(f"{directory} is not a folder")
    total = len(video_files(directory.resolve()))
    with command(), click.progressbar(length=total, label="Scanning", file=sys.stderr) as bar:
        report = scan(root, directory, on_file=lambda _path: bar.update(1))
    for line in report_lines(report):  # the files registered to stdout, what was skipped or needs a look to stderr
        click.echo(line, err=line.startswith(("skipped: ", "check: ")))
    summary = f"{len(report.registered)} registered, {len(report.rejected)} skipped"
    if report.mismatched:  # registered all the same: the film may have been cut since, staff decide
        summary += f", {len(report.mismatched)} not as long as their film's runtime"
    click.echo(summary + ".", err=True)
    if report.rejected:
        sys.exit(1)
