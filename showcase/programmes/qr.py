"""The project's one QR module: film short URLs, module matrices, PNG and SVG images, one-path drawing.

qrcode is imported here and nowhere else. Nothing here imports reportlab: draw_matrix only calls
methods on the canvas it is given, so the guest pages can use this module without reportlab.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q

ErrorLevel = Literal["M", "Q", "H"]
_LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
QUIET_ZONE = 4  # modules; the QR spec's minimum, scanners fail more often without it
# Choosing the best mask evaluates all eight and costs ~6 ms a code; any mask is valid for
# decoders, so bulk printing may pin one (~0.8 ms a code).
FAST_MASK = 2


def film_url(public_base_url: str, code: str) -> str:
    """The short public URL of a film: BASE/f/CODE."""
    return public_base_url.rstrip("/") + "/f/" + code


def _make(url: str, *, level: ErrorLevel, mask: int | None, box_size: int = 1) -> qrcode.QRCode:
    if level not in _LEVELS:
        raise ValueError(f"error correction must be M, Q or H, not {level!r}")
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=QUIET_ZONE, box_size=box_size, mask_pattern=mask)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_matrix(url: str, *, level: ErrorLevel = "M", mask: int | None = None) -> list[list[bool]]:
    """The module matrix of url, quiet zone included (True = dark)."""
    return _make(url, level=level, mask=mask).get_matrix()


def png_bytes(url: str, *, box_size: int = 8, level: ErrorLevel = "M") -> bytes:
    """A black-on-white PNG of url's QR code, box_size pixels a module, quiet zone kept."""
    image = _make(url, level=level, mask=None, box_size=box_size).make_image()
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def svg_bytes(url: str, *, level: ErrorLevel = "M") -> bytes:
    """An SVG of url's QR code drawn as one path (scales without blur), quiet zone kept."""
    matrix = qr_matrix(url, level=level)
    n = len(matrix)
    d = " ".join(f"M{x},{y}h{w}v{h}h-{w}z" for x, y, w, h in rectangles(matrix))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/><path d="{d}" fill="#000"/></svg>'
    )
    return svg.encode("ascii")


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (x, y, width), y counted from the top row."""
    runs = []
    for y, row in enumerate(matrix):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append((start, y, x - start))
            else:
                x += 1
    return runs


def rectangles(matrix: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """Dark modules as (x, y, width, height) rectangles: equal runs in consecutive rows merged."""
    done: list[tuple[int, int, int, int]] = []
    open_: dict[tuple[int, int], tuple[int, int]] = {}  # (x, width) -> (top row, height)
    for y, row_runs in _by_row(dark_runs(matrix), len(matrix)):
        current = {(x, w) for x, w in row_runs}
        for key in [k for k in open_ if k not in current]:
            top, h = open_.pop(key)
            done.append((key[0], top, key[1], h))
        for key in current:
            top, h = open_.get(key, (y, 0))
            open_[key] = (top, h + 1)
    done += [(x, top, w, h) for (x, w), (top, h) in open_.items()]
    return done


def _by_row(runs: list[tuple[int, int, int]], rows: int):
    per_row: list[list[tuple[int, int]]] = [[] for _ in range(rows)]
    for x, y, w in runs:
        per_row[y].append((x, w))
    return enumerate(per_row)


def draw_matrix(canvas: Any, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw matrix as ONE filled path on a reportlab canvas, lower-left corner at (x, y), size wide."""
    n = len(matrix)
    # Integer module coordinates written straight into the stream: reportlab's path.rect formats
    # every float in Python, which made the rectangles cost more than the whole page layout.
    ops = " ".join(f"{rx} {n - ry - rh} {rw} {rh} re" for rx, ry, rw, rh in rectangles(matrix))
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)  # the quiet zone must stay white on tinted pages
    canvas.translate(x, y)
    canvas.scale(size / n, size / n)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(ops + " f")
    canvas.restoreState()
