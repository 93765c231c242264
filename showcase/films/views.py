"""A film's edits: new film, details, credits, poster, media, and the CSV export (its list and page
are the workspace's, which shows its awards beside it)."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.confirm import confirm_then
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.films import background, posters, services
from showcase.films.forms import CreditForm, FilmForm, MediaForm, MoveForm, PosterForm
from showcase.films.importing import export_csv, export_xlsx
from showcase.films.models import Film
from showcase.forms import choices, form_status, save_with
from showcase.jobs import runners
from showcase.labels import label
from showcase.validation import MAX_ID, whole_number


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_ROOT"])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires("viewer")
def export_films(slug: str, fmt: str):
    festival = get_festival(slug)
    data, mimetype = (export_xlsx(festival), XLSX) if fmt == "xlsx" else (export_csv(festival), "text/csv")
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{festival.slug}-films.{fmt}"'},
    )


@requires("editor")
def create_film(slug: str):
    festival = get_festival(slug)
    form = FilmForm()
    if form.validate_on_submit():
        film = save_with(form, lambda: services.create_film(festival, actor=current_user, **form.values()))
        if film:
            flash(_("Film %(title)s created.", title=film.display_title), "success")
            return redirect(url_for("films.edit_film", slug=slug, film_id=film.id))
    return render_template("films/create_film.html", form=form, festival=festival), form_status(form)


def _media_form(film: Film, *, from_request: bool = True) -> MediaForm:
    form = MediaForm() if from_request else MediaForm(formdata=None)
    form.media_asset_id.choices = choices(
        [("", "— no video —")]
        + [
            (str(asset.id), f"{asset.path} ({asset.duration_seconds or 0:.0f} s, {asset.video_codec})")
            for asset in services.list_media_assets()
        ]
    )
    if not from_request or not form.is_submitted():
        form.media_asset_id.data = str(film.media_asset_id or "")
    return form


def render_edit(festival: Festival, film: Film, **forms):
    """The edit page with every panel's form; a failed panel passes its own form (with errors)."""
    form = forms.get("form") or FilmForm(obj=film, formdata=None)
    if "form" not in forms:
        form.version.data = str(film.version)
    panels = {
        "form": form,
        "credit_form": forms.get("credit_form") or CreditForm(formdata=None),
        "poster_form": forms.get("poster_form") or PosterForm(formdata=None),
        "media_form": forms.get("media_form") or _media_form(film, from_request=False),
    }
    status = max((form_status(f) for f in panels.values()), default=200)
    return render_template("films/edit_film.html", festival=festival, film=film, **panels), status


@requires("editor")
def edit_film(slug: str, film_id: int):
    festival = get_festival(slug)
    film = services.get_film(festival, film_id)
    form = FilmForm(obj=film)
    if not form.is_submitted():
        form.version.data = str(film.version)
    if form.validate_on_submit():
        version = whole_number(form.version.data, maximum=MAX_ID) or -1
        saved = save_with(
            form, lambda: services.update_film(film, expected_version=version, actor=current_user, **form.values())
        )
        if saved:
            flash(_("Film saved."), "success")
            return redirect(url_for("films.edit_film", slug=slug, film_id=film.id))
        form.version.data = str(film.version)  # saving again now overwrites knowingly
    return render_edit(festival, film, form=form)


def _back_to_edit(slug: str, film: Film, message: str):
    flash(message, "success")
    return redirect(url_for("films.edit_film", slug=slug, film_id=film.id), code=303)


@requires("editor")
def add_credit(slug: str, film_id: int):
    festival = get_festival(slug)
    film = services.get_film(festival, film_id)
    form = CreditForm()
    if form.validate_on_submit() and save_with(
        form,
        lambda: services.credit_person(
            film, name=form.name.data, name_en=form.name_en.data, role=form.role.data, actor=current_user
        ),
    ):
        return _back_to_edit(
            slug,
            film,
            _("%(name)s credited as %(role)s.", name=form.name.data.strip(), role=label(form.role.data, "credit_role")),
        )
    return render_edit(festival, film, credit_form=form)


@requires("editor")
def move_credit(slug: str, film_id: int, credit_id: int):
    film = services.get_film(get_festival(slug), film_id)
    form = MoveForm()
    if form.validate_on_submit() and save_with(
        form, lambda: services.move_credit(film, credit_id, offset=form.offset(), actor=current_user) or True
    ):
        return _back_to_edit(slug, film, _("Credits reordered."))
    return render_edit(get_festival(slug), film)


@requires("editor")
def remove_credit(slug: str, film_id: int, credit_id: int):
    film = services.get_film(get_festival(slug), film_id)
    credit = services.get_credit(film, credit_id)

    def remove():
        services.remove_credit(film, credit_id, actor=current_user)
        return _back_to_edit(slug, film, _("Credit removed."))

    return confirm_then(
        _(
            "Remove %(name)s as %(role)s from %(title)s?",
            name=credit.person.name,
            role=credit.role,  # the code: tests/showcase/test_confirmations.py reads it
            title=film.title,
        ),
        remove,
        cancel=_edit_url(slug, film, "credits-heading"),
        label=_("Remove credit"),
    )


def _edit_url(slug: str, film: Film, anchor: str) -> str:
    return url_for("films.edit_film", slug=slug, film_id=film.id, _anchor=anchor)


@requires("editor")
def upload_poster(slug: str, film_id: int):
    festival = get_festival(slug)
    film = services.get_film(festival, film_id)
    form = PosterForm()
    upload = request.files.get("poster")
    data = upload.read(posters.MAX_BYTES + 1) if upload else b""
    if form.validate_on_submit() and save_with(
        form, lambda: posters.replace_poster(film, data, upload_root=upload_root(), actor=current_user)
    ):
        return _back_to_edit(slug, film, _("Poster saved."))
    return render_edit(festival, film, poster_form=form)


@requires("editor")
def remove_poster(slug: str, film_id: int):
    film = services.get_film(get_festival(slug), film_id)

    def remove():
        posters.remove_poster(film, upload_root=upload_root(), actor=current_user)
        return _back_to_edit(slug, film, _("Poster removed."))

    return confirm_then(
        _("Remove the poster of %(title)s?", title=film.title),
        remove,
        cancel=_edit_url(slug, film, "poster-heading"),
        label=_("Remove poster"),
        consequence=_("Its image files are deleted. This cannot be undone."),
    )


@requires("editor")
def scan_media(slug: str):
    """Start registering the video files under MEDIA_ROOT as a job, and show the job's page."""
    festival = get_festival(slug)
    job_id = runners.start(kind=background.SCAN, festival_id=festival.id, requested_by_id=current_user.id, params={})
    return redirect(url_for("jobs.show_job", job_id=job_id), code=303)


@requires("editor")
def choose_media(slug: str, film_id: int):
    festival = get_festival(slug)
    film = services.get_film(festival, film_id)
    form = _media_form(film)
    if form.validate_on_submit() and save_with(
        form, lambda: services.set_media_asset(film, form.asset_id(), actor=current_user)
    ):
        return _back_to_edit(slug, film, _("Video file chosen."))
    return render_edit(festival, film, media_form=form)
