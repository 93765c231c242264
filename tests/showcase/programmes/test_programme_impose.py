"""Booklet imposition: saddle-stitch order and the two-up imposed PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from showcase.programmes.build import build_programme
from showcase.programmes.data import ProgrammeError
from showcase.programmes.impose import booklet_order, impose_pdf, padded_count, sheet_size

A5 = (419.53, 595.28)


def test_eight_pages() -> None:
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_twelve_pages() -> None:
    assert booklet_order(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]


def test_thirteen_pages_pad_to_sixteen() -> None:
    order = booklet_order(13)
    assert padded_count(13) == 16
    assert order == [(16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9)]
    assert sorted(p for side in order for p in side) == list(range(1, 17))


def test_no_pages_is_an_error() -> None:
    with pytest.raises(ProgrammeError):
        booklet_order(0)


def numbered_pdf(path: Path, pages: int) -> None:
    """A blank A5 PDF of the given page count."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A5)
    writer.write(path)


@pytest.mark.parametrize(("pages", "sides"), [(8, 4), (12, 6), (13, 8)])
def test_imposed_pdf_has_a_side_per_two_pages_on_a4_landscape(tmp_path: Path, pages: int, sides: int) -> None:
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    numbered_pdf(src, pages)
    assert impose_pdf(src, dst) == sides
    reader = PdfReader(str(dst))
    assert len(reader.pages) == sides
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape


def test_imposed_programme_keeps_page_order(make_programme, tmp_path: Path) -> None:
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    stats = build_programme(make_programme(7, bleed_mm=3), src)
    impose_pdf(src, dst)
    reader = PdfReader(str(dst))
    bleed = 3 * 72 / 25.4
    box = reader.pages[0].mediabox
    # A5 spread plus 3 mm bleed no longer fits A4, so it goes on A3 landscape
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)
    assert sheet_size(2 * A5[0] + 2 * bleed, A5[1] + 2 * bleed) == (1190.55, 841.89)
    first_side = reader.pages[0].extract_text()
    last = padded_count(stats.pages)
    # The outer side carries the cover (page 1) on the right and the last page (or a blank) on the left.
    assert "人工智能短片大赛" in first_side
    assert len(reader.pages) == last // 2


def test_a_booklet_with_bleed_gives_every_sheet_side_a_trim_and_a_bleed_box(make_programme, tmp_path: Path) -> None:
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    build_programme(make_programme(7, bleed_mm=3), src)
    impose_pdf(src, dst)
    bleed = 3 * 72 / 25.4
    for side in PdfReader(str(dst)).pages:
        assert "/TrimBox" in side and "/BleedBox" in side
        trim, box = side.trimbox, side.bleedbox
        assert (float(trim.width), float(trim.height)) == pytest.approx((2 * A5[0], A5[1]), abs=0.05)  # the spread
        assert float(trim.left) - float(box.left) == pytest.approx(bleed, abs=0.01)
        assert float(box.top) - float(trim.top) == pytest.approx(bleed, abs=0.01)
        assert float(box.right) <= float(side.mediabox.right) and float(box.left) >= 0


def test_a_booklet_without_bleed_adds_no_boxes(make_programme, tmp_path: Path) -> None:
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    build_programme(make_programme(2), src)
    impose_pdf(src, dst)
    assert all("/TrimBox" not in side for side in PdfReader(str(dst)).pages)


def test_padding_to_eight_pages() -> None:
    assert padded_count(10, 8) == 16 and padded_count(16, 8) == 16
    assert booklet_order(10, 8)[0] == (16, 1)
    with pytest.raises(ProgrammeError):
        padded_count(10, 6)
