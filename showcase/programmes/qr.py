"""The project's one QR module: film short URLs, module matrices, PNG and SVG images, one-path drawing.

qrcode is imported here and nowhere else. Nothing here imports reportlab: draw_matrix only calls
methods on the canvas it is given, so the guest pages can use this module without reportlab.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import qrcode
from qrcode import util
from qrcode.base import rs_blocks
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
    """The module matrix of url, quiet zone included (True = dark).

    With a pinned mask the symbol is encoded here (byte mode) on a layout computed once per
    version, level and mask: qrcode's own encoder spends most of its ~0.8 ms a code in pure-Python
    polynomial arithmetic and bit-by-bit buffers, which a thousand-film programme felt.
    """
    if mask is None:
        return _make(url, level=level, mask=mask).get_matrix()
    if level not in _LEVELS:
        raise ValueError(f"error correction must be M, Q or H, not {level!r}")
    data = url.encode("utf-8")
    layout = _layout(_version(len(data), level), level, mask)
    matrix = [list(row) for row in layout.base]
    bits = int.from_bytes(bytes(_codewords(data, layout)), "big")
    total = 8 * layout.codewords
    for i, (r, c) in enumerate(layout.path[:total]):
        if (bits >> (total - 1 - i)) & 1:
            matrix[r][c] = not matrix[r][c]
    return matrix


@dataclass(frozen=True)
class _Layout:
    """What every symbol of one version, level and mask shares."""

    version: int
    base: tuple[tuple[bool, ...], ...]  # quiet zone, function patterns, format bits; data modules hold the mask
    path: tuple[tuple[int, int], ...]  # data module positions in placement order
    blocks: tuple[tuple[int, int], ...]  # (data codewords, error correction codewords) per block

    @property
    def codewords(self) -> int:
        return sum(d + e for d, e in self.blocks)


class _Blank(qrcode.QRCode):
    def map_data(self, data, mask_pattern) -> None:  # noqa: ANN001
        pass  # function patterns and format bits only: data modules stay None


def _version(length: int, level: ErrorLevel) -> int:
    limits = util.BIT_LIMIT_TABLE[_LEVELS[level]]
    for version in range(1, 41):
        if 4 + (8 if version < 10 else 16) + 8 * length <= limits[version]:
            return version
    raise ValueError("the URL is too long for a QR code")


@lru_cache(maxsize=32)
def _layout(version: int, level: ErrorLevel, mask: int) -> _Layout:
    code = _Blank(version=version, error_correction=_LEVELS[level], border=0, mask_pattern=mask)
    code.makeImpl(False, mask)
    modules, n, masked = code.modules, code.modules_count, util.mask_func(mask)
    path, upward = [], True
    for right in range(n - 1, 0, -2):  # two-module columns from the right, zigzagging, skipping the timing column
        col = right - 1 if right <= 6 else right
        for r in range(n - 1, -1, -1) if upward else range(n):
            path += [(r, c) for c in (col, col - 1) if modules[r][c] is None]
        upward = not upward
    q, size = QUIET_ZONE, n + 2 * QUIET_ZONE
    base = [[False] * size for _ in range(size)]
    for r in range(n):
        for c in range(n):
            base[r + q][c + q] = bool(masked(r, c)) if modules[r][c] is None else modules[r][c]
    blocks = tuple((b.data_count, b.total_count - b.data_count) for b in rs_blocks(version, _LEVELS[level]))
    return _Layout(version, tuple(map(tuple, base)), tuple((r + q, c + q) for r, c in path), blocks)


def _codewords(data: bytes, layout: _Layout) -> list[int]:
    """Byte-mode data codewords with their Reed-Solomon codewords, interleaved block by block."""
    capacity = sum(d for d, _ in layout.blocks)
    count_bits = 8 if layout.version < 10 else 16
    value, nbits = (0b0100 << count_bits) | len(data), 4 + count_bits
    value, nbits = (value << 8 * len(data)) | int.from_bytes(data, "big"), nbits + 8 * len(data)
    end = min(4, 8 * capacity - nbits)  # terminator, then zeros to a whole byte
    end += (-(nbits + end)) % 8
    stream = list((value << end).to_bytes((nbits + end) // 8, "big"))
    stream += [(0xEC, 0x11)[i % 2] for i in range(capacity - len(stream))]
    parts, at = [], 0
    for d, e in layout.blocks:
        parts.append((stream[at : at + d], _remainder(stream[at : at + d], e)))
        at += d
    out = [block[i] for i in range(max(d for d, _ in layout.blocks)) for block, _ in parts if i < len(block)]
    return out + [ec[i] for i in range(max(e for _, e in layout.blocks)) for _, ec in parts if i < len(ec)]


_EXP = [0] * 510
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _EXP[_i + 255] = _x
    _LOG[_x] = _i
    _x = (_x << 1) ^ (0x11D if _x & 0x80 else 0)


@lru_cache(maxsize=32)
def _generator(degree: int) -> tuple[int, ...]:
    """Logs of the generator polynomial's coefficients after the leading 1."""
    poly = [1]
    for i in range(degree):  # multiply by (x - a^i)
        poly = [a ^ (_EXP[_LOG[b] + i] if b else 0) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return tuple(_LOG[c] for c in poly[1:])


def _remainder(block: list[int], degree: int) -> list[int]:
    gen, rem = _generator(degree), [0] * degree
    for byte in block:
        factor = byte ^ rem[0]
        rem = rem[1:] + [0]
        if factor:
            lf = _LOG[factor]
            rem = [r ^ _EXP[lf + g] for r, g in zip(rem, gen, strict=True)]
    return rem


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


_DARK = re.compile(b"\x01+")


def _row_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(x, width) of each run of dark modules in a row, found by a regular expression over its bytes."""
    return [(m.start(), m.end() - m.start()) for m in _DARK.finditer(bytes(row))]


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (x, y, width), y counted from the top row."""
    return [(x, y, w) for y, row in enumerate(matrix) for x, w in _row_runs(row)]


def rectangles(matrix: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """Dark modules as (x, y, width, height) rectangles: equal runs in consecutive rows merged."""
    done: list[tuple[int, int, int, int]] = []
    open_: dict[tuple[int, int], tuple[int, int]] = {}  # (x, width) -> (top row, height)
    for y, row in enumerate(matrix):
        current = _row_runs(row)
        kept = set(current)
        for key in [k for k in open_ if k not in kept]:
            top, h = open_.pop(key)
            done.append((key[0], top, key[1], h))
        for key in current:
            top, h = open_.get(key, (y, 0))
            open_[key] = (top, h + 1)
    done += [(x, top, w, h) for (x, w), (top, h) in open_.items()]
    return done


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
