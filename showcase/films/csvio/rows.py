"""What reading a submissions CSV gives: rows, row errors, and the refusal that carries them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


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


def reject(reason: str, *, row: int | None = None, column: str = "") -> ImportRejected:
    """A refusal of the whole file for one reason."""
    return ImportRejected([RowError(row, column, reason)])


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
    subtitles: str = ""
    writers: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()


@dataclass(slots=True)
class ImportResult:
    """What a file holds: rows read cleanly, what could be read of the rest, every error, warnings.

    `columns` gives each field's header as the file wrote it, so later checks can name the column;
    `unused` names every other column, in the file's order, so that nothing is dropped unseen;
    `status_words` counts each status word read as one of ours ("入围" → shortlisted), by (word, status).
    """

    rows: list[SubmissionRow] = field(default_factory=list)
    partial: list[SubmissionRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    status_words: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there are rows and no errors."""
        return bool(self.rows) and not self.errors

    def raise_for_errors(self) -> None:
        """Raise ImportRejected when any error was found."""
        if self.errors:
            raise ImportRejected(self.errors)
