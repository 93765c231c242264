"""Title cards rendered with Pillow: CJK glyphs, long text kept on screen, cached by content."""

from __future__ import annotations

from PIL import Image

from playlists.kiosk.cards import CJK_FONT, SIZE, render_card


def _ink_columns(path) -> tuple[int, int]:
    image = Image.open(path).convert("L")
    box = image.point(lambda v: 255 if v > 60 else 0).getbbox()
    assert box is not None, "the card is blank"
    return box[0], box[2]


def test_card_is_a_full_size_png_with_the_text(tmp_path):
    path = render_card("二等奖\nSecond prize", tmp_path)
    image = Image.open(path)
    assert image.format == "PNG" and image.size == SIZE
    left, right = _ink_columns(path)
    assert 0 < left < right < SIZE[0]


def test_cjk_text_draws_glyphs_not_boxes(tmp_path):
    assert CJK_FONT.exists()  # Debian's fonts-wqy-zenhei; without it cards fall back to Pillow's font
    one, two = render_card("星河", tmp_path), render_card("雨室", tmp_path)
    assert Image.open(one).tobytes() != Image.open(two).tobytes()  # tofu boxes would look alike


def test_long_titles_shrink_to_stay_on_screen(tmp_path):
    path = render_card(
        "The Extraordinarily Long Title of an AI Short Film / 一部名字非常非常长的人工智能短片", tmp_path
    )
    left, right = _ink_columns(path)
    assert left >= SIZE[0] * 0.04 and right <= SIZE[0] * 0.96


def test_cards_are_cached_by_content(tmp_path):
    first = render_card("Interval", tmp_path)
    stamp = first.stat().st_mtime_ns
    assert render_card("Interval", tmp_path) == first and first.stat().st_mtime_ns == stamp
    assert render_card("Interval ", tmp_path) != first
    assert not list(tmp_path.glob("*.tmp"))
