"""Staff pages of a festival's playlists: build, edit, publish, download."""

from __future__ import annotations

from flask import Response, after_this_request, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.confirm import confirm_then
from showcase.errors import ValidationFailed
from showcase.festivals.services import get_festival
from showcase.forms import choices, form_status, save_with
from showcase.i18n import N_, translate
from showcase.jobs import runners
from showcase.kiosks import background, drafts, exporting, publishing
from showcase.kiosks.forms import (
    ActionForm,
    CardForm,
    FromAwardsForm,
    FromSessionForm,
    ItemForm,
    MoveForm,
    NewPlaylistForm,
)
from showcase.schedule.services import list_sessions
from showcase.schedule.winners import FILL_MODES
from showcase.validation import parse_id


def _create_forms(festival) -> dict:
    from_session = FromSessionForm(prefix="session")
    from_session.session_id.choices = choices((s.id, s.title_en or s.title) for s in list_sessions(festival))
    from_awards = FromAwardsForm(prefix="awards")
    from_awards.mode.choices = choices((mode, translate(words)) for mode, words in FILL_MODES.items())
    return {"new_form": NewPlaylistForm(prefix="new"), "session_form": from_session, "awards_form": from_awards}


@requires("viewer")
def list_playlists(slug: str):
    festival = get_festival(slug)
    return render_template(
        "kiosks/list_playlists.html",
        festival=festival,
        playlists=drafts.list_playlists(festival),
        **_create_forms(festival),
    )


@requires("editor")
def create_playlist(slug: str):
    festival = get_festival(slug)
    forms = _create_forms(festival)
    source = request.form.get("source", "")
    actions = {
        "new": lambda: drafts.create_playlist(
            festival, title=forms["new_form"].title.data, title_en=forms["new_form"].title_en.data, actor=current_user
        ),
        "session": lambda: drafts.playlist_from_session(
            festival, forms["session_form"].session_id.data, actor=current_user
        ),
        "awards": lambda: drafts.playlist_from_awards(
            festival, mode=forms["awards_form"].mode.data, actor=current_user
        ),
    }
    form = forms.get(f"{source}_form")
    if source in actions and form.validate_on_submit():
        playlist = save_with(form, actions[source])
        if playlist is not None:
            flash(_("Playlist created. Check it, then publish it."), "success")
            return redirect(url_for(".show_playlist", slug=slug, playlist_id=playlist.id), code=303)
    elif source not in actions:
        forms["new_form"].form_errors.append(_("Choose how to build the playlist."))
    return render_template(
        "kiosks/list_playlists.html", festival=festival, playlists=drafts.list_playlists(festival), **forms
    ), 400


def _page(festival, playlist, *, card_form=None, status: int = 200):
    items = [(item, drafts.item_seconds(item), ItemForm(prefix=f"i{item.id}", obj=item)) for item in playlist.items]
    return render_template(
        "kiosks/show_playlist.html",
        festival=festival,
        playlist=playlist,
        items=items,
        total=drafts.total_seconds(playlist),
        card_form=card_form or CardForm(prefix="card"),
        action_form=ActionForm(),
        move_form=MoveForm(),
        formats=exporting.FORMATS,
    ), status


@requires("viewer")
def show_playlist(slug: str, playlist_id: int):
    festival = get_festival(slug)
    return _page(festival, drafts.get_playlist(festival, playlist_id))


def _back(slug: str, playlist_id: int, message: str):
    flash(message, "success")
    return redirect(url_for(".show_playlist", slug=slug, playlist_id=playlist_id), code=303)


@requires("editor")
def add_card(slug: str, playlist_id: int):
    festival = get_festival(slug)
    playlist = drafts.get_playlist(festival, playlist_id)
    form = CardForm(prefix="card")
    if form.validate_on_submit() and save_with(
        form,
        lambda: drafts.add_card(
            playlist,
            title=form.title.data,
            title_en=form.title_en.data,
            text=form.text.data,
            seconds=form.seconds.data,
            hold=form.hold.data if form.hold.data is not None else 0.0,
            actor=current_user,
        ),
    ):
        return _back(slug, playlist_id, _("Title card added."))
    return _page(festival, playlist, card_form=form, status=form_status(form) if form.errors else 400)


@requires("editor")
def update_item(slug: str, playlist_id: int, item_id: int):
    festival = get_festival(slug)
    playlist = drafts.get_playlist(festival, playlist_id)
    form = ItemForm(prefix=f"i{item_id}")
    if form.validate_on_submit() and save_with(
        form,
        lambda: drafts.update_item(
            playlist, item_id, hold=form.hold.data, seconds=form.seconds.data, text=form.text.data, actor=current_user
        ),
    ):
        return _back(slug, playlist_id, _("Item saved."))
    flash(
        _("Not saved: %(problems)s", problems=" ".join(str(e) for errs in form.errors.values() for e in errs)), "error"
    )
    return _page(festival, playlist, status=400)


@requires("editor")
def move_item(slug: str, playlist_id: int, item_id: int):
    playlist = drafts.get_playlist(get_festival(slug), playlist_id)
    form = MoveForm()
    if form.validate_on_submit() and save_with(
        form, lambda: drafts.move(playlist, item_id, direction=form.direction.data, actor=current_user) or True
    ):
        return _back(slug, playlist_id, _("Item moved."))
    raise ValidationFailed({"direction": N_("Move an item up or down.")})


@requires("editor")
def remove_item(slug: str, playlist_id: int, item_id: int):
    playlist = drafts.get_playlist(get_festival(slug), playlist_id)
    item = drafts.get_item(playlist, item_id)

    def remove():
        form = ActionForm()
        if form.validate_on_submit() and save_with(
            form, lambda: drafts.remove_item(playlist, item_id, actor=current_user) or True
        ):
            return _back(slug, playlist_id, _("Item removed."))
        raise ValidationFailed({"item": N_("The item was not removed.")})

    return confirm_then(
        _("Remove %(item)s from the playlist %(playlist)s?", item=item.title, playlist=playlist.title),
        remove,
        label=_("Remove item"),
        cancel=url_for(".show_playlist", slug=slug, playlist_id=playlist_id, _anchor=f"item-{item_id}"),
        consequence=_("Kiosks keep the published version until you publish again. This cannot be undone."),
    )


@requires("editor")
def publish_playlist(slug: str, playlist_id: int):
    festival = get_festival(slug)
    playlist = drafts.get_playlist(festival, playlist_id)
    form = ActionForm()
    version = form.validate_on_submit() and save_with(form, lambda: publishing.publish(playlist, actor=current_user))
    if version:
        said = _(
            "Version %(version)s published: kiosks playing it will switch at the next item.", version=version.version
        )
        return _back(slug, playlist_id, said)
    flash(
        _("Not published: %(problems)s", problems=" ".join(str(e) for errs in form.errors.values() for e in errs)),
        "error",
    )
    return _page(festival, playlist, status=400)


def _version_number(text: str | None) -> int | None:
    """A version asked for: None (the newest) when not given, 0 (none such: a 404) when not a version number."""
    return None if text in (None, "") else parse_id(text) or 0


@requires("viewer")
def start_bundle(slug: str, playlist_id: int):
    """Start making a published version's zip with media as a job, and show the job's page."""
    festival = get_festival(slug)
    playlist = drafts.get_playlist(festival, playlist_id)
    version = publishing.get_version(playlist, _version_number(request.form.get("version")))
    job_id = runners.start(
        kind=background.KIND,
        festival_id=festival.id,
        requested_by_id=current_user.id,
        params={"festival_id": festival.id, "playlist_id": playlist.id, "version": version.version},
    )
    return redirect(url_for("jobs.show_job", job_id=job_id), code=303)


@requires("viewer")
def export_playlist(slug: str, playlist_id: int):
    """Without ?format the page of versions and formats; with it, the download."""
    festival = get_festival(slug)
    playlist = drafts.get_playlist(festival, playlist_id)
    form = request.args.get("format")
    if form is None:
        return render_template(
            "kiosks/export_playlist.html", festival=festival, playlist=playlist, formats=exporting.FORMATS
        )
    version = publishing.get_version(playlist, _version_number(request.args.get("version")))
    name = f"playlist-{playlist.id}-v{version.version}"
    if form == "zip":
        path = exporting.zip_bundle(version)

        @after_this_request
        def _cleanup(response):
            path.unlink(missing_ok=True)
            return response

        return send_file(path, mimetype="application/zip", as_attachment=True, download_name=f"{name}.zip")
    if form not in exporting.FORMATS:
        raise ValidationFailed({"format": N_("Unknown format “%(format)s”.", format=form)})
    # a single file cannot carry films or card pictures: it is the zip's own file, pointing at media/ and cards/
    text = exporting.bundle_file(version, form)
    return Response(
        text,
        mimetype=exporting.FORMATS[form],
        headers={"Content-Disposition": f'attachment; filename="{name}{exporting.SUFFIXES[form]}"'},
    )
