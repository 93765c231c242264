"""The programmes blueprint: print options, the programme PDF, table cards, and each film's QR code.

Downloads are GET requests with the options in the query string: they change nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, SelectChoice, SelectField
from wtforms.validators import NumberRange

from showcase.auth.access import requires
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.films.services import get_film
from showcase.i18n import N_, translate
from showcase.jobs import runners
from showcase.programmes import background, loading, writing
from showcase.programmes.data import ProgrammeError, ProgrammeOptions
from showcase.schedule.cues import cue_sheet_data
from showcase.schedule.services import get_session

SIZES = [SelectChoice("a5", _l("A5 (148 × 210 mm)")), SelectChoice("a4", _l("A4 (210 × 297 mm)"))]
LANGS = [
    SelectChoice("both", _l("Chinese and English")),
    SelectChoice("zh", _l("Chinese")),
    SelectChoice("en", _l("English")),
]
PRIVATE = {"Cache-Control": "private, no-store"}  # a proof carries embargoed winners


class ProgrammeForm(FlaskForm):
    """Print options, read from the query string (no CSRF: a download changes nothing)."""

    class Meta:
        csrf = False

    size = SelectField(_l("Page size"), choices=SIZES, default="a5")
    lang = SelectField(_l("Language"), choices=LANGS, default="both")
    bleed = FloatField(
        _l("Bleed (mm, 0–20; adds crop marks)"),
        default=0.0,
        validators=[NumberRange(0, 20, _l("Bleed must be a number of millimetres from 0 to 20."))],
    )
    booklet = BooleanField(_l("Booklet: two pages a sheet side, in saddle-stitch order"))
    include_embargoed = BooleanField(_l("Printer's proof: include unrevealed winners (every page is marked PROOF)"))
    press = BooleanField(
        _l("Press-ready PDF/X-4 for a print shop: CMYK, trim and bleed boxes, blank pages to whole sheets")
    )

    def options(self) -> ProgrammeOptions:
        return ProgrammeOptions(
            size=self.size.data,
            lang=self.lang.data,
            bleed_mm=float(self.bleed.data),
            booklet=self.booklet.data,
            proof=self.include_embargoed.data,
            press=self.press.data,
        )


def _form() -> ProgrammeForm:
    return ProgrammeForm(formdata=request.args if request.args else None)


# The page's buttons: a build runs as a background job; the proof report and the table cards are
# answered by their own GET downloads, to which the options are handed on.
DOWNLOADS = {"proof": "programmes.show_proof_report", "cards": "programmes.download_cards"}


def attachment(name: str, *, inline: bool = False) -> str:
    """A Content-Disposition value with a plain ASCII file name (no quotes, slashes or control characters).

    inline: shown in the browser rather than saved.
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "download"
    return f'{"inline" if inline else "attachment"}; filename="{safe}"'


def _problem(exc: ProgrammeError) -> str:
    """Why a programme could not be made, in the reader's language when the message is marked (N_)."""
    return translate(exc.args[0]) if exc.args else ""


def _page(festival: Festival, form: ProgrammeForm, *, error: str = "", status: int = 200):
    if error:
        form.form_errors.append(error)
    films = loading.programme_films(festival)
    return render_template(
        "programmes/show_programme.html", festival=festival, form=form, films=films, base_url=festival.public_base_url
    ), status


def _fonts():
    return writing.font_specs(current_app.config.get("PROGRAMME_FONT_PATH"))


@requires("viewer")
def show_programme(slug: str):
    festival = get_festival(slug)
    return _page(festival, _form())


def _write(festival: Festival, options: ProgrammeOptions, out: io.BytesIO) -> writing.Written:
    programme = loading.load_programme(
        festival, options=options, **loading.poster_folders(current_app.config, current_app.instance_path)
    )
    profile = current_app.config.get("PROGRAMME_CMYK_PROFILE") or None
    return writing.write_programme(programme, out, fonts=_fonts(), profile=profile)


def _file_name(festival: Festival, options: ProgrammeOptions, suffix: str) -> str:
    return background.file_name(festival.slug, options, suffix)


@requires("viewer")
def start_build(slug: str):
    """Start building the programme with the form's options as a job, and show the job's page."""
    festival = get_festival(slug)
    form = ProgrammeForm(formdata=request.form)
    if not form.validate():
        return _page(festival, form, status=400)
    action = request.form.get("action", "build")
    if action in DOWNLOADS:
        args = {name: value for name, value in request.form.items() if name not in ("csrf_token", "action")}
        return redirect(url_for(DOWNLOADS[action], slug=slug, **args), code=303)
    try:
        loading.base_url(festival)  # said on this page at once rather than as a failed job
    except ProgrammeError as exc:
        return _page(
            festival, form, error=_("The programme could not be built: %(problem)s.", problem=_problem(exc)), status=400
        )
    job_id = runners.start(
        kind=background.KIND,
        festival_id=festival.id,
        requested_by_id=current_user.id,
        params={"festival_id": festival.id, **background.job_params(form.options())},
    )
    return redirect(url_for("jobs.show_job", job_id=job_id), code=303)


@requires("viewer")
def download_programme(slug: str):
    return _programme(slug, report=False)


@requires("viewer")
def show_proof_report(slug: str):
    """The proof report of the press build with the chosen options, as plain text in the browser."""
    return _programme(slug, report=True)


def _programme(slug: str, *, report: bool):
    """The programme PDF with the form's options, or (report) the proof report of its press build."""
    festival = get_festival(slug)
    form = _form()
    if not form.validate():
        return _page(festival, form, status=400)
    options = replace(form.options(), press=True) if report else form.options()
    out = io.BytesIO()
    try:
        written = _write(festival, options, out)
    except ProgrammeError as exc:
        problem = _problem(exc)
        error = (
            _("The press build could not be made: %(problem)s.", problem=problem)
            if report
            else _("The programme could not be built: %(problem)s.", problem=problem)
        )
        return _page(festival, form, error=error, status=400)
    if report:
        body, mimetype = written.proof.text(), "text/plain"
        disposition = attachment(_file_name(festival, options, ".proof.txt"), inline=True)
    else:
        body, mimetype = out.getvalue(), "application/pdf"
        disposition = attachment(_file_name(festival, options, ".pdf"))
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition, **PRIVATE})


@requires("viewer")
def download_cards(slug: str):
    from showcase.programmes.cards import build_cards

    festival = get_festival(slug)
    form = _form()
    if not form.validate():
        return _page(festival, form, status=400)
    out = io.BytesIO()
    try:
        options = ProgrammeOptions(lang=form.lang.data)
        programme = loading.load_programme(festival, options=options, upload_root=None)
        if not programme.films:
            raise ProgrammeError(N_("this festival has no films to print cards for"))
        build_cards(programme, out, fonts=_fonts())
    except ProgrammeError as exc:
        return _page(
            festival,
            form,
            error=_("The table cards could not be built: %(problem)s.", problem=_problem(exc)),
            status=400,
        )
    return Response(
        out.getvalue(),
        mimetype="application/pdf",
        headers={"Content-Disposition": attachment(f"{festival.slug}-table-cards.pdf"), **PRIVATE},
    )


def _qr(slug: str, film_id: int, kind: str):
    from showcase.programmes import qr

    festival = get_festival(slug)
    film = get_film(festival, film_id)
    try:
        url = loading.film_qr_url(festival, film)
    except ProgrammeError as exc:
        return _page(festival, _form(), error=_("No QR code: %(problem)s.", problem=_problem(exc)), status=400)
    data, mimetype = (qr.png_bytes(url), "image/png") if kind == "png" else (qr.svg_bytes(url), "image/svg+xml")
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": attachment(f"{festival.slug}-{film.code}-qr.{kind}")}
    )


@requires("viewer")
def download_qr_png(slug: str, film_id: int):
    return _qr(slug, film_id, "png")


@requires("viewer")
def download_qr_svg(slug: str, film_id: int):
    return _qr(slug, film_id, "svg")


@requires("viewer")
def cue_sheet_pdf(slug: str, session_id: int):
    """A session's cue sheet as a PDF (its page is the schedule's; the PDF is made here, with reportlab)."""
    from showcase.programmes.cuesheet import build_cue_sheet, cue_sheet_words

    festival = get_festival(slug)
    session = get_session(festival, session_id)
    pdf = build_cue_sheet(cue_sheet_data(festival, session), **cue_sheet_words(festival, session))
    filename = f"cue-sheet-{festival.slug}-{session.id}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
