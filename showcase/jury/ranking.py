"""A round's fair ranking: each juror's scores put on one scale before they are averaged.

Pure: criteria and scores in, ranked films out. The steps, in this order:

1. The weighted score of each (juror, film): the criteria's values weighted by the criteria's weights,
   divided by the sum of the weights, so it stays on the round's scale (1–10 stays 1–10).
2. Per juror, standardisation over that juror's films in the round: z = (score − the juror's mean) / the
   juror's standard deviation (population). A harsh juror (all 3–6) and a lenient one (all 7–10) who order
   the films alike give the same z-scores. A juror whose scores are all equal, or who scored one film, says
   nothing about order: their z-scores are 0.
3. Per film, the mean of its z-scores (or their median, `method="median"`, which one outlier cannot move).
4. Ranked by that score; ties broken by the raw mean (of the weighted scores), then by the number of first
   places (jurors who scored the film highest of all theirs, ties included). Films still equal share a rank
   (1, 2, 2, 4).
5. A film with fewer scores than the round requires is not ranked: it is listed after the ranked ones with a
   flag, so staff see it rather than find it silently low or high.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

METHODS = ("mean", "median")
TOO_FEW = "too few scores"


class RankingError(ValueError):
    """Scores the ranking cannot use: the message says which and why."""


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Score:
    """One juror's values for one film, by criterion name."""

    juror: Hashable
    film: Hashable
    values: Mapping[str, float]


@dataclass(frozen=True)
class RankedFilm:
    film: Hashable
    rank: int | None  # None when flagged
    score: float | None  # the standardised score (mean or median of z); None when flagged
    raw_mean: float  # mean of the weighted scores, on the round's scale
    n_scores: int
    first_places: int
    flag: str = ""


def weighted(values: Mapping[str, float], criteria: Sequence[Criterion]) -> float:
    """The weighted score of one juror's values for one film (every criterion must have a value)."""
    try:
        return sum(values[c.name] * c.weight for c in criteria) / sum(c.weight for c in criteria)
    except KeyError:
        missing = [c.name for c in criteria if c.name not in values]
        raise RankingError(f"no value for {', '.join(missing)}.") from None


def rank(
    scores: Iterable[Score],
    criteria: Sequence[Criterion],
    *,
    required: int = 1,
    method: str = "mean",
    films: Iterable[Hashable] = (),
) -> list[RankedFilm]:
    """The round's ranking: ranked films best first, then the flagged ones (see the module docstring).

    `films`: the round's films, so one nobody scored is listed (flagged) too.
    """
    if method not in METHODS:
        raise RankingError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}.")
    if not criteria or any(c.weight <= 0 or not math.isfinite(c.weight) for c in criteria):
        raise RankingError("a round needs criteria, each with a positive weight.")

    by_juror: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for s in scores:
        if s.film in by_juror[s.juror]:
            raise RankingError(f"juror {s.juror} scored film {s.film} twice.")
        by_juror[s.juror][s.film] = weighted(s.values, criteria)

    z_of: dict[Hashable, list[float]] = defaultdict(list)
    raw_of: dict[Hashable, list[float]] = defaultdict(list)
    firsts: dict[Hashable, int] = defaultdict(int)
    for given in by_juror.values():
        values = list(given.values())
        mean = math.fsum(values) / len(values)
        # Population standard deviation, in floats (statistics.pstdev is exact, and 50× slower here).
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        best = max(given.values())
        for film, value in given.items():
            z_of[film].append((value - mean) / spread if spread > 1e-12 else 0.0)
            raw_of[film].append(value)
            if value == best:
                firsts[film] += 1

    summarise = statistics.fmean if method == "mean" else statistics.median
    ranked, flagged = [], []
    for film in dict.fromkeys([*films, *raw_of]):
        raws = raw_of.get(film, [])
        raw_mean = statistics.fmean(raws) if raws else 0.0
        if len(raws) < required:
            flagged.append(RankedFilm(film, None, None, raw_mean, len(raws), firsts[film], TOO_FEW))
        else:
            ranked.append(RankedFilm(film, None, summarise(z_of[film]), raw_mean, len(raws), firsts[film]))

    def key(r: RankedFilm) -> tuple[float, float, int]:
        # Rounded so that equal scores reached by different sums of floats compare equal.
        return (round(r.score, 9), round(r.raw_mean, 9), r.first_places)

    ranked.sort(key=key, reverse=True)
    out, previous = [], None
    for position, r in enumerate(ranked, start=1):
        shared = previous is not None and key(r) == key(previous)
        out.append(RankedFilm(r.film, out[-1].rank if shared else position, *_rest(r)))
        previous = r
    flagged.sort(key=lambda r: (-r.n_scores, -r.raw_mean))
    return out + flagged


def _rest(r: RankedFilm) -> tuple:
    return (r.score, r.raw_mean, r.n_scores, r.first_places, r.flag)
