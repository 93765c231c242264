"""Score sheets and result tables as files: read a CSV or .xlsx of scores, write assignments and results.

Reading uses the films import's rules (encodings, the .xlsx limits: showcase.films.csvio); columns are
found by name — `juror_email`, `submission_id`, one per criterion name, and an optional `comment` — in
any order, ignoring case and spaces. CSV output neutralises formula-like cells; .xlsx output is text cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from showcase.errors import ValidationFailed
from showcase.films.csvio import ImportRejected, neutralise, table_lines
from showcase.jury.models import JuryRound
from showcase.jury.services import ResultRow, ScoreRow
from showcase.messages import N_

RESULT_HEADER = ("rank", "submission_id", "title", "score", "raw_mean", "n_scores", "flag", "title_en")
ASSIGNMENT_HEADER = ("juror_email", "submission_id")


def _key(name: str) -> str:
    """A header as compared: "Juror Email", "juror_email" and "JUROR-EMAIL" are one."""
    return re.sub(r"[\s_\-]+", "", name).lower()


def read_scores(jury_round: JuryRound, data: bytes) -> list[ScoreRow]:
    """The score rows of a sheet; ValidationFailed naming the missing columns or an unreadable file."""
    try:
        lines, _warnings = table_lines(data)
    except ImportRejected as exc:  # one reason for the whole file (an unreadable workbook, not text…)
        raise ValidationFailed({"file": exc.errors[0].reason if exc.errors else str(exc)}) from exc
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if any(cell.strip() for cell in line)]
    if not numbered:
        raise ValidationFailed({"file": N_("The file is empty.")})
    header_line, header = numbered[0]
    where = {_key(name): i for i, name in enumerate(header) if name.strip()}
    needed = ["juror_email", "submission_id", *(c.name for c in jury_round.criteria)]
    missing = [name for name in needed if _key(name) not in where]
    if missing:
        raise ValidationFailed(
            {
                "file": N_(
                    "The sheet has no column %(names)s (its header is line %(line)s).",
                    names=", ".join(missing),
                    line=header_line,
                )
            }
        )

    def cell(line: Sequence[str], name: str) -> str:
        index = where.get(_key(name))
        return line[index].strip() if index is not None and index < len(line) else ""

    return [
        ScoreRow(
            line=n,
            juror_email=cell(line, "juror_email"),
            submission_id=cell(line, "submission_id"),
            values={c.name: cell(line, c.name) for c in jury_round.criteria},
            comment=cell(line, "comment"),
        )
        for n, line in numbered[1:]
    ]


def result_cells(row: ResultRow) -> tuple[str, ...]:
    score = "" if row.score is None else f"{row.score:.4f}"
    rank = "" if row.rank is None else str(row.rank)
    return (rank, row.submission_id, row.title, score, f"{row.raw_mean:.3f}", str(row.n_scores), row.flag, row.title_en)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with BOM and CRLF, so Excel opens it as it is; formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> bytes:
    from showcase.films.csvio.xlsx import table_xlsx  # openpyxl, loaded only when a workbook is asked for

    return table_xlsx(header, rows, title=title)
