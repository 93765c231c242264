"""How staff pages name a prize: the festival's one vocabulary (playlists.prizes) in the reader's language."""

from __future__ import annotations

from playlists.prizes import prize_names
from showcase.awards.models import Award
from showcase.i18n import current_language


def staff_prize(award: Award) -> str:
    """'二等奖（并列）' / 'Second prize (shared)': staff see every award, so ties and a category's only
    winner are judged on the whole category, embargoed awards included (guests see them as revealed)."""
    return prize_names(award.category.awards)[award.id].pick(current_language())
