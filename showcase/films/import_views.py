"""Uploads in the browser: the submissions import (upload → preview with every row error → confirm),
and the answer to any upload over the size limit. The preview names every column the file has that is
not imported, and each status word read as one of ours; a CSV and an .xlsx take the same path."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import NotFound
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.films import background, services
from showcase.films.csvio import MAX_BYTES
from showcase.films.forms import ConfirmImportForm, ImportForm, PosterForm
from showcase.films.importing import ImportPlan, plan_import
from showcase.films.stash import stash_upload, stashed, take_upload
from showcase.films.views import render_edit, upload_root
from showcase.i18n import translate
from showcase.jobs import runners

TOO_LARGE = "The file is larger than the upload limit of {mb} MB: nothing was saved. Choose a smaller file."
SESSION_KEY = "film_import"  # the token of the upload this browser previewed, and its festival


def render_upload(
    festival: Festival,
    *,
    form: ImportForm | None = None,
    plan: ImportPlan | None = None,
    error: str = "",
    status: int = 200,
):
    """The import page: the upload form, and a preview (counts, warnings, errors) once a file is sent."""
    form = form or ImportForm(formdata=None)
    if error:
        form.form_errors.append(error)
    return render_template(
        "films/import_films.html",
        festival=festival,
        form=form,
        plan=plan,
        confirm_form=ConfirmImportForm(formdata=None),
        token=None,
        say=translate,
    ), status


@requires("editor")
def import_films(slug: str):
    festival = get_festival(slug)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_upload(festival, form=form, status=400 if form.is_submitted() else 200)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_upload(festival, form=form, error=_("Choose a CSV or Excel (.xlsx) file to upload."), status=400)
    data = upload.read(MAX_BYTES + 1)
    plan = plan_import(festival, data)
    if plan.errors:
        return render_upload(festival, form=form, plan=plan, status=400)
    token = None
    if plan.new or plan.changed:  # nothing to confirm otherwise, so nothing to keep
        token = stash_upload(upload_root(), data)
        session[SESSION_KEY] = {"token": token, "festival": festival.slug}
    confirm = ConfirmImportForm(formdata=None, token=token)
    return render_template(
        "films/import_films.html",
        festival=festival,
        form=ImportForm(formdata=None),
        plan=plan,
        confirm_form=confirm,
        token=token,
        say=translate,
    )


@requires("editor")
def confirm_import(slug: str):
    festival = get_festival(slug)
    form = ConfirmImportForm()
    token = form.token.data or ""
    expected = session.get(SESSION_KEY) or {}
    # Only the upload this browser previewed, for this festival: a token is never a path.
    ready = form.validate_on_submit() and expected == {"token": token, "festival": festival.slug}
    session.pop(SESSION_KEY, None)
    if not ready or not stashed(upload_root(), token):
        take_upload(upload_root(), expected.get("token", ""))  # the preview ends here either way
        return render_upload(
            festival, error="This preview has expired or was already imported: upload the file again.", status=400
        )
    # The import itself runs as a background job (it takes the stashed upload): its page shows the progress.
    job_id = runners.start(
        kind=background.KIND,
        festival_id=festival.id,
        requested_by_id=current_user.id,
        params={"festival_id": festival.id, "token": token, "actor_id": current_user.id},
    )
    return redirect(url_for("jobs.show_job", job_id=job_id), code=303)


def too_large(_exc):
    """An upload over MAX_CONTENT_LENGTH: the form again with a clear message, not an error page.

    The request body is never parsed here (it is what was too large), so forms get no form data.
    """
    args = request.view_args or {}
    try:
        festival = get_festival(args.get("slug", ""))
    except NotFound:
        return _exc  # no form to show again: the plain 413 page
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / 1048576
    message = TOO_LARGE.format(mb=f"{min(limit, 10):g}")
    if "film_id" in args:
        form = PosterForm(formdata=None)
        form.form_errors.append(message)
        form.error_status = 413
        return render_edit(festival, services.get_film(festival, args["film_id"]), poster_form=form)
    return render_upload(festival, error=message, status=413)
