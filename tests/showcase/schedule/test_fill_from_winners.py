"""Fill from winners: the kiosk's ceremony_order decides the order; shared placements stay together."""

from __future__ import annotations

import pytest

from showcase.errors import ValidationFailed
from tests.showcase.schedule.conftest import festival, session_of


def _fill(mode: str, **kwargs):
    from showcase.schedule.winners import winner_drafts

    return winner_drafts(festival(), mode=mode, **kwargs)


def _film_slugs(drafts) -> list[str]:
    from showcase.extensions import db
    from showcase.films.models import Film

    return [db.session.get(Film, d.film_id).slug for d in drafts if d.kind == "film"]


def test_the_modes_are_the_kiosk_orderings_modes():
    from playlists.ordering import MODES
    from showcase.schedule.winners import FILL_MODES

    assert set(FILL_MODES) == set(MODES)


def test_categories_in_display_order_lowest_prize_first_within_each(demo, ctx):
    drafts = _fill("categories")
    assert [d.kind for d in drafts[:4]] == ["award", "film", "film", "award"]
    # Main competition: third (shared), second (shared), first; then the two single-prize categories.
    assert _film_slugs(drafts) == ["tides", "paper-city", "tree", "alaya", "fireworks", "seventh-dawn", "echo-factory"]
    announcements = [d.title_en for d in drafts if d.kind == "award"]
    assert announcements[:3] == [
        "Main Competition · Third prize (shared)",
        "Main Competition · Second prize (shared)",
        "Main Competition · First prize",
    ]
    assert drafts[0].title == "主竞赛单元 · 三等奖（并列）"
    # The single-prize categories: their only winner is the category's winner, in both languages.
    assert [d.title_en for d in drafts if d.kind == "award"][3:] == [
        "Best Visual Design · Winner",
        "Best Sound Design · Winner",
    ]


def test_lowest_first_puts_every_first_prize_last(demo, ctx):
    slugs = _film_slugs(_fill("lowest_first"))
    assert slugs[:4] == ["tides", "paper-city", "tree", "alaya"]
    assert set(slugs[-3:]) == {"fireworks", "seventh-dawn", "echo-factory"}


def test_highest_first_opens_with_the_first_prizes(demo, ctx):
    drafts = _fill("highest_first")
    assert _film_slugs(drafts)[:3] == ["fireworks", "seventh-dawn", "echo-factory"]
    assert _film_slugs(drafts)[-2:] == ["tides", "paper-city"]


def test_a_shared_placement_has_one_announcement_followed_by_both_films(demo, ctx):
    drafts = _fill("categories")
    second = next(n for n, d in enumerate(drafts) if d.title_en.endswith("Second prize (shared)"))
    assert [d.kind for d in drafts[second : second + 3]] == ["award", "film", "film"]
    assert drafts[second + 3].kind == "award"


def test_film_items_take_the_film_runtime_and_announcements_two_minutes(demo, ctx):
    drafts = _fill("categories")
    first_film = next(d for d in drafts if d.kind == "film")
    assert first_film.planned_seconds == 301  # Tidal Memory
    assert {d.planned_seconds for d in drafts if d.kind == "award"} == {120}


def test_awards_already_in_the_running_order_are_skipped(demo, ctx):
    ceremony = session_of("ceremony")
    present = {item.award_id for item in ceremony.items if item.award_id}
    assert _fill("categories", skip_award_ids=present) == []


def test_an_unknown_order_is_refused(demo, ctx):
    with pytest.raises(ValidationFailed) as caught:
        _fill("alphabetical")
    assert "Unknown order" in caught.value.errors["fill_mode"]


def test_the_filled_list_saves_and_times(demo, ctx):
    from showcase.schedule.running_order import save_running_order, time_drafts

    panel = session_of("panel")
    drafts = _fill("highest_first")
    save_running_order(panel, drafts, expected_version=1)
    timing = time_drafts(panel, drafts, festival=festival())
    assert timing.total_seconds == 5 * 120 + sum(d.planned_seconds for d in drafts if d.kind == "film")
    assert [item.kind for item in panel.items] == [d.kind for d in drafts]
