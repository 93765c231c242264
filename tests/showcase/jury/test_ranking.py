"""Fair ranking (pure core): per-juror standardisation, ties, flags for films with too few scores."""

from __future__ import annotations

import pytest

from showcase.jury.ranking import TOO_FEW, Criterion, RankingError, Score, rank, weighted

ONE = [Criterion("score")]


def _scores(table: dict[str, dict[str, float]]) -> list[Score]:
    return [Score(juror, film, {"score": v}) for juror, row in table.items() for film, v in row.items()]


def _order(result):
    return [(r.film, r.rank) for r in result]


def test_a_harsh_and_a_lenient_juror_who_agree_give_the_same_ranking_as_two_alike():
    harsh = {"A": 3, "B": 4, "C": 6}
    lenient = {"A": 7, "B": 8, "C": 10}
    alike = rank(_scores({"j1": harsh, "j2": harsh}), ONE, required=2)
    mixed = rank(_scores({"j1": harsh, "j2": lenient}), ONE, required=2)
    assert _order(mixed) == _order(alike) == [("C", 1), ("B", 2), ("A", 3)]
    assert [round(r.score, 9) for r in mixed] == [round(r.score, 9) for r in alike]


def test_standardisation_removes_a_lenient_jurors_pull_that_the_raw_mean_keeps():
    # The lenient juror scored only film X; the others scored X and Y and prefer Y.
    scores = _scores(
        {
            "lenient": {"X": 10, "Z": 9},
            "a": {"X": 5, "Y": 7, "Z": 4},
            "b": {"X": 5, "Y": 7, "Z": 4},
            "c": {"Y": 3, "Z": 1},  # a harsh juror who also prefers Y
        }
    )
    result = {r.film: r for r in rank(scores, ONE, required=2)}
    assert result["X"].raw_mean > result["Y"].raw_mean  # the raw mean favours the lenient juror's film
    assert result["Y"].rank == 1 and result["X"].rank == 2  # standardised, the jurors' preference wins


def test_weights_and_the_weighted_score_stays_on_the_scale():
    criteria = [Criterion("story", 2), Criterion("craft", 1)]
    assert weighted({"story": 10, "craft": 4}, criteria) == 8
    with pytest.raises(RankingError, match="no value for craft"):
        weighted({"story": 10}, criteria)


def test_ties_break_on_the_raw_mean_then_first_places_then_share_a_rank():
    # Two jurors each with two films and mirrored scores: equal z-scores for P and Q.
    scores = _scores({"j1": {"P": 9, "Q": 7}, "j2": {"P": 3, "Q": 5}})
    tied = rank(scores, ONE, required=2)
    assert [round(r.score, 9) for r in tied] == [0.0, 0.0]
    assert [r.raw_mean for r in tied] == [6.0, 6.0] and [r.first_places for r in tied] == [1, 1]
    assert [r.rank for r in tied] == [1, 1]  # equal on every key: a shared rank

    scores = _scores({"j1": {"P": 10, "Q": 6}, "j2": {"P": 5, "Q": 7}})
    result = rank(scores, ONE, required=2)
    assert [round(r.score, 9) for r in result] == [0.0, 0.0]
    assert _order(result) == [("P", 1), ("Q", 2)]  # equal z; P's raw mean (7.5) beats Q's (6.5)


def test_first_places_break_a_tie_of_score_and_raw_mean():
    # P and Q: equal standardised score (1.22 summed) and equal raw mean (7/3); P is first for two jurors.
    scores = _scores({"j1": {"P": 3, "Q": 2, "R": 1}, "j2": {"P": 3, "Q": 2, "R": 1}, "j3": {"P": 1, "Q": 3, "R": 2}})
    result = rank(scores, ONE, required=3)
    p, q = result[0], result[1]
    assert round(p.score, 9) == round(q.score, 9) and p.raw_mean == q.raw_mean
    assert (p.film, p.rank, p.first_places) == ("P", 1, 2) and (q.film, q.rank, q.first_places) == ("Q", 2, 1)


def test_films_with_too_few_scores_are_flagged_after_the_ranked_ones_never_ranked():
    scores = _scores({"j1": {"A": 9, "B": 5, "C": 7}, "j2": {"A": 8, "B": 6}, "j3": {"A": 7, "B": 4}})
    result = rank(scores, ONE, required=3, films=["A", "B", "C", "D"])
    assert _order(result) == [("A", 1), ("B", 2), ("C", None), ("D", None)]
    assert [r.flag for r in result] == ["", "", TOO_FEW, TOO_FEW]
    assert [r.n_scores for r in result] == [3, 3, 1, 0]


def test_the_median_option_is_not_moved_by_one_outlier():
    scores = _scores(
        {
            "a": {"M": 6, "N": 5, "O": 1},
            "b": {"M": 6, "N": 5, "O": 1},
            "c": {"M": 1, "N": 5, "O": 6},  # one juror who hates M
        }
    )
    assert rank(scores, ONE, method="median")[0].film == "M"
    assert rank(scores, ONE, method="mean")[0].film == "N"


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(RankingError, match="unknown method"):
        rank([], ONE, method="mode")
    with pytest.raises(RankingError, match="positive weight"):
        rank([], [Criterion("x", 0)])
    with pytest.raises(RankingError, match="scored film A twice"):
        rank(_scores({"j": {"A": 1}}) * 2, ONE)
