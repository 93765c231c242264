"""A job's page (progress bar, then a download or the reason it failed), its status as JSON, its file."""

from __future__ import annotations

import ast
import re

from flask import current_app, render_template, send_file, url_for
from flask_babel import get_translations
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import NotFound
from showcase.i18n import N_, Message, script_words, translate
from showcase.jobs import runners, services
from showcase.jobs.models import Job

# What jobs.js writes (static/js/words.js).
LIVE_WORDS = (N_("%(done)s of %(total)s"),)
PRIVATE = {"Cache-Control": "private, no-store"}


def _own_job(job_id: int) -> Job:
    """The job, when the signed-in user asked for it (or is an admin): others get a 404, not a hint."""
    services.reap_abandoned()
    job = services.get_job(job_id)
    if job.requested_by_id != current_user.id and not current_user.has_role("admin"):
        raise NotFound(N_("There is no such job."))
    return job


_PARAM = re.compile(r"%\((\w+)\)([sdr])|%%")


_PATTERNS: dict[int, tuple[tuple[str, re.Pattern], ...]] = {}  # by catalogue: one per language, built once
# A template is read back only when its fixed words say enough: "%(item)s: %(changes)s" would claim any text
# with a colon in it (a warning, a film's title) and reword it.
FEWEST_LETTERS = 6


def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """A pattern reading each catalogue template with parameters back out of its English text; the
    templates with the most fixed words first, so "%(a)s: %(b)s" is tried after anything more exact."""
    catalogue = getattr(get_translations(), "_catalog", None) or {}
    if id(catalogue) not in _PATTERNS:
        templates = (key for key in catalogue if isinstance(key, str) and "%(" in key)
        _PATTERNS[id(catalogue)] = _compiled(templates)
    return _PATTERNS[id(catalogue)]


def _compiled(templates) -> tuple[tuple[str, re.Pattern], ...]:
    found = []
    for template in templates:
        fixed = _PARAM.sub("", template)
        if sum(character.isalpha() for character in fixed) < FEWEST_LETTERS:
            continue
        parts, names, at = [], set(), 0
        for param in _PARAM.finditer(template):
            parts.append(re.escape(template[at : param.start()]))
            name, kind = param.group(1), param.group(2)
            if param.group(0) == "%%":
                parts.append("%")
            elif name in names:
                parts.append(f"(?P={name})")
            else:
                names.add(name)
                parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.*?)")
            at = param.end()
        parts.append(re.escape(template[at:]))
        found.append((len(fixed), template, re.compile("".join(parts), re.DOTALL)))
    return tuple((template, pattern) for _fixed, template, pattern in sorted(found, key=lambda f: -f[0]))


def stored_words(text: str) -> str:
    """A message a job stored in English (its progress, reason or summary), in the reader's language: the
    text itself when the catalogue has it, else the catalogue template it was written from, its values
    read back and worded the same way (a film's title stays as it is). Unknown text stays English."""
    if not text:
        return text
    found = translate(text)
    if found != text:
        return found
    for template, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match is not None:
            params = {name: _value(template, name, value) for name, value in match.groupdict().items()}
            return translate(Message(template, params))
    return text


def _value(template: str, name: str, text: str) -> object:
    """A value read out of a stored message, ready to be formatted into the template again."""
    if f"%({name})d" in template:
        return int(text)
    if f"%({name})r" in template:
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
    return stored_words(text)


def status(job: Job) -> dict:
    """What the page shows, as plain values (the JSON the page's script polls), its words in the reader's
    language: a job's message, reason and summary are stored in English (showcase.i18n.translate)."""
    state, done, total, message = job.state, job.done, job.total, job.message
    live = runners.runner().live.get(job.id)  # a job running in this very process: its latest report
    if live is not None and not job.finished:
        # A job reports progress only once it has claimed its row, so a report means "running" even
        # when the row was read a moment before the claim was committed.
        state, (done, total, message) = "running", live
    has_file = services.result_path(current_app, job) is not None
    return {
        "id": job.id,
        "state": state,
        "done": done,
        "total": total,
        "message": stored_words(message),
        "error": stored_words(job.error),
        "summary": stored_words(job.summary),
        "download": url_for("jobs.download_result", job_id=job.id) if has_file else None,
    }


@requires("viewer")
def show_job(job_id: int):
    job = _own_job(job_id)
    words = script_words(LIVE_WORDS)
    return render_template("jobs/show_job.html", job=job, status=status(job), words=words), 200, PRIVATE


@requires("viewer")
def job_status(job_id: int):
    return status(_own_job(job_id)), 200, PRIVATE


@requires("viewer")
def download_result(job_id: int):
    job = _own_job(job_id)
    path = services.result_path(current_app, job)
    if path is None:
        raise NotFound(N_("This job has no file to download (it is not finished, failed, or its file was removed)."))
    response = send_file(path, mimetype=job.result_type, as_attachment=True, download_name=job.result_name)
    response.headers.update(PRIVATE)
    return response
