"""Submission rows as an Excel workbook: the CSV export's columns, every cell text, none ever a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from showcase.films.csvio.rows import SubmissionRow
from showcase.films.csvio.writing import HEADER, cells

TEXT = "@"  # Excel's text format: a cell typed into later stays text too
WIDEST = 60  # characters: a synopsis column stays readable instead of running off the screen


def export_films_xlsx(rows: Iterable[SubmissionRow], *, title: str = "Films") -> bytes:
    """An .xlsx workbook of the rows; every value is stored as a string cell, so "=1+1" and "-1" read as written."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    widths = [len(name) for name in HEADER]
    _write_row(sheet, 1, HEADER, bold=True)
    for number, row in enumerate(rows, start=2):
        values = cells(row)
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
