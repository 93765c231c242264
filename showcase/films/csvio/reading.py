"""A submissions CSV or .xlsx read into rows: every readable row, every unreadable cell, unused columns, warnings."""

from __future__ import annotations

from collections.abc import Sequence

from showcase.films.csvio.cells import status_key, unneutralise
from showcase.films.csvio.columns import Column, map_columns
from showcase.films.csvio.decoding import MAX_BYTES, WORKBOOK, check_size, decode, records
from showcase.films.csvio.rows import ImportRejected, ImportResult, RowError, SubmissionRow, reject
from showcase.messages import N_

LONG_RUNTIME_SECONDS = 3 * 3600  # longer than any short and most features: likely seconds read as minutes


Lines = Sequence[Sequence[str]]
STATUS_FIELDS = ("status", "submission_status")
HEADER_SEARCH = 10  # rows looked at for a header below a sheet's title


def parse_submissions(data: bytes, *, max_bytes: int = MAX_BYTES) -> ImportResult:
    """Every good row, every bad row's errors, unused columns and warnings from an uploaded CSV or .xlsx."""
    result = ImportResult()
    try:
        lines = _lines(data, max_bytes=max_bytes, warnings=result.warnings)
        header_at = _header_row(lines, result.warnings)
        if header_at is None:
            raise reject("The file is empty.")
        columns, ignored = map_columns(lines[header_at], row=header_at + 1)
    except ImportRejected as exc:
        result.errors.extend(exc.errors)
        return result
    result.columns = {name: column.label for name, column in columns.items()}
    body = [(index + 1, cells) for index, cells in enumerate(lines) if index > header_at and _filled(cells)]
    result.unused = ignored + _unnamed_columns(lines[header_at], body)
    if not body:
        result.errors.append(RowError(None, "", "The file has a header but no rows of films."))
        return result
    width = len(lines[header_at])
    for row, cells in body:
        values, errors = _read_row(cells, row=row, columns=columns, width=width)
        _count_status_words(result, cells, columns, values)
        parsed = SubmissionRow(row=row, **{"external_id": "", "title": "", **_combined(values)})
        if errors:
            result.errors.extend(errors)
            result.partial.append(parsed)
        else:
            result.rows.append(parsed)
    _flag_duplicate_ids(result, body, columns["external_id"])
    _warn_long_runtimes(result)
    result.errors.sort(key=lambda error: error.row or 0)
    return result


def table_lines(data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[Lines, list[str]]:
    """Any sheet's rows of text cells, CSV or .xlsx, read by the import's rules (encodings, limits), and
    warnings; ImportRejected when the file cannot be read. For other tables than submissions (score sheets)."""
    warnings: list[str] = []
    return _lines(data, max_bytes=max_bytes, warnings=warnings), warnings


def _lines(data: bytes, *, max_bytes: int, warnings: list[str]) -> Lines:
    """The file's rows of text cells: an .xlsx workbook's active sheet, or a CSV's lines."""
    if data.startswith(WORKBOOK):
        check_size(data, max_bytes=max_bytes)
        from showcase.films.csvio.xlsx import read_workbook  # openpyxl, loaded only when a workbook comes

        lines, notes = read_workbook(data)
        warnings.extend(notes)
        return lines
    return records(decode(data, max_bytes=max_bytes))


def _header_row(lines: Lines, warnings: list[str]) -> int | None:
    """The index of the header: the first filled row, or a later one among the first few that names a title
    and an id column, below a sheet's own title ("2026 AI 短片大赛报名表"), which a warning then names."""
    filled = [index for index, cells in enumerate(lines[: HEADER_SEARCH * 5]) if _filled(cells)][:HEADER_SEARCH]
    for index in filled:
        try:
            map_columns(list(lines[index]), row=index + 1)
        except ImportRejected:
            continue
        if index != filled[0]:
            above = "; ".join(" ".join(c.strip() for c in lines[i] if c.strip())[:80] for i in filled if i < index)
            warnings.append(
                N_("Rows above the header (row %(row)s) were not read as films: %(text)s.", row=index + 1, text=above)
            )
        return index
    return filled[0] if filled else None


def _filled(cells: Sequence[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _unnamed_columns(header: Sequence[str], body: list[tuple[int, Sequence[str]]]) -> list[str]:
    """Columns with no header that hold values in some row: named by their letter, as a spreadsheet shows them."""
    width = max((len(cells) for _row, cells in body), default=0)
    return [
        f"{_letter(index)} (no header)"
        for index in range(width)
        if not (header[index].strip() if index < len(header) else "")
        and any(index < len(cells) and cells[index].strip() for _row, cells in body)
    ]


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _combined(values: dict[str, object]) -> dict[str, object]:
    """One film's values from columns that share a field: FilmFreeway's English and original-language
    titles and synopses (the original is the film's title, the English one its English title), and its
    submission and judging statuses (withdrawn or disqualified on either side wins, else the judging one)."""
    for name in ("title", "synopsis"):
        original = values.pop(f"{name}_original", "")
        if original:
            english = values.get(name, "")
            values[name] = original
            if english and english != original and not values.get(f"{name}_en"):
                values[f"{name}_en"] = english
    submitted = values.pop("submission_status", None)
    if submitted == "withdrawn" or (submitted and "status" not in values):
        values["status"] = submitted
    return values


def _count_status_words(
    result: ImportResult, cells: Sequence[str], columns: dict[str, Column], values: dict[str, object]
) -> None:
    for name in STATUS_FIELDS:
        column = columns.get(name)
        raw = cells[column.index].strip() if column and column.index < len(cells) else ""
        ours = values.get(name)
        if raw and isinstance(ours, str) and status_key(raw) != ours:
            key = (raw, ours)
            result.status_words[key] = result.status_words.get(key, 0) + 1


def _read_row(
    cells: Sequence[str], *, row: int, columns: dict[str, Column], width: int
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
        raw = unneutralise(cells[column.index]) if column.index < len(cells) else ""
        try:
            values[name] = column.read(raw)
        except ValueError as exc:
            errors.append(RowError(row, column.label, str(exc)))
    return values, errors


def _flag_duplicate_ids(result: ImportResult, body: list[tuple[int, Sequence[str]]], column: Column) -> None:
    rows_by_id: dict[str, list[int]] = {}
    for row, cells in body:
        key = unneutralise(cells[column.index]) if column.index < len(cells) else ""
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
        result.partial.extend(parsed for parsed in result.rows if parsed.row in duplicated)
        result.rows[:] = [parsed for parsed in result.rows if parsed.row not in duplicated]


def _warn_long_runtimes(result: ImportResult) -> None:
    long = [str(p.row) for p in result.rows if p.runtime_seconds and p.runtime_seconds > LONG_RUNTIME_SECONDS]
    if long:
        listed = ", ".join(long[:10]) + (f" and {len(long) - 10} more" if len(long) > 10 else "")
        result.warnings.append(
            f"Running time over three hours in row {listed}: a bare number is read as "
            'minutes; name the column "duration_seconds" to read seconds.'
        )
