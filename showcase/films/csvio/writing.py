"""Submission rows written as a CSV that Excel opens safely and the import reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from showcase.films.csvio.cells import format_runtime, neutralise
from showcase.films.csvio.rows import SubmissionRow

HEADER = (
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
    "subtitles",
    "writers",
    "producers",
    "cast",
)


def export_films(rows: Iterable[SubmissionRow]) -> bytes:
    """A CSV (UTF-8 with BOM, CRLF) that Excel opens safely and parse_submissions reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([neutralise(cell) for cell in cells(row)] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def cells(row: SubmissionRow) -> tuple[str, ...]:
    """A row's cells as text, in HEADER's order (the CSV and the .xlsx export alike)."""
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
        row.subtitles,
        "; ".join(row.writers),
        "; ".join(row.producers),
        "; ".join(row.cast),
    )
