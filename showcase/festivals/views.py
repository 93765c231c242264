"""Festival editions: create and edit (the dashboard and each festival's overview are the workspace's)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.festivals import services
from showcase.festivals.forms import FestivalForm
from showcase.forms import form_status, save_with


@requires("editor")
def create_festival():
    form = FestivalForm()
    if form.validate_on_submit():
        festival = save_with(form, lambda: services.create_festival(actor=current_user, **form.values()))
        if festival:
            flash(_("Festival %(name)s created.", name=festival.name), "success")
            return redirect(url_for("workspace.show_festival", slug=festival.slug))
    return render_template("festivals/create_festival.html", form=form), form_status(form)


@requires("editor")
def edit_festival(slug: str):
    festival = services.get_festival(slug)
    form = FestivalForm(obj=festival)
    if form.validate_on_submit():
        saved = save_with(form, lambda: services.update_festival(festival, actor=current_user, **form.values()))
        if saved:
            flash(_("Festival saved."), "success")
            return redirect(url_for("workspace.show_festival", slug=saved.slug))
    return render_template("festivals/edit_festival.html", form=form, festival=festival), form_status(form)
