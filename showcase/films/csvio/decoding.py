"""From uploaded bytes to the cells of a CSV: size, encoding, binary files, delimiter, quoting."""

from __future__ import annotations

import codecs
import csv
import io
import re

from showcase.films.csvio.rows import reject
from showcase.messages import N_

MAX_BYTES = 10 * 1024 * 1024
NOT_TEXT = (
    "This is not a text CSV file, or its encoding is not UTF-8, UTF-16 or GB18030. "
    'In Excel choose Save As → "CSV UTF-8 (Comma delimited)".'
)

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
WORKBOOK = b"PK\x03\x04"  # an .xlsx is a zip archive
_OLD_WORKBOOK = b"\xd0\xcf\x11\xe0"  # .xls (OLE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def check_size(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """ImportRejected when an upload is over the limit."""
    if len(data) > max_bytes:
        raise reject(f"The file is {len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:g} MB.")


def decode(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of an uploaded CSV; ImportRejected when it is too big, empty, binary or undecodable.

    A workbook is refused here: parse_submissions reads an .xlsx before it would come to this.
    """
    check_size(data, max_bytes=max_bytes)
    if data.startswith(WORKBOOK):
        raise reject(N_('This is an Excel workbook, not a CSV file: import it as .xlsx, or save it as "CSV UTF-8".'))
    if data.startswith(_OLD_WORKBOOK):
        raise reject(
            N_(
                "This is an old Excel workbook (.xls), not a CSV file. In Excel choose Save As → "
                '"Excel Workbook (.xlsx)" or "CSV UTF-8 (Comma delimited)".'
            )
        )
    text = _decode_any(data)
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise reject(f"Line {line} holds a control character (U+{ord(bad.group()):04X}). {NOT_TEXT}")
    if not text.strip():
        raise reject("The file is empty.")
    return text


def _decode_any(data: bytes) -> str:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise reject(f"The file says it is {name} but is not valid {name}. {NOT_TEXT}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise reject(NOT_TEXT) from None
    if not _looks_like_chinese(text):
        raise reject(NOT_TEXT)
    return text


def _looks_like_chinese(text: str) -> bool:
    """GB18030 decodes many byte strings (Latin-1, random) into rare characters; real Chinese text
    is overwhelmingly in the GB2312 set, and never in the private-use area."""
    if _PRIVATE_USE.search(text):
        return False
    ascii_count = len(text.encode("ascii", "ignore"))
    non_ascii = len(text) - ascii_count
    common = len(text.encode("gb2312", "ignore").decode("gb2312")) - ascii_count
    return non_ascii > 0 and common >= 0.8 * non_ascii


def records(text: str) -> list[list[str]]:
    """Every line's cells; ImportRejected naming the line where the quoting breaks."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise reject(
            f"The CSV cannot be read near line {reader.line_num} ({exc}); a quote mark may be missing or misplaced.",
            row=reader.line_num,
        ) from None


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the header line uses most (comma on a tie)."""
    head = text.lstrip("\r\n")
    end = head.find("\n")
    line = head if end < 0 else head[:end]
    return max((",", "\t", ";"), key=line.count)
