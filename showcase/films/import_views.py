"""Submissions import in the browser: upload → preview with every row error → confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from showcase.auth.access import requires
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.films.csvio import MAX_BYTES, ImportRejected
from showcase.films.forms import ConfirmImportForm, ImportForm
from showcase.films.importing import ImportPlan, import_submissions, plan_import, stash_upload, take_upload
from showcase.films.views import bp, upload_root

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
    ), status


@bp.route("/import", methods=["GET", "POST"])
@requires("editor")
def import_films(slug: str):
    festival = get_festival(slug)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_upload(festival, form=form, status=400 if form.is_submitted() else 200)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_upload(festival, form=form, error="Choose a CSV file to upload.", status=400)
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
    )


@bp.post("/import/confirm")
@requires("editor")
def confirm_import(slug: str):
    festival = get_festival(slug)
    form = ConfirmImportForm()
    token = form.token.data or ""
    expected = session.get(SESSION_KEY) or {}
    # Only the upload this browser previewed, for this festival: a token is never a path.
    data = (
        take_upload(upload_root(), token)
        if form.validate_on_submit() and expected == {"token": token, "festival": festival.slug}
        else None
    )
    session.pop(SESSION_KEY, None)
    if data is None:
        take_upload(upload_root(), expected.get("token", ""))  # the preview ends here either way
        return render_upload(
            festival, error="This preview has expired or was already imported: upload the file again.", status=400
        )
    try:
        summary = import_submissions(festival, data, actor=current_user)
    except ImportRejected as exc:  # nothing written: the 400 below rolls the request back
        return render_upload(festival, plan=ImportPlan(errors=exc.errors), status=400)
    flash(
        f"Imported: {summary.created} new films, {summary.updated} updated, {summary.unchanged} unchanged.", "success"
    )
    return redirect(url_for("films.list_films", slug=slug), code=303)
