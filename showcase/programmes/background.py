"""The programme build as a background job (showcase.jobs): staff start it and watch its progress."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app

from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.jobs.services import JobContext, JobFailed, JobResult
from showcase.messages import N_, Message
from showcase.programmes import loading
from showcase.programmes.data import ProgrammeError, ProgrammeOptions

KIND = "programme"


def file_name(slug: str, options: ProgrammeOptions, suffix: str) -> str:
    """The download's name: festival, size, language and what kind of build it is."""
    parts = [
        slug,
        "programme",
        options.size,
        options.lang,
        "booklet" if options.booklet else "",
        "press" if options.press else "",
        "PROOF" if options.proof else "",
    ]
    return "-".join(p for p in parts if p) + suffix


def job_params(options: ProgrammeOptions) -> dict[str, Any]:
    """A build's options as the job's plain parameters."""
    return {"options": asdict(options)}


def build_programme_job(job: JobContext, *, festival_id: int, options: dict[str, Any]) -> JobResult:
    """Build the festival's programme PDF into the job's result file, reporting each film page laid out."""
    from showcase.programmes.writing import font_specs, write_programme  # reportlab: when a build runs

    festival = db.session.get(Festival, festival_id)
    if festival is None:
        raise JobFailed(N_("The festival was deleted before its programme could be built."))
    job.progress(0, 1, N_("Reading the festival"))
    try:
        chosen = ProgrammeOptions(**options)
        programme = loading.load_programme(
            festival, options=chosen, **loading.poster_folders(current_app.config, current_app.instance_path)
        )
        out = job.output(".pdf")
        profile = current_app.config.get("PROGRAMME_CMYK_PROFILE") or None
        fonts = font_specs(current_app.config.get("PROGRAMME_FONT_PATH"))
        written = write_programme(programme, out, fonts=fonts, profile=profile, progress=job.progress)
    except ProgrammeError as exc:
        problem = exc.args[0] if exc.args else str(exc)
        raise JobFailed(N_("The programme could not be built: %(problem)s.", problem=problem)) from exc
    return JobResult(
        _summary(written, films=len(programme.films)), out, file_name(festival.slug, chosen, ".pdf"), "application/pdf"
    )


def _summary(written, *, films: int) -> Message:
    """What the build made, in English (stored on the job; the job page words it for its reader)."""
    summary = N_("%(pages)s pages, %(films)s films.", pages=written.stats.pages, films=films)
    if written.proof is not None and written.proof.ready:
        summary = N_("%(summary)s Ready for press.", summary=summary)
    elif written.proof is not None:
        summary = N_("%(summary)s Not ready for press: see the proof report.", summary=summary)
    if written.stats.warnings:
        summary = N_(
            "%(summary)s Warnings: %(warnings)s", summary=summary, warnings="; ".join(written.stats.warnings[:5])
        )
    return summary
