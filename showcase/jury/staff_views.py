"""Staff's view of a festival's judging: its rounds, each juror's progress, and the fair ranking beside the
raw mean so staff see what standardisation changed."""

from __future__ import annotations

from flask import render_template, request

from showcase.auth.access import requires
from showcase.errors import NotFound
from showcase.festivals.services import get_festival
from showcase.jury import services
from showcase.jury.models import METHODS
from showcase.messages import N_


@requires("viewer")
def list_rounds(slug: str):
    festival = get_festival(slug)
    rounds = [(r, services.progress(r)) for r in services.festival_rounds(festival)]
    return render_template("jury/list_rounds.html", festival=festival, rounds=rounds)


@requires("viewer")
def show_results(slug: str, round_id: int):
    festival = get_festival(slug)
    jury_round = services.get_round(round_id)
    if jury_round.festival_id != festival.id:
        raise NotFound(N_("There is no round %(id)s.", id=round_id))
    method = request.args.get("method") if request.args.get("method") in METHODS else jury_round.method
    rows = services.results(jury_round, method=method)
    raw_order = {r.film_id: n for n, r in enumerate(sorted(rows, key=lambda r: -r.raw_mean), start=1)}
    return render_template(
        "jury/show_results.html",
        festival=festival,
        round=jury_round,
        rows=rows,
        raw_order=raw_order,
        method=method,
        progress=services.progress(jury_round),
    )
