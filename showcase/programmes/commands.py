"""`showcase programme build` and `showcase qr sheet|png|svg`: the printed programme and QR codes.

Bad input exits with status 1 and a clear message, and leaves no file behind: output goes to a
temporary file beside the target and is renamed over it only when complete.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

import click
from flask import current_app
from flask.cli import AppGroup

from showcase.errors import NotFound
from showcase.festivals.models import Festival
from showcase.programmes.data import ProgrammeError, ProgrammeOptions

programme_cli = AppGroup("programme", help="The printed programme (PDF).")
qr_cli = AppGroup("qr", help="QR codes of the films' guest pages: table cards, PNG and SVG.")


def fail(message: str) -> None:
    """Print an error and exit with status 1 (click's own usage errors would exit with 2)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _festival(slug: str) -> Festival:
    from showcase.festivals.services import get_festival

    try:
        return get_festival(slug)
    except NotFound as exc:
        raise ProgrammeError(exc.message) from None


def parse_options(
    *, size: str, booklet: bool, bleed: str, lang: str, include_embargoed: bool, press: bool = False
) -> ProgrammeOptions:
    """Programme options from command-line text; ProgrammeError with a clear message when invalid."""
    try:
        bleed_mm = float(bleed)
    except ValueError:
        raise ProgrammeError(f"bleed must be a number of millimetres, not {bleed!r}") from None
    if bleed_mm != bleed_mm:  # NaN passes every range check
        raise ProgrammeError("bleed must be a number of millimetres")
    return ProgrammeOptions(
        size=size.lower(), booklet=booklet, bleed_mm=bleed_mm, lang=lang.lower(), proof=include_embargoed, press=press
    )


def proof_path(out: Path) -> Path:
    """Where a press build's proof report goes: beside the PDF, programme.pdf → programme.proof.txt."""
    return out.with_name(f"{out.stem}.proof.txt")


@contextmanager
def atomic_output(out: Path) -> Iterator[BinaryIO]:
    """A temporary file beside out, renamed to out when the block succeeds, removed when it fails."""
    out = out.expanduser()
    if out.is_dir():
        raise ProgrammeError(f"{out} is a folder: give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    except OSError as exc:
        raise ProgrammeError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a programme is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fonts():
    from showcase.programmes.writing import font_specs

    return font_specs(current_app.config.get("PROGRAMME_FONT_PATH"))


def _load(festival: Festival, options: ProgrammeOptions):
    from showcase.programmes.loading import load_programme, poster_folders

    return load_programme(festival, options=options, **poster_folders(current_app.config, current_app.instance_path))


def _guarded(action: Callable[[], None]) -> None:
    """Run action; a programme problem or an unwritable file becomes a clear error and exit 1."""
    try:
        action()
    except ProgrammeError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the file: {exc.strerror or exc}")


@programme_cli.command("build")
@click.option("--festival", "slug", required=True, help="The festival's slug, e.g. ai-shorts-2026.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The PDF file to write.")
@click.option("--size", default="a5", show_default=True, help="Page size: a5 or a4.")
@click.option("--booklet", is_flag=True, help="Impose two pages a sheet side in saddle-stitch order.")
@click.option("--bleed", default="0", show_default=True, help="Bleed around each page in mm (0-20); adds crop marks.")
@click.option("--lang", default="both", show_default=True, help="Language: zh, en or both.")
@click.option(
    "--include-embargoed",
    is_flag=True,
    help="Printer's proof: print unrevealed winners too (every page is marked as a proof).",
)
@click.option(
    "--press",
    is_flag=True,
    help="Press-ready PDF/X-4 for a print shop: CMYK with an output intent, trim and bleed boxes on every page, "
    "blank pages to whole sheets; writes a proof report beside it (FILE.proof.txt).",
)
@click.option(
    "--profile",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The print shop's CMYK ICC profile for --press (default: PROGRAMME_CMYK_PROFILE, else ISO Coated v2).",
)
def build_command(
    slug: str,
    out: Path,
    size: str,
    booklet: bool,
    bleed: str,
    lang: str,
    include_embargoed: bool,
    press: bool,
    profile: Path | None,
) -> None:
    """Build the printed programme of a festival as a PDF."""
    from showcase.programmes.writing import write_programme

    def build() -> None:
        options = parse_options(
            size=size, booklet=booklet, bleed=bleed, lang=lang, include_embargoed=include_embargoed, press=press
        )
        if profile and not press:
            raise ProgrammeError("--profile is for a press build: add --press")
        festival = _festival(slug)
        started = time.perf_counter()
        click.echo(f"Reading {festival.slug} from the database…", err=True)
        programme = _load(festival, options)
        click.echo(f"Laying out {len(programme.films)} films, {len(programme.sessions)} public sessions…", err=True)
        with ExitStack() as stack:
            # The report is renamed into place after the PDF, and neither is when anything fails.
            report = stack.enter_context(atomic_output(proof_path(out))) if press else None
            stream = stack.enter_context(atomic_output(out))
            # On a terminal a progress bar, one step a film page; elsewhere only its label.
            bar = stack.enter_context(
                click.progressbar(length=max(1, len(programme.films)), label="Film pages", file=sys.stderr)
            )
            written = write_programme(
                programme,
                stream,
                fonts=_fonts(),
                profile=profile or _profile(),
                progress=lambda done, _total, _what: bar.update(min(done, bar.length) - bar.pos),
            )
            if report is not None and written.proof is not None:
                report.write(written.proof.text().encode("utf-8"))
        for warning in written.stats.warnings:
            click.echo(f"warning: {warning}", err=True)
        if written.proof is not None:
            click.echo(written.proof.text())
        proof = " — PROOF with embargoed winners" if options.proof else ""
        click.echo(f"Wrote {out}: {_summary(written)} in {time.perf_counter() - started:.1f} s{proof}.")
        if written.proof is not None:
            verdict = "ready for press" if written.proof.ready else "NOT ready for press (see Problems)"
            click.echo(f"Wrote {proof_path(out)}: PDF/X-4 proof report, {verdict}.")

    _guarded(build)


def _profile() -> str | None:
    return current_app.config.get("PROGRAMME_CMYK_PROFILE") or None


def _summary(written) -> str:
    pages = f"{written.stats.pages} pages"
    if written.blanks:
        pages += f" and {written.blanks} blank"
    return pages + (f" imposed on {written.sheets} sheet sides" if written.sheets else "")


@programme_cli.command("cue-sheet")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@click.option("--session", "session_id", required=True, type=click.IntRange(1), help="The session's id.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The PDF file to write.")
@click.option(
    "--language",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the headings, cue modes, item kinds and dates.",
)
def cue_sheet_command(slug: str, session_id: int, out: Path, language: str) -> None:
    """A session's cue sheet as a PDF (A4), as its staff page gives it."""
    from flask_babel import force_locale

    from showcase.programmes.cuesheet import build_cue_sheet, cue_sheet_words
    from showcase.schedule.cues import cue_sheet_data
    from showcase.schedule.services import get_session

    def build() -> None:
        festival = _festival(slug)
        try:
            session = get_session(festival, session_id)
        except NotFound as exc:
            raise ProgrammeError(exc.message) from None
        with force_locale(language):
            pdf = build_cue_sheet(cue_sheet_data(festival, session), **cue_sheet_words(festival, session))
        with atomic_output(out) as stream:
            stream.write(pdf)
        click.echo(f"Wrote {out}: the cue sheet of {session.title_en or session.title}.")

    _guarded(build)


@qr_cli.command("sheet")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The PDF file to write.")
@click.option("--lang", default="both", show_default=True, help="Language of the titles: zh, en or both.")
def sheet_command(slug: str, out: Path, lang: str) -> None:
    """Table cards for every film in the programme: title, QR code and short URL, 8 to an A4 page."""
    from showcase.programmes.cards import build_cards

    def build() -> None:
        options = parse_options(size="a5", booklet=False, bleed="0", lang=lang, include_embargoed=False)
        programme = _load(_festival(slug), options)
        if not programme.films:
            raise ProgrammeError("this festival has no films to print cards for")
        with atomic_output(out) as stream:
            stats = build_cards(programme, stream, fonts=_fonts())
        click.echo(f"Wrote {out}: {len(programme.films)} cards on {stats.pages} A4 page(s).")

    _guarded(build)


def _film_url(slug: str, film_ref: str) -> str:
    from showcase.films.services import find_film
    from showcase.programmes.loading import film_qr_url

    festival = _festival(slug)
    film = find_film(festival, film_ref)
    if film is None:
        raise ProgrammeError(f"no film {film_ref!r} in {festival.slug} (give its guest code, submission id or slug)")
    return film_qr_url(festival, film)


def _write_image(slug: str, film_ref: str, out: Path, *, kind: str) -> None:
    from showcase.programmes import qr

    def write() -> None:
        url = _film_url(slug, film_ref)
        data = qr.png_bytes(url) if kind == "png" else qr.svg_bytes(url)
        with atomic_output(out) as stream:
            stream.write(data)
        click.echo(f"Wrote {out}: {url}")

    _guarded(write)


_film_option = click.option("--film", "film_ref", required=True, help="The film's guest code, submission id or slug.")


@qr_cli.command("png")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@_film_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The PNG file to write.")
def png_command(slug: str, film_ref: str, out: Path) -> None:
    """One film's QR code as a PNG (it opens the film's guest page, BASE/f/CODE)."""
    _write_image(slug, film_ref, out, kind="png")


@qr_cli.command("svg")
@click.option("--festival", "slug", required=True, help="The festival's slug.")
@_film_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The SVG file to write.")
def svg_command(slug: str, film_ref: str, out: Path) -> None:
    """One film's QR code as an SVG (it opens the film's guest page, BASE/f/CODE)."""
    _write_image(slug, film_ref, out, kind="svg")
