"""One vocabulary for prizes: what a placement is called, in Chinese and in English, on every page and print.

It lives in `playlists` (pure Python, no showcase import) so the kiosk's ceremony cards and showcase share it.

Staff pages, guest pages, feeds, the schedule for apps, the printed programme, table cards and the running
order's announcement titles all name a prize through `prize_name`, so "二等奖（并列）/ Second prize (shared)"
reads the same everywhere. Both languages are returned at once: the printed programme and the running order
keep both, pages pick one with `pick`.

Whether a prize is shared and whether a winner is its category's only one depend on what the reader may
see (an embargoed award must not change a revealed one's name), so callers judge that with `prize_names`
over the awards they show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

_ZH_NUMBERS = "一二三四五六七八九十"
_EN_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")
ORDINALS = {n: (f"{_ZH_NUMBERS[n - 1]}等奖", f"{_EN_ORDINALS[n - 1]} prize") for n in range(1, 11)}
SOLE_WINNER = ("获奖", "Winner")  # a category with one winner: "First prize" would suggest there are others
SHARED = ("（并列）", " (shared)")


@dataclass(frozen=True)
class PrizeName:
    zh: str
    en: str

    def pick(self, lang: str) -> str:
        """The name in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def both(self, separator: str = " / ") -> str:
        return f"{self.zh}{separator}{self.en}"


def prize_name(placement: int, *, shared: bool = False, sole: bool = False) -> PrizeName:
    """'一等奖' / 'First prize'; '（并列）' / ' (shared)' for a tie; a category's only winner is its 'Winner'."""
    if sole and placement == 1 and not shared:
        return PrizeName(*SOLE_WINNER)
    zh, en = ORDINALS.get(placement, (f"第{placement}名", f"Place {placement}"))
    return PrizeName(zh + SHARED[0], en + SHARED[1]) if shared else PrizeName(zh, en)


class Placed(Protocol):
    id: int
    placement: int


def prize_names(awards: Iterable[Placed], *, sole_possible: bool = True) -> dict[int, PrizeName]:
    """The name of each of one category's awards, by award id, judged on these awards only.

    A placement held by several of them is shared; a category whose only award is a first prize has a
    'Winner' when `sole_possible` (callers pass False while other awards of the category may be hidden).
    """
    awards = list(awards)
    ties = Counter(a.placement for a in awards)
    sole = sole_possible and len(awards) == 1
    return {a.id: prize_name(a.placement, shared=ties[a.placement] > 1, sole=sole) for a in awards}
