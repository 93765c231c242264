"""Staff's view of a festival's judging: its rounds, each juror's progress, and the fair ranking beside the
raw mean so staff see what standardisation changed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from playlists.prizes import prize_names
from showcase.auth.access import requires
from showcase.awards.services import list_categories
from showcase.errors import NotFound, ValidationFailed
from showcase.festivals.services import get_festival
from showcase.i18n import current_language, translate
from showcase.jury import services
from showcase.jury.models import METHODS
from showcase.messages import N_
from showcase.unit_of_work import attempt
from showcase.validation import parse_id, whole_number


@requires("viewer")
def list_rounds(slug: str):
    festival = get_festival(slug)
    rounds = [(r, services.progress(r)) for r in services.festival_rounds(festival)]
    return render_template("jury/list_rounds.html", festival=festival, rounds=rounds)


def _round_of(festival, round_id: int):
    jury_round = services.get_round(round_id)
    if jury_round.festival_id != festival.id:
        raise NotFound(N_("There is no round %(id)s.", id=round_id))
    return jury_round


@requires("viewer")
def show_results(slug: str, round_id: int):
    festival = get_festival(slug)
    jury_round = _round_of(festival, round_id)
    method = request.args.get("method") if request.args.get("method") in METHODS else jury_round.method
    rows = services.results(jury_round, method=method)
    raw_order = {r.film_id: n for n, r in enumerate(sorted(rows, key=lambda r: -r.raw_mean), start=1)}
    return render_template(
        "jury/show_results.html",
        categories=list_categories(festival),
        festival=festival,
        round=jury_round,
        rows=rows,
        raw_order=raw_order,
        method=method,
        progress=services.progress(jury_round),
        jurors=services.round_jurors(jury_round),
    )


@requires("editor")
def propose_winners(slug: str, round_id: int):
    """Winners proposed from a closed round's ranking for one category: shown first, given on confirmation
    (embargoed until revealed), the films made winners."""
    festival = get_festival(slug)
    jury_round = _round_of(festival, round_id)
    places = whole_number(request.form.get("places"), maximum=99) or 0
    category_id = parse_id(request.form.get("category_id"))
    category = next((c for c in list_categories(festival) if c.id == category_id), None)
    back = url_for("jury.show_results", slug=slug, round_id=round_id)
    try:
        if category is None:
            raise ValidationFailed({"category": N_("Choose an award category of this festival.")})
        proposals = attempt(lambda: services.propose_winners(jury_round, places=places))
        if request.form.get("confirm") == "1":
            count = attempt(lambda: services.confirm_winners(jury_round, category.id, proposals, actor=current_user))
            flash(
                _(
                    "%(n)d award(s) given in %(category)s, embargoed until you reveal them.",
                    n=count,
                    category=category.name,
                ),
                "success",
            )
            return redirect(url_for("awards.list_awards", slug=slug), 303)
    except ValidationFailed as exc:
        return _refused(exc, back)
    return render_template(
        "jury/propose_winners.html",
        festival=festival,
        round=jury_round,
        category=category,
        places=places,
        proposals=proposals,
        names={k: v.pick(current_language()) for k, v in prize_names(_Placed(p) for p in proposals).items()},
    )


class _Placed:
    """A proposal as playlists.prizes reads an award: its id (the film's) and placement."""

    def __init__(self, proposal: services.Proposal) -> None:
        self.id, self.placement = proposal.film_id, proposal.placement


def _refused(exc: ValidationFailed, back: str):
    for message in exc.errors.values():
        flash(translate(message), "error")
    return redirect(back, 303)


@requires("editor")
def create_round(slug: str):
    """A new round from the form on the rounds page (the same rules as `showcase jury round create`)."""
    festival = get_festival(slug)
    form = request.form
    back = url_for("jury.list_rounds", slug=slug)
    previous_id = parse_id(form.get("from_round_id"))

    def create():
        previous = _round_of(festival, previous_id) if previous_id else None
        return services.create_round(
            festival,
            name=form.get("name", ""),
            criteria=services.parse_criteria(form.get("criteria", "")),
            scale=services.parse_scale(form.get("scale", "")),
            per_film=whole_number(form.get("per_film"), maximum=1000) or 0,
            from_round=previous,
            method=form.get("method", "mean"),
            opens_at=services.festival_time(festival, form.get("opens"), "opens"),
            closes_at=services.festival_time(festival, form.get("closes"), "closes"),
            actor=current_user,
        )

    try:
        jury_round = attempt(create)
    except ValidationFailed as exc:
        return _refused(exc, back)
    flash(_("Round “%(name)s” created with its films.", name=jury_round.name), "success")
    return redirect(url_for("jury.show_results", slug=slug, round_id=jury_round.id), 303)


@requires("editor")
def manage_round(slug: str, round_id: int):
    """The round page's actions: add jurors (e-mails), assign the films, close the round."""
    festival = get_festival(slug)
    jury_round = _round_of(festival, round_id)
    back = url_for("jury.show_results", slug=slug, round_id=round_id)
    action = request.form.get("action")
    try:
        if action == "jurors":
            emails = request.form.get("emails", "").replace(",", " ").split()
            added = attempt(lambda: services.add_jurors(jury_round, emails, actor=current_user))
            flash(_("%(n)d juror(s) added.", n=len(added)), "success")
        elif action == "assign":
            plan = attempt(lambda: services.assign_round(jury_round, actor=current_user))
            loads = sorted(plan.load.values())
            flash(_("Films assigned: %(low)d–%(high)d per juror.", low=loads[0], high=loads[-1]), "success")
        elif action == "close":
            advance = whole_number(request.form.get("advance"), maximum=100000)
            if advance is None:
                raise ValidationFailed({"advance": N_("Advance a whole number of films (0 or more).")})
            attempt(lambda: services.close_round(jury_round, advance=advance, actor=current_user))
            flash(_("The round is closed: its scores are final."), "success")
        else:
            raise ValidationFailed({"action": N_("Unknown action.")})
    except ValidationFailed as exc:
        return _refused(exc, back)
    return redirect(back, 303)
