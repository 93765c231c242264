"""Film submissions as CSV: import parsing and export. Pure: bytes in, plain records out.

Decisions (the contract services rely on):

* Encodings: a byte-order mark wins (UTF-8, UTF-16, UTF-32); otherwise strict UTF-8; otherwise
  GB18030, accepted only when the decoded text looks like Chinese text (no private-use characters,
  and at least 80% of the non-ASCII characters in the common GB2312 set). Anything else, NUL bytes,
  control characters, and Excel workbooks are refused as "not a text CSV file". Files over `max_bytes`
  (10 MB by default) are refused before decoding.
* Delimiter: comma, tab (Excel "Unicode text") or semicolon, whichever the header line uses most.
* Columns are found by header name, ignoring case, spaces, underscores and punctuation, in English or
  Chinese (片名, 导演, 时长, 报名编号…). Unknown columns are ignored and named in a warning.
* Required columns and values: title and submission id. The id is required because without it a
  re-import cannot find the film it updates. Runtime is optional, but validated when given
  (0 < runtime <= 10 h). A bare number is seconds unless the header says minutes ("runtime (min)",
  "时长（分钟）").
* Row numbers are spreadsheet rows: the header is row 1 (or later, after leading blank rows).
  Blank rows are skipped. Every bad row is reported; `rows` holds only the rows without errors.
  Accepting all or nothing is the caller's job (`ImportResult.raise_for_errors`).
* Export writes UTF-8 with a BOM (so Excel shows Chinese), CRLF lines, runtime as H:MM:SS, directors
  joined with "; ". A cell starting with = + - @ (or their full-width forms), tab or carriage return
  gets a leading apostrophe so a spreadsheet will not run it as a formula. On import a leading
  apostrophe is removed only when the next character is one of those triggers: that is the only
  shape our export produces, and real titles such as "'Tis" keep their apostrophe. A value that
  truly begins with an apostrophe followed by a trigger does not survive a round trip.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import NamedTuple

from showcase import durations

MAX_BYTES = 10 * 1024 * 1024
MAX_RUNTIME_SECONDS = 10 * 3600
FIRST_FILM_YEAR = 1888
# Mirrors the film and person columns so an over-long value is a row error, not a database error.
MAX_LENGTHS = {
    "external_id": 100,
    "title": 500,
    "title_en": 500,
    "country": 100,
    "language": 100,
    "contact_email": 254,
    "director": 200,
}

NOT_TEXT = (
    "This is not a text CSV file, or its encoding is not UTF-8, UTF-16 or GB18030. "
    'In Excel choose Save As → "CSV UTF-8 (Comma delimited)".'
)
RUNTIME_HELP = f"write it as {durations.HELP}"


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: spreadsheet row (header = 1; None for the whole file), column header, reason."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = "File" if self.row is None else f"Row {self.row}"
        return f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


class ImportRejected(ValueError):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        first = f" First: {self.errors[0]}" if self.errors else ""
        super().__init__(f"The import was rejected: {count} problem{'s' if count != 1 else ''}.{first}")


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    """One film submission as read from (or written to) a spreadsheet row."""

    external_id: str
    title: str
    title_en: str = ""
    directors: tuple[str, ...] = ()
    runtime_seconds: int | None = None
    synopsis: str = ""
    synopsis_en: str = ""
    country: str = ""
    year: int | None = None
    language: str = ""
    contact_email: str = ""
    status: str = "submitted"
    row: int = 0


@dataclass(slots=True)
class ImportResult:
    """Rows that passed, every row error, and warnings worth showing (ignored columns, odd values)."""

    rows: list[SubmissionRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are rows and no errors."""
        return bool(self.rows) and not self.errors

    def raise_for_errors(self) -> None:
        """Raise ImportRejected when any error was found."""
        if self.errors:
            raise ImportRejected(self.errors)


def _reject(reason: str, *, row: int | None = None, column: str = "") -> ImportRejected:
    return ImportRejected([RowError(row, column, reason)])


# ---------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip) and .xls (OLE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def decode(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of an uploaded CSV; ImportRejected when it is too big, empty, binary or undecodable."""
    if len(data) > max_bytes:
        raise _reject(f"The file is {len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:g} MB.")
    if data.startswith(_WORKBOOKS):
        raise _reject(
            'This is an Excel workbook, not a CSV file. In Excel choose Save As → "CSV UTF-8 (Comma delimited)".'
        )
    text = _decode_any(data)
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise _reject(f"Line {line} holds a control character (U+{ord(bad.group()):04X}). {NOT_TEXT}")
    if not text.strip():
        raise _reject("The file is empty.")
    return text


def _decode_any(data: bytes) -> str:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise _reject(f"The file says it is {name} but is not valid {name}. {NOT_TEXT}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _reject(NOT_TEXT) from None
    if not _looks_like_chinese(text):
        raise _reject(NOT_TEXT)
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


# ---------------------------------------------------------------- columns

_ALIASES = {
    "title": ("title", "filmtitle", "originaltitle", "片名", "原名", "标题", "作品名称", "作品名", "影片名称"),
    "title_en": ("englishtitle", "titleen", "entitle", "英文片名", "英文标题", "英文名"),
    "directors": ("director", "directors", "directedby", "导演"),
    "runtime_seconds": ("runtime", "duration", "length", "时长", "片长"),
    "synopsis": ("synopsis", "简介", "剧情简介", "中文简介", "故事梗概"),
    "synopsis_en": ("englishsynopsis", "synopsisen", "英文简介"),
    "country": ("country", "countryregion", "region", "国家", "地区", "国家地区"),
    "year": ("year", "productionyear", "年份", "制作年份"),
    "language": ("language", "语言"),
    "contact_email": ("email", "contactemail", "邮箱", "电子邮箱", "联系邮箱"),
    "external_id": ("submissionid", "id", "externalid", "报名编号", "报名号", "编号"),
    "status": ("status", "状态"),
}
_FIELD_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
# A runtime header may name its unit: "runtime (min)", "时长（分钟）", "duration_seconds".
_RUNTIME_UNITS = {
    "minutes": 60,
    "minute": 60,
    "mins": 60,
    "min": 60,
    "分钟": 60,
    "seconds": 1,
    "second": 1,
    "secs": 1,
    "sec": 1,
    "秒": 1,
    "hmmss": 1,
    "mmss": 1,
}
_LABELS = {"title": "title (片名)", "external_id": "submission id (报名编号)"}


class _Column(NamedTuple):
    index: int
    label: str
    parse: Callable[[str], object]


def _normalise_header(label: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", label).casefold() if ch.isalnum())


def _identify(label: str) -> tuple[str | None, int]:
    """(field, seconds per bare runtime number) for one header cell; field None when unknown."""
    name = _normalise_header(label)
    if name in _FIELD_BY_ALIAS:
        return _FIELD_BY_ALIAS[name], 60  # a bare number is minutes (showcase.durations)
    for unit, seconds in _RUNTIME_UNITS.items():
        if name.endswith(unit) and _FIELD_BY_ALIAS.get(name[: -len(unit)]) == "runtime_seconds":
            return "runtime_seconds", seconds
    return None, 60


def _map_columns(header: list[str], *, row: int, parsers: dict[str, Callable]) -> tuple[dict, list[str]]:
    """Columns by field, and the labels of ignored columns; ImportRejected on a header we cannot use."""
    columns: dict[str, _Column] = {}
    ignored, errors = [], []
    for index, raw in enumerate(header):
        label = raw.strip()
        name, unit = _identify(label)
        if name is None:
            if label:
                ignored.append(label)
        elif name in columns:
            errors.append(
                RowError(
                    row,
                    label,
                    f'both "{columns[name].label}" and "{label}" are {name.replace("_", " ")} columns; keep one.',
                )
            )
        else:
            parse = partial(parsers[name], unit=unit) if name == "runtime_seconds" else parsers[name]
            columns[name] = _Column(index, label, parse)
    for name in ("title", "external_id"):
        if name not in columns:
            errors.append(RowError(row, _LABELS[name], _missing_column_reason(name)))
    if errors:
        raise ImportRejected(errors)
    return columns, ignored


def _missing_column_reason(name: str) -> str:
    if name == "title":
        return (
            "no title column. The first row must hold column names such as title/片名, "
            "submission id/报名编号 and runtime/时长."
        )
    return (
        "no submission id column (submission id, id or 报名编号). Every row needs one so that a "
        "re-import updates the same film instead of adding a copy."
    )


# ---------------------------------------------------------------- values

_DIRECTOR_SEPARATORS = re.compile(r"\s*(?:[,;、/，；／]|\s+and\s+)\s*", re.IGNORECASE)
_EMAIL_CHARS = r"[^@\s,;:<>()\[\]\".]+"
_EMAIL = re.compile(
    rf"{_EMAIL_CHARS}(?:\.{_EMAIL_CHARS})*@(?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+(?:[^\W\d_]{{2,}}|xn--[\w-]+)"
)
_YEAR = re.compile(r"\d{4}", re.ASCII)


def parse_runtime(value: str, *, unit: int = 60) -> int | None:
    """Seconds from a runtime cell (showcase.durations: a bare number is minutes); None when blank.

    `unit` is what a bare number stands for: 60, or 1 under a header that names seconds
    ("duration_seconds", "时长（秒）"). ValueError with a clear message when it is not a running time.
    """
    if not (value or "").strip():
        return None
    seconds = durations.read(value, bare=unit)
    if seconds is None:
        raise ValueError(f'"{value}" is not a running time; {RUNTIME_HELP}.')
    if seconds <= 0:
        raise ValueError("the running time must be more than zero.")
    if seconds > MAX_RUNTIME_SECONDS:
        raise ValueError(f'"{value}" is longer than {MAX_RUNTIME_SECONDS // 3600} hours; {RUNTIME_HELP}.')
    return seconds


def format_runtime(seconds: int) -> str:
    """'H:MM:SS' — unambiguous to people, and read back by parse_runtime."""
    return durations.write(seconds, hours=True)


def _text(value: str, *, limit: int | None = None, required: bool = False) -> str:
    if required and not value:
        raise ValueError("is empty, and it is required.")
    if limit is not None and len(value) > limit:
        raise ValueError(f"is {len(value)} characters long; the limit is {limit}.")
    return value


def _directors(value: str) -> tuple[str, ...]:
    names = dict.fromkeys(name for name in _DIRECTOR_SEPARATORS.split(value.strip()) if name)
    limit = MAX_LENGTHS["director"]
    for name in names:
        if len(name) > limit:
            raise ValueError(f'the name "{name[:40]}…" is longer than {limit} characters.')
    return tuple(names)


def _year(value: str, *, latest: int) -> int | None:
    text = unicodedata.normalize("NFKC", value).strip().removesuffix("年").strip()
    if not text:
        return None
    if not _YEAR.fullmatch(text):
        raise ValueError(f'"{value}" is not a year; write it like 2024.')
    year = int(text)
    if not FIRST_FILM_YEAR <= year <= latest:
        raise ValueError(f"{year} is not a plausible year ({FIRST_FILM_YEAR}–{latest}).")
    return year


def _email(value: str) -> str:
    if not value:
        return ""
    if any(mark in value for mark in ",;") or value.count("@") > 1:
        raise ValueError(f'"{value}" holds more than one address; keep one.')
    local = value.partition("@")[0]
    if len(value) > MAX_LENGTHS["contact_email"] or len(local) > 64 or not _EMAIL.fullmatch(value):
        raise ValueError(f'"{value}" is not an email address like name@example.com.')
    return value


def _status(value: str, *, statuses: Collection[str]) -> str:
    status = value.casefold() or "submitted"
    if status not in statuses:
        raise ValueError(f'"{value}" is not a status; use one of: {", ".join(statuses)}.')
    return status


def _parsers(*, statuses: Collection[str], latest_year: int) -> dict[str, Callable]:
    text = {
        name: partial(_text, limit=MAX_LENGTHS.get(name))
        for name in ("title_en", "synopsis", "synopsis_en", "country", "language")
    }
    return {
        **text,
        "external_id": partial(_text, limit=MAX_LENGTHS["external_id"], required=True),
        "title": partial(_text, limit=MAX_LENGTHS["title"], required=True),
        "directors": _directors,
        "runtime_seconds": parse_runtime,
        "year": partial(_year, latest=latest_year),
        "contact_email": _email,
        "status": partial(_status, statuses=tuple(statuses)),
    }


# ---------------------------------------------------------------- import

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def parse_submissions(
    data: bytes, *, statuses: Collection[str], max_bytes: int = MAX_BYTES, this_year: int | None = None
) -> ImportResult:
    """Every good row, every bad row's errors, and warnings from an uploaded submissions CSV."""
    result = ImportResult()
    parsers = _parsers(statuses=statuses, latest_year=(this_year or date.today().year) + 1)
    try:
        records = _records(decode(data, max_bytes=max_bytes))
        header_at = next((index for index, cells in enumerate(records) if _filled(cells)), None)
        if header_at is None:
            raise _reject("The file is empty.")
        columns, ignored = _map_columns(records[header_at], row=header_at + 1, parsers=parsers)
    except ImportRejected as exc:
        result.errors.extend(exc.errors)
        return result
    if ignored:
        result.warnings.append(f"These columns are not imported and were ignored: {', '.join(ignored)}.")
    body = [(index + 1, cells) for index, cells in enumerate(records) if index > header_at and _filled(cells)]
    if not body:
        result.errors.append(RowError(None, "", "The file has a header but no rows of films."))
        return result
    width = len(records[header_at])
    for row, cells in body:
        values, errors = _parse_row(cells, row=row, columns=columns, width=width)
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append(SubmissionRow(row=row, **values))
    _flag_duplicate_ids(result, body, columns["external_id"])
    _warn_long_runtimes(result)
    result.errors.sort(key=lambda error: error.row or 0)
    return result


def _records(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise _reject(
            f"The CSV cannot be read near line {reader.line_num} ({exc}); a quote mark may be missing or misplaced.",
            row=reader.line_num,
        ) from None


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the header line uses most (comma on a tie)."""
    head = text.lstrip("\r\n")
    end = head.find("\n")
    line = head if end < 0 else head[:end]
    return max((",", "\t", ";"), key=line.count)


def _filled(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _unneutralise(cell: str) -> str:
    """A cell's value without the apostrophe our export puts before formula-like text."""
    cell = cell.strip()
    if cell.startswith("'") and _formula_like(cell[1:]):
        cell = cell[1:].strip()
    return cell


def _formula_like(cell: str) -> bool:
    return cell.startswith(_TRIGGERS) or cell.lstrip().startswith(_TRIGGERS)


def _parse_row(
    cells: list[str], *, row: int, columns: dict[str, _Column], width: int
) -> tuple[dict[str, object], list[RowError]]:
    errors = []
    if len(cells) > width and _filled(cells[width:]):
        errors.append(
            RowError(
                row,
                "",
                f"the row has {len(cells)} cells but the header has {width}; a value may hold an unquoted comma.",
            )
        )
    values: dict[str, object] = {}
    for name, column in columns.items():
        raw = _unneutralise(cells[column.index]) if column.index < len(cells) else ""
        try:
            values[name] = column.parse(raw)
        except ValueError as exc:
            errors.append(RowError(row, column.label, str(exc)))
    return values, errors


def _flag_duplicate_ids(result: ImportResult, body: list[tuple[int, list[str]]], column: _Column) -> None:
    rows_by_id: dict[str, list[int]] = {}
    for row, cells in body:
        key = _unneutralise(cells[column.index]) if column.index < len(cells) else ""
        if key:
            rows_by_id.setdefault(key, []).append(row)
    duplicated = set()
    for key, rows in rows_by_id.items():
        if len(rows) < 2:
            continue
        duplicated.update(rows)
        for row in rows:
            others = ", ".join(str(other) for other in rows if other != row)
            result.errors.append(
                RowError(
                    row, column.label, f'submission id "{key}" is also used in row {others}; each id must be unique.'
                )
            )
    if duplicated:
        result.rows[:] = [parsed for parsed in result.rows if parsed.row not in duplicated]


LONG_RUNTIME_SECONDS = 3 * 3600  # longer than any short and most features: likely seconds read as minutes


def _warn_long_runtimes(result: ImportResult) -> None:
    long = [str(p.row) for p in result.rows if p.runtime_seconds and p.runtime_seconds > LONG_RUNTIME_SECONDS]
    if long:
        listed = ", ".join(long[:10]) + (f" and {len(long) - 10} more" if len(long) > 10 else "")
        result.warnings.append(
            f"Running time over three hours in row {listed}: a bare number is read as "
            'minutes; name the column "duration_seconds" to read seconds.'
        )


# ---------------------------------------------------------------- export

_EXPORT_HEADER = (
    "submission_id",
    "title",
    "title_en",
    "directors",
    "runtime",
    "synopsis",
    "synopsis_en",
    "country",
    "year",
    "language",
    "contact_email",
    "status",
)


def neutralise(cell: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would otherwise read it as a formula."""
    return "'" + cell if _formula_like(cell) else cell


def export_films(rows: Iterable[SubmissionRow]) -> bytes:
    """A CSV (UTF-8 with BOM, CRLF) that Excel opens safely and parse_submissions reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_EXPORT_HEADER)
    writer.writerows([neutralise(cell) for cell in _export_cells(row)] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _export_cells(row: SubmissionRow) -> tuple[str, ...]:
    runtime = "" if row.runtime_seconds is None else format_runtime(row.runtime_seconds)
    year = "" if row.year is None else str(row.year)
    return (
        row.external_id,
        row.title,
        row.title_en,
        "; ".join(row.directors),
        runtime,
        row.synopsis,
        row.synopsis_en,
        row.country,
        year,
        row.language,
        row.contact_email,
        row.status,
    )
