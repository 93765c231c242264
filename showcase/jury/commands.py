"""`showcase jury …`: judging from the command line, for festivals that judge from spreadsheets.

Every command is one unit of work: a bad argument, an unknown round or a bad score sheet exits with
status 1 and a clear message, having written nothing (a file is written whole beside the target and
renamed over it).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from showcase.unit_of_work import command

jury_cli = AppGroup("jury", help="Judging: rounds, jurors, assignment, scores and the fair ranking.")
round_cli = AppGroup("round", help="A festival's judging rounds.")
jurors_cli = AppGroup("jurors", help="The jurors of a round.")
jury_cli.add_command(round_cli)
jury_cli.add_command(jurors_cli)

ROUND = click.option("--round", "round_id", type=click.IntRange(min=1, max=2**31 - 1), required=True)


@round_cli.command("create")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@click.option("--name", required=True, help='The round\'s name, e.g. "Pre-selection".')
@click.option("--criteria", required=True, help='Criteria with weights, e.g. "story:2,craft:1".')
@click.option("--scale", default="1-10", show_default=True, help="The scores' scale, low-high.")
@click.option("--per-film", type=int, default=3, show_default=True, help="Scores each film needs.")
@click.option("--from-round", "from_round_id", type=int, help="Take the films advancing from this closed round.")
@click.option("--method", type=click.Choice(["mean", "median"]), default="mean", show_default=True)
@click.option("--opens", help='When jurors may start scoring, festival time: "2026-06-01 09:00".')
@click.option("--closes", help="When scoring ends, festival time.")
def create_round_command(slug, name, criteria, scale, per_film, from_round_id, method, opens, closes) -> None:
    """Create a round and print its id. Criteria: name[/中文/English][:weight], comma-separated."""
    from showcase.festivals.services import get_festival
    from showcase.jury import services

    with command():
        festival = get_festival(slug)
        parsed, bounds = services.parse_criteria(criteria), services.parse_scale(scale)
        previous = services.get_round(from_round_id) if from_round_id else None
        jury_round = services.create_round(
            festival,
            name=name,
            criteria=parsed,
            scale=bounds,
            per_film=per_film,
            from_round=previous,
            method=method,
            opens_at=services.festival_time(festival, opens, "opens"),
            closes_at=services.festival_time(festival, closes, "closes"),
        )
        round_id = jury_round.id
    click.echo(round_id)


@jurors_cli.command("add")
@ROUND
@click.option("--email", "emails", multiple=True, required=True, help="A juror's e-mail (repeat for several).")
def add_jurors_command(round_id: int, emails: tuple[str, ...]) -> None:
    """Add juror accounts (role juror) to a round."""
    from showcase.jury import services

    with command():
        added = services.add_jurors(services.get_round(round_id), emails)
        count = len(added)
    click.echo(f"Added {count} juror(s) to round {round_id}.")


@jury_cli.command("assign")
@ROUND
def assign_command(round_id: int) -> None:
    """Give every film of the round its jurors: balanced, conflicts of interest honoured, earlier ones kept."""
    from showcase.jury import services

    with command():
        plan = services.assign_round(services.get_round(round_id))
        loads = sorted(plan.load.values())
        films = len(plan.jurors_of)
    click.echo(f"Round {round_id}: {films} films, {sum(loads)} assignments, {loads[0]}–{loads[-1]} films per juror.")


assignment_cli = AppGroup("assignment", help="Change one assignment by hand (automatic runs keep it).")
jury_cli.add_command(assignment_cli)


@assignment_cli.command("add")
@ROUND
@click.option("--email", required=True, help="The juror's e-mail.")
@click.option("--film", "submission_id", required=True, help="The film's submission id (or guest code).")
def add_assignment_command(round_id: int, email: str, submission_id: str) -> None:
    """Assign a film to a juror by hand."""
    from showcase.jury import services

    with command():
        services.add_assignment(services.get_round(round_id), email, submission_id)
    click.echo(f"Assigned {submission_id} to {email}.")


@assignment_cli.command("remove")
@ROUND
@click.option("--email", required=True, help="The juror's e-mail.")
@click.option("--film", "submission_id", required=True, help="The film's submission id (or guest code).")
def remove_assignment_command(round_id: int, email: str, submission_id: str) -> None:
    """Take a film off a juror by hand (not once they have scored it)."""
    from showcase.jury import services

    with command():
        services.remove_assignment(services.get_round(round_id), email, submission_id)
    click.echo(f"Took {submission_id} off {email}.")


@jury_cli.command("assignments")
@ROUND
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The CSV file to write.")
def assignments_command(round_id: int, out: Path) -> None:
    """Write the round's assignments as CSV (juror_email, submission_id)."""
    from showcase.jury import services, sheets

    with command():
        rows = services.assignments(services.get_round(round_id))
        _write(out, sheets.csv_bytes(sheets.ASSIGNMENT_HEADER, rows))
    click.echo(f"Wrote {out}: {len(rows)} assignments.")


@jury_cli.command("import-scores")
@ROUND
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_scores_command(round_id: int, file: Path) -> None:
    """Import scores from a CSV or .xlsx sheet (juror_email, submission_id, one column per criterion), all or
    nothing."""
    from showcase.jury import services, sheets

    with command():
        jury_round = services.get_round(round_id)
        count = services.import_scores(jury_round, sheets.read_scores(jury_round, file.read_bytes()))
    click.echo(f"Imported {count} scores into round {round_id}.")


@jury_cli.command("results")
@ROUND
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The file to write.")
@click.option("--method", type=click.Choice(["mean", "median"]), help="Override the round's method.")
def results_command(round_id: int, fmt: str, out: Path, method: str | None) -> None:
    """Write the round's fair ranking: rank, submission_id, title, score (standardised), raw_mean, n_scores, flag."""
    from showcase.jury import services, sheets

    with command():
        jury_round = services.get_round(round_id)
        rows = [sheets.result_cells(r) for r in services.results(jury_round, method=method)]
        data = (
            sheets.csv_bytes(sheets.RESULT_HEADER, rows)
            if fmt == "csv"
            else sheets.xlsx_bytes(sheets.RESULT_HEADER, rows, title=jury_round.name)
        )
        _write(out, data)
    flagged = sum(1 for r in rows if r[0] == "")
    click.echo(f"Wrote {out}: {len(rows) - flagged} films ranked, {flagged} flagged.")


@round_cli.command("close")
@ROUND
@click.option(
    "--advance",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="How many of the top-ranked films go on to the next round (ties at the cut go too).",
)
def close_round_command(round_id: int, advance: int) -> None:
    """Close a round: its scores become final and its top films advance."""
    from showcase.jury import services

    with command():
        services.close_round(services.get_round(round_id), advance=advance)
    click.echo(f"Round {round_id} closed.")


def _write(out: Path, data: bytes) -> None:
    from playlists.kiosk.files import PUBLIC, atomic_write

    target = out.expanduser()
    if target.is_dir():
        raise click.ClickException(f"{out} is a folder: give a file name.")
    try:
        atomic_write(target, data, mode=PUBLIC)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None


@jury_cli.command("winners")
@ROUND
@click.option("--places", type=click.IntRange(min=1, max=99), required=True, help="How many prizes (ties share one).")
@click.option("--category", "category_id", type=int, help="The award category to give them in (with --confirm).")
@click.option("--confirm", is_flag=True, help="Give the awards (embargoed until revealed) and make the films winners.")
def winners_command(round_id: int, places: int, category_id: int | None, confirm: bool) -> None:
    """Propose winners from a closed round's ranking (ties share a placement); --confirm gives them."""
    from showcase.jury import services

    if confirm and category_id is None:
        raise click.UsageError("--confirm needs --category ID.")
    with command():
        jury_round = services.get_round(round_id)
        proposals = services.propose_winners(jury_round, places=places)
        if confirm:
            services.confirm_winners(jury_round, category_id, proposals)
    for p in proposals:
        click.echo(f"placement {p.placement}: {p.submission_id} {p.title} (rank {p.rank})")
    if confirm:
        click.echo(f"Gave {len(proposals)} award(s), embargoed until revealed.")
