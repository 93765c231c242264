"""One vocabulary for prizes: the same name in both languages wherever a prize is named."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from playlists.prizes import prize_name, prize_names


@pytest.mark.parametrize(
    ("placement", "shared", "sole", "expected"),
    [
        (1, False, False, ("一等奖", "First prize")),
        (2, True, False, ("二等奖（并列）", "Second prize (shared)")),
        (3, False, False, ("三等奖", "Third prize")),
        (4, False, False, ("四等奖", "Fourth prize")),
        (10, False, False, ("十等奖", "Tenth prize")),
        (1, False, True, ("获奖", "Winner")),
        (1, True, True, ("一等奖（并列）", "First prize (shared)")),  # two winners are not "the" winner
        (2, False, True, ("二等奖", "Second prize")),  # a lone second prize still says second
        (11, False, False, ("第11名", "Place 11")),
    ],
)
def test_prize_names_in_both_languages(placement, shared, sole, expected):
    name = prize_name(placement, shared=shared, sole=sole)
    assert (name.zh, name.en) == expected
    assert name.pick("zh") == expected[0] and name.pick("en") == expected[1]


def _award(award_id: int, placement: int):
    return SimpleNamespace(id=award_id, placement=placement)


def test_a_category_is_judged_on_the_awards_given():
    names = prize_names([_award(1, 1), _award(2, 2), _award(3, 2)])
    assert names[1].en == "First prize"
    assert names[2] == names[3] and names[2].zh == "二等奖（并列）"
    assert prize_names([_award(7, 1)])[7].en == "Winner"
    # While other awards of the category may still be hidden, a lone first prize stays a first prize.
    assert prize_names([_award(7, 1)], sole_possible=False)[7].en == "First prize"
    assert prize_names([]) == {}
