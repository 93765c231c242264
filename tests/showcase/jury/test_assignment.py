"""Assignment (pure core): every film gets N jurors, loads differ by at most one, conflicts are honoured."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from showcase.jury.assignment import AssignmentError, assign


def _check(plan, films, jurors, per_film, conflicts=()):
    assert set(plan.jurors_of) == set(films)
    for film, chosen in plan.jurors_of.items():
        assert len(chosen) == per_film and len(set(chosen)) == per_film, film
        assert not any((juror, film) in set(conflicts) for juror in chosen), film
    counted = Counter(juror for juror, _film in plan.pairs())
    assert {j: counted.get(j, 0) for j in jurors} == dict(plan.load)


@pytest.mark.parametrize(("n_films", "n_jurors", "per_film"), [(2300, 20, 3), (7, 5, 3), (10, 3, 3), (1, 9, 2)])
def test_every_film_gets_n_jurors_and_loads_differ_by_at_most_one(n_films, n_jurors, per_film):
    films, jurors = [f"F{n}" for n in range(n_films)], [f"j{n}@x" for n in range(n_jurors)]
    plan = assign(films, jurors, per_film=per_film)
    _check(plan, films, jurors, per_film)
    assert plan.spread <= 1


def test_conflicts_are_never_crossed_and_loads_stay_within_one():
    rng = random.Random(7)
    films, jurors = [f"F{n}" for n in range(600)], [f"j{n}" for n in range(12)]
    conflicts = {(rng.choice(jurors), film) for film in films for _ in range(2)}  # up to two per film
    plan = assign(films, jurors, per_film=3, conflicts=conflicts)
    _check(plan, films, jurors, 3, conflicts)
    assert plan.spread <= 1


def test_a_juror_conflicted_with_most_films_is_reported_by_the_spread_not_hidden():
    films, jurors = [f"F{n}" for n in range(30)], ["a", "b", "c", "d"]
    conflicts = {("d", film) for film in films[:28]}  # d may judge two films only
    plan = assign(films, jurors, per_film=2, conflicts=conflicts)
    _check(plan, films, jurors, 2, conflicts)
    assert plan.load["d"] == 2 and plan.spread == max(plan.load.values()) - 2


def test_existing_assignments_are_kept_and_count_and_a_conflicted_one_is_replaced():
    films, jurors = ["A", "B", "C", "D"], ["x", "y", "z"]
    plan = assign(films, jurors, per_film=2, existing=[("x", "A"), ("z", "B")], conflicts=[("z", "B")])
    _check(plan, films, jurors, 2, [("z", "B")])
    assert "x" in plan.jurors_of["A"] and "z" not in plan.jurors_of["B"]
    assert plan.spread <= 1


def test_a_film_without_enough_free_jurors_is_refused_by_name():
    with pytest.raises(AssignmentError, match=r"1 film\(s\) have fewer than 2 jurors.*: B\."):
        assign(["A", "B"], ["x", "y"], per_film=2, conflicts=[("x", "B")])
    with pytest.raises(AssignmentError, match="at least one juror"):
        assign(["A"], ["x"], per_film=0)
    with pytest.raises(AssignmentError, match="listed twice"):
        assign(["A", "A"], ["x"], per_film=1)


def test_the_plan_is_the_same_for_the_same_input():
    films, jurors = [f"F{n}" for n in range(50)], [f"j{n}" for n in range(6)]
    assert assign(films, jurors, per_film=3).jurors_of == assign(films, jurors, per_film=3).jurors_of
