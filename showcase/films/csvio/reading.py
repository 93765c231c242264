"""A submissions CSV read into rows: every readable row, every unreadable cell, and warnings."""

from __future__ import annotations

from showcase.films.csvio.cells import unneutralise
from showcase.films.csvio.columns import Column, map_columns
from showcase.films.csvio.decoding import MAX_BYTES, decode, records
from showcase.films.csvio.rows import ImportRejected, ImportResult, RowError, SubmissionRow, reject

LONG_RUNTIME_SECONDS = 3 * 3600  # longer than any short and most features: likely seconds read as minutes


def parse_submissions(data: bytes, *, max_bytes: int = MAX_BYTES) -> ImportResult:
    """Every good row, every bad row's errors, and warnings from an uploaded submissions CSV."""
    result = ImportResult()
    try:
        lines = records(decode(data, max_bytes=max_bytes))
        header_at = next((index for index, cells in enumerate(lines) if _filled(cells)), None)
        if header_at is None:
            raise reject("The file is empty.")
        columns, ignored = map_columns(lines[header_at], row=header_at + 1)
    except ImportRejected as exc:
        result.errors.extend(exc.errors)
        return result
    result.columns = {name: column.label for name, column in columns.items()}
    if ignored:
        result.warnings.append(f"These columns are not imported and were ignored: {', '.join(ignored)}.")
    body = [(index + 1, cells) for index, cells in enumerate(lines) if index > header_at and _filled(cells)]
    if not body:
        result.errors.append(RowError(None, "", "The file has a header but no rows of films."))
        return result
    width = len(lines[header_at])
    for row, cells in body:
        values, errors = _read_row(cells, row=row, columns=columns, width=width)
        parsed = SubmissionRow(row=row, **{"external_id": "", "title": "", **values})
        if errors:
            result.errors.extend(errors)
            result.partial.append(parsed)
        else:
            result.rows.append(parsed)
    _flag_duplicate_ids(result, body, columns["external_id"])
    _warn_long_runtimes(result)
    result.errors.sort(key=lambda error: error.row or 0)
    return result


def _filled(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _read_row(
    cells: list[str], *, row: int, columns: dict[str, Column], width: int
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


def _flag_duplicate_ids(result: ImportResult, body: list[tuple[int, list[str]]], column: Column) -> None:
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
