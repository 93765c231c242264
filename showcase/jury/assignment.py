"""Who judges which film: each film to `per_film` jurors of a round, loads balanced, conflicts never crossed.

Pure: plain keys in (any hashable film and juror keys), a plan out. The round's service reads the films,
jurors, declared conflicts and the assignments already made (kept: a manual change is never undone), and
writes the plan back.

The method: films are served most-constrained first (fewest jurors free to judge them), each taking the
least-loaded jurors it may have; then single moves from the busiest jurors to the idlest, where a film
allows it, until loads differ by at most one or no move helps. Without conflicts the first pass already
balances; with conflicts the second pass settles what the first could not, and anything left (a juror
conflicted with most of the films) is reported by `spread`, never hidden.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


class AssignmentError(ValueError):
    """A round that cannot be assigned as asked: the message says which films and why."""


@dataclass(frozen=True)
class Plan:
    """Jurors per film (in assignment order) and films per juror, both complete for the round."""

    jurors_of: Mapping[Hashable, tuple[Hashable, ...]]
    load: Mapping[Hashable, int]

    @property
    def spread(self) -> int:
        """The busiest juror's load minus the idlest's."""
        return max(self.load.values()) - min(self.load.values()) if self.load else 0

    def pairs(self) -> list[tuple[Hashable, Hashable]]:
        """(juror, film) for every assignment, film by film."""
        return [(juror, film) for film, jurors in self.jurors_of.items() for juror in jurors]


def assign(
    films: Sequence[Hashable],
    jurors: Sequence[Hashable],
    *,
    per_film: int,
    conflicts: Iterable[tuple[Hashable, Hashable]] = (),
    existing: Iterable[tuple[Hashable, Hashable]] = (),
) -> Plan:
    """Give each film `per_film` distinct jurors, none with a conflict (juror, film), loads balanced.

    `existing` (juror, film) pairs are kept as they are and count toward both the film's jurors and the
    juror's load; a pair that crosses a conflict is dropped (a conflict declared after the assignment
    reassigns the film). Raises AssignmentError when a film has fewer free jurors than it needs.
    """
    if per_film < 1:
        raise AssignmentError("Each film needs at least one juror.")
    if len(set(jurors)) != len(jurors) or len(set(films)) != len(films):
        raise AssignmentError("A film or a juror is listed twice.")
    blocked = set(conflicts)
    film_set = set(films)
    load = {juror: 0 for juror in jurors}
    jurors_of: dict[Hashable, list[Hashable]] = {film: [] for film in films}
    for juror, film in existing:
        if film in film_set and juror in load and (juror, film) not in blocked and juror not in jurors_of[film]:
            jurors_of[film].append(juror)
            load[juror] += 1

    free = {film: [j for j in jurors if (j, film) not in blocked] for film in films}
    short = [film for film in films if len(free[film]) < per_film]
    if short:
        names = ", ".join(map(str, short[:10])) + (" …" if len(short) > 10 else "")
        raise AssignmentError(
            f"{len(short)} film(s) have fewer than {per_film} jurors without a conflict of interest: {names}."
        )

    order = {juror: n for n, juror in enumerate(jurors)}  # ties in load go to the juror listed first
    for film in sorted(films, key=lambda f: len(free[f])):  # stable: otherwise in the order given
        _fill(film, jurors_of[film], free[film], per_film, load, order)
    _balance(jurors_of, free, load, order)
    return Plan({film: tuple(jurors_of[film]) for film in films}, dict(load))


def _fill(film, chosen: list, free: list, per_film: int, load: dict, order: dict) -> None:
    """Add the least-loaded free jurors to `chosen` until the film has `per_film`."""
    needed = per_film - len(chosen)
    if needed <= 0:
        return
    taken = set(chosen)
    for juror in heapq.nsmallest(needed, (j for j in free if j not in taken), key=lambda j: (load[j], order[j])):
        chosen.append(juror)
        load[juror] += 1


def _balance(jurors_of: dict, free: dict, load: dict, order: dict) -> None:
    """Move single assignments from the busiest jurors to the idlest while that narrows the spread."""
    films_of: dict = {juror: [] for juror in load}
    for film, chosen in jurors_of.items():
        for juror in chosen:
            films_of[juror].append(film)
    free_sets = {film: set(js) for film, js in free.items()}
    while load:
        low = min(load.values())
        top = max(load.values())
        if top - low <= 1:
            return
        idlest = sorted((j for j in load if top - load[j] > 1), key=lambda j: (load[j], order[j]))
        busiest = sorted((j for j in load if load[j] == top), key=lambda j: order[j])
        if not any(_move(b, idlest, jurors_of, films_of, free_sets, load) for b in busiest):
            return  # no single move helps: the conflicts decide the spread (Plan.spread reports it)


def _move(busiest, idlest: list, jurors_of: dict, films_of: dict, free_sets: dict, load: dict) -> bool:
    """Hand one of the busiest juror's films to the idlest juror free to take it; whether one moved."""
    for target in idlest:
        for film in films_of[busiest]:
            chosen = jurors_of[film]
            if target in free_sets[film] and target not in chosen:
                chosen[chosen.index(busiest)] = target
                films_of[busiest].remove(film)
                films_of[target].append(film)
                load[busiest] -= 1
                load[target] += 1
                return True
    return False
