"""Award categories, winners and the embargo, for staff."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from showcase.auth.access import requires
from showcase.awards import services
from showcase.awards.forms import ActionForm, AwardForm, CategoryForm, WinnerForm
from showcase.awards.models import Award, AwardCategory
from showcase.awards.picking import film_label, pick_film
from showcase.confirm import confirm_then
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.forms import form_status, save_with


def render_list(
    festival: Festival,
    *,
    category_form: CategoryForm | None = None,
    winner_form: WinnerForm | None = None,
    failed_category: int | None = None,
):
    """The awards page; a form that failed is shown again with its errors (and the page answers 400)."""
    forms = [f for f in (category_form, winner_form) if f is not None]
    status = max((form_status(f) for f in forms), default=200)
    return render_template(
        "awards/list_awards.html",
        festival=festival,
        categories=services.list_categories(festival),
        category_form=category_form or CategoryForm(formdata=None),
        winner_form=winner_form,
        failed_category=failed_category,
        blank_winner=WinnerForm(formdata=None),
    ), status


def _done(slug: str, message: str):
    flash(message, "success")
    return redirect(url_for("awards.list_awards", slug=slug), code=303)


@requires("viewer")
def list_awards(slug: str):
    return render_list(get_festival(slug))


@requires("editor")
def create_category(slug: str):
    festival = get_festival(slug)
    form = CategoryForm()
    if form.validate_on_submit() and save_with(
        form, lambda: services.create_category(festival, actor=current_user, **form.values())
    ):
        return _done(slug, _("Category %(name)s added.", name=form.name.data.strip()))
    return render_list(festival, category_form=form)


@requires("editor")
def edit_category(slug: str, category_id: int):
    festival = get_festival(slug)
    category = services.get_category(festival, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and save_with(
        form, lambda: services.update_category(category, actor=current_user, **form.values())
    ):
        return _done(slug, _("Category saved."))
    return render_template("awards/edit_category.html", festival=festival, category=category, form=form), form_status(
        form
    )


@requires("editor")
def move_category(slug: str, category_id: int):
    category = services.get_category(get_festival(slug), category_id)
    return _act(
        slug,
        ActionForm(),
        lambda form: services.move_category(category, offset=form.offset(), actor=current_user),
        _("Categories reordered."),
    )


@requires("editor")
def add_winner(slug: str, category_id: int):
    festival = get_festival(slug)
    category = services.get_category(festival, category_id)
    form = WinnerForm()
    if form.validate_on_submit():
        pick = pick_film(festival, ids=request.form.getlist("film_id"), text=form.film.data)
        if pick.film is None:
            form.film.errors = [pick.problem]
            form.choices = [(f.id, film_label(f)) for f in pick.choices]
        elif save_with(form, lambda: services.give_award(category, pick.film, actor=current_user, **form.values())):
            return _done(slug, _("Winner added to %(category)s.", category=category.name))
    return render_list(festival, winner_form=form, failed_category=category.id)


@requires("editor")
def edit_award(slug: str, award_id: int):
    festival = get_festival(slug)
    award = services.get_award(festival, award_id)
    form = AwardForm(obj=award)
    if form.validate_on_submit() and save_with(
        form, lambda: services.update_award(award, actor=current_user, **form.values())
    ):
        return _done(slug, _("Winner saved."))
    return render_template("awards/edit_award.html", festival=festival, award=award, form=form), form_status(form)


@requires("editor")
def remove_award(slug: str, award_id: int):
    award = services.get_award(get_festival(slug), award_id)
    return confirm_then(
        _("Remove the winner %(film)s from %(category)s?", film=award.film.title, category=_name(award.category)),
        lambda: _act(
            slug, ActionForm(), lambda _f: services.remove_award(award, actor=current_user), _("Winner removed.")
        ),
        cancel=_back_to(slug, award.category),
        label=_("Remove winner"),
    )


def _name(category: AwardCategory) -> str:
    return f"{category.name} ({category.name_en})" if category.name_en else category.name


def _back_to(slug: str, category: AwardCategory) -> str:
    return url_for("awards.list_awards", slug=slug, _anchor=f"category-{category.id}")


REVEAL_CONSEQUENCE = _l(
    "Guests see it at once: film pages, the schedule, calendar feeds and the printed "
    "programme. Hiding it again cannot take back what guests have already seen."
)


def _ask_reveal(slug: str, target: Award | AwardCategory, then: Callable):
    """Revealing cannot be taken back once guests have seen it: ask first."""
    if isinstance(target, Award):
        category = target.category
        question = _("Reveal the winner %(film)s of %(category)s?", film=target.film.title, category=_name(category))
    else:
        question, category = _("Reveal every winner of %(category)s?", category=_name(target)), target
    return confirm_then(
        question,
        then,
        cancel=_back_to(slug, category),
        label=_("Reveal to guests"),
        consequence=str(REVEAL_CONSEQUENCE),
    )


def _act(slug: str, form: ActionForm, action: Callable[[ActionForm], object], message: str):
    """Run a button's action and commit once (the CSRF check already ran before the view)."""
    save_with(form, lambda: action(form) or True)
    for error in form.form_errors:
        flash(error, "error")
    return (
        _done(slug, message) if not form.form_errors else redirect(url_for("awards.list_awards", slug=slug), code=303)
    )


def reveal_routes() -> list[tuple[str, str, Callable]]:
    """Reveal and unreveal, per category and per award: four (rule, endpoint, view), one pattern."""
    targets = {
        "categories": ("category_id", services.get_category, services.reveal_category, services.unreveal_category),
        "winners": ("award_id", services.get_award, services.reveal_award, services.unreveal_award),
    }
    routes = []
    for prefix, (arg, get, reveal, unreveal) in targets.items():
        for verb, action in (("reveal", reveal), ("unreveal", unreveal)):
            routes.append(_reveal_route(prefix, arg, get, verb, action))
    return routes


def _reveal_route(prefix: str, arg: str, get, verb: str, action) -> tuple[str, str, Callable]:
    def view(slug: str, **ids: int):
        target = get(get_festival(slug), ids[arg])
        message = _("Revealed to guests.") if verb == "reveal" else _("Hidden from guests again.")

        def act():
            return _act(slug, ActionForm(), lambda _f: action(target, actor=current_user), message)

        return _ask_reveal(slug, target, act) if verb == "reveal" else act()  # hiding is always safe

    endpoint = f"{verb}_{'category' if prefix == 'categories' else 'award'}"
    view.__name__ = endpoint
    return f"/{prefix}/<int:{arg}>/{verb}", endpoint, requires("editor")(view)
