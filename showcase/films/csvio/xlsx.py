"""Excel workbooks: submission rows written as one (the CSV export's columns, every cell text, none ever a
formula), and an uploaded .xlsx read into the same text cells a CSV gives.

Reading takes the active sheet (the one open when the file was saved) and names any other sheet holding
data, so none is skipped unseen. Cells come as Python values and are written as a person would type
them: whole numbers without ".0", dates as 2024-05-01, a time or a duration as H:MM:SS (Excel stores a
runtime typed as 0:12:34 as a time of day). A formula gives the value Excel saved with it. The archive's
unpacked size and the number of cells are limited before and while reading, so a small file cannot
unpack into gigabytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from showcase.films.csvio.rows import ImportRejected, SubmissionRow, reject
from showcase.films.csvio.writing import HEADER, cells
from showcase.messages import N_

MAX_UNPACKED = 200 * 1024 * 1024
MAX_CELLS = 2_000_000
UNREADABLE = N_(
    "This Excel workbook cannot be read: it may be damaged, password-protected or not an .xlsx file. "
    'Open it in Excel and save it again as .xlsx, or as "CSV UTF-8 (Comma delimited)".'
)
_BLANK: tuple[str, ...] = ()

TEXT = "@"  # Excel's text format: a cell typed into later stays text too
WIDEST = 60  # characters: a synopsis column stays readable instead of running off the screen


def export_films_xlsx(rows: Iterable[SubmissionRow], *, title: str = "Films") -> bytes:
    """An .xlsx workbook of the rows; every value is stored as a string cell, so "=1+1" and "-1" read as written."""
    return table_xlsx(HEADER, (cells(row) for row in rows), title=title)


def table_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> bytes:
    """A one-sheet workbook: the header in bold, then the rows, every cell a string (never a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    widths = [len(name) for name in header]
    _write_row(sheet, 1, header, bold=True)
    for number, values in enumerate(rows, start=2):
        _write_row(sheet, number, values)
        widths = [max(width, len(value)) for width, value in zip(widths, values, strict=True)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(WIDEST, width + 2)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_row(sheet, number: int, values: Iterable[str], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=number, column=column)
        cell.value = value
        cell.data_type = "s"  # openpyxl makes a formula of any text starting with "="; this is text, always
        cell.number_format = TEXT
        if bold:
            cell.font = Font(bold=True)


def read_workbook(data: bytes) -> tuple[list[list[str] | tuple[str, ...]], list[str]]:
    """The active sheet's rows as text cells (blank rows empty, so row numbers stay the sheet's), and
    warnings; ImportRejected when the workbook cannot be read or is too large once unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise reject(UNREADABLE) from None
    if unpacked > MAX_UNPACKED:
        raise reject(
            N_(
                "The workbook unpacks to %(size)s MB; the limit is %(limit)s MB.",
                size=f"{unpacked / 1048576:.0f}",
                limit=MAX_UNPACKED // 1048576,
            )
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = [sheet for sheet in book.worksheets if hasattr(sheet, "iter_rows")]
            if not sheets:
                raise reject(N_("The workbook has no sheet of cells."))
            sheet = book.active if book.active in sheets else sheets[0]
            lines = _sheet_lines(sheet)
            others = [other.title for other in sheets if other is not sheet and _has_data(other)]
        finally:
            book.close()
    except ImportRejected:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, zipfile.BadZipFile, SyntaxError):
        # openpyxl reports a broken part of the archive as any of these (lxml's XMLSyntaxError is a SyntaxError)
        raise reject(UNREADABLE) from None
    warnings = []
    if others:
        listed = ", ".join(f'"{title}"' for title in others)
        warnings.append(
            N_(
                'Only the sheet "%(sheet)s" was read; these sheets also hold data and were not: %(others)s.',
                sheet=sheet.title,
                others=listed,
            )
        )
    return lines, warnings


def _sheet_lines(sheet) -> list[list[str] | tuple[str, ...]]:
    lines: list[list[str] | tuple[str, ...]] = []
    count = 0
    for values in sheet.iter_rows(values_only=True):
        row = [cell_text(value) for value in values]
        while row and not row[-1]:
            row.pop()
        count += len(row)
        if count > MAX_CELLS:
            raise reject(
                N_("The sheet has more than %(cells)s cells; split it into smaller files.", cells=f"{MAX_CELLS:,}")
            )
        lines.append(row or _BLANK)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _has_data(sheet) -> bool:
    return any(cell_text(value) for values in sheet.iter_rows(values_only=True, max_row=100) for value in values)


def cell_text(value: object) -> str:
    """A cell's value as the text a person would have typed into a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, timedelta):
        hours, rest = divmod(round(value.total_seconds()), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)
