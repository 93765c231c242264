"""The QR module: short URLs, matrices with quiet zone, PNG and SVG images."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from showcase.programmes import qr

URL = "https://showcase.example.org/f/AB12"


@pytest.mark.parametrize("base", ["https://showcase.example.org", "https://showcase.example.org/"])
def test_film_url_joins_base_and_code(base: str) -> None:
    assert qr.film_url(base, "AB12") == URL


def test_matrix_keeps_the_quiet_zone() -> None:
    matrix = qr.qr_matrix(URL)
    n = len(matrix)
    assert all(len(row) == n for row in matrix)
    assert (n - 2 * qr.QUIET_ZONE - 17) % 4 == 0  # version sizes are 17 + 4v modules
    border = [matrix[y][x] for y in range(n) for x in range(n) if min(x, y, n - 1 - x, n - 1 - y) < qr.QUIET_ZONE]
    assert not any(border)
    assert matrix[qr.QUIET_ZONE][qr.QUIET_ZONE]  # corner of a finder pattern


def test_higher_error_correction_needs_more_modules() -> None:
    assert len(qr.qr_matrix(URL * 3, level="H")) > len(qr.qr_matrix(URL * 3, level="M"))
    with pytest.raises(ValueError):
        qr.qr_matrix(URL, level="L")  # type: ignore[arg-type]


def test_png_decodes_to_the_url(tmp_path: Path) -> None:
    png = tmp_path / "code.png"
    png.write_bytes(qr.png_bytes(URL, box_size=6))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    assert out.stdout.split() == [URL]


def test_svg_is_one_path_covering_every_dark_run() -> None:
    svg = qr.svg_bytes(URL).decode()
    n = len(qr.qr_matrix(URL))
    assert f'viewBox="0 0 {n} {n}"' in svg
    assert svg.count("<path") == 1
    assert len(re.findall(r"M\d+,\d+h\d+v\d+h-\d+z", svg)) == len(qr.rectangles(qr.qr_matrix(URL)))


def test_rectangles_cover_exactly_the_dark_modules_once() -> None:
    matrix = qr.qr_matrix(URL)
    cells = [(x + i, y + j) for x, y, w, h in qr.rectangles(matrix) for i in range(w) for j in range(h)]
    dark = {(x, y) for y, row in enumerate(matrix) for x, v in enumerate(row) if v}
    assert len(cells) == len(set(cells))  # no overlap
    assert set(cells) == dark
    assert len(qr.rectangles(matrix)) < len(qr.dark_runs(matrix))  # merging saved some


@pytest.mark.parametrize("level", ["M", "Q", "H"])
def test_pinned_mask_encoding_matches_qrcode_for_every_version_shape(level: str) -> None:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q

    levels = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
    # short URLs (one block), longer ones (several blocks of two sizes) and past version 9 (16-bit counts)
    for length in (1, 20, 45, 90, 160, 230, 330):
        url = "https://showcase.example.org/f/" + ("中A" * length)[:length]
        mask = length % 8
        code = qrcode.QRCode(error_correction=levels[level], border=qr.QUIET_ZONE, mask_pattern=mask)
        code.add_data(url, optimize=0)
        code.make(fit=True)
        assert qr.qr_matrix(url, level=level, mask=mask) == code.get_matrix(), (length, code.version)


def test_pinned_mask_code_decodes_to_the_url(tmp_path: Path) -> None:
    from PIL import Image

    matrix = qr.qr_matrix(URL, mask=qr.FAST_MASK)
    n = len(matrix)
    image = Image.new("L", (n, n), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image.resize((n * 6, n * 6), Image.Resampling.NEAREST).save(tmp_path / "code.png")
    out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "code.png")], capture_output=True, text=True)
    assert out.stdout.split() == [URL]
