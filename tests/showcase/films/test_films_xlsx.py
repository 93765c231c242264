"""The films' .xlsx export: the CSV's columns, every cell a text cell, read back with openpyxl as written."""

from __future__ import annotations

import io

import openpyxl
import pytest

from showcase.films.csvio import SubmissionRow, export_films
from showcase.films.csvio.writing import HEADER
from showcase.films.csvio.xlsx import export_films_xlsx

SLUG = "ai-shorts-2026"
HOSTILE = SubmissionRow(
    "-1",
    '=HYPERLINK("http://x","y")',
    title_en="@SUM(A1)",
    directors=("张三", "-Bob"),
    runtime_seconds=750,
    synopsis="+1\tthen a tab",
    year=2024,
    language="普通话 Mandarin",
)


def _read(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def test_every_cell_is_text_and_reads_back_exactly_as_the_csv_means_it():
    rows = _read(export_films_xlsx([HOSTILE, SubmissionRow("A-2", "星辰大海", runtime_seconds=None)]))
    assert [cell.value for cell in rows[0]] == list(HEADER)
    # text cells all ("inlineStr" is how an empty text cell reads back), formatted as text
    assert all(cell.data_type in ("s", "inlineStr") and cell.number_format == "@" for row in rows for cell in row)
    values = [cell.value or "" for cell in rows[1]]
    assert values[:5] == ["-1", '=HYPERLINK("http://x","y")', "@SUM(A1)", "张三; -Bob", "0:12:30"]
    assert values[5] == "+1\tthen a tab" and values[8] == "2024" and values[9] == "普通话 Mandarin"
    assert [cell.value for cell in rows[2]][:2] == ["A-2", "星辰大海"]
    csv_cells = export_films([HOSTILE]).decode("utf-8-sig").split("\r\n")[1]
    assert csv_cells.startswith("-1,\"'=HYPERLINK") and ",'@SUM(A1)," in csv_cells  # the CSV still guards


def test_no_cell_of_the_workbook_is_a_formula_in_its_xml():
    import zipfile

    data = export_films_xlsx([HOSTILE])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet and "HYPERLINK" in sheet


def test_a_viewer_downloads_the_workbook(app, client, demo, login_as):
    login_as("viewer")
    response = client.get(f"/staff/festivals/{SLUG}/films/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{SLUG}-films.xlsx"'
    rows = _read(response.get_data())
    assert len(rows) == 1 + 7 and "DEMO-FIREWORKS" in [row[0].value for row in rows]
    page = client.get(f"/staff/festivals/{SLUG}/films/").get_data(as_text=True)
    assert "films/export.xlsx" in page and "films/export.csv" in page


@pytest.mark.parametrize(
    ("name", "extra", "is_xlsx"),
    [("films.xlsx", [], True), ("films.dat", ["--format", "xlsx"], True), ("films.txt", [], False)],
)
def test_the_command_writes_a_workbook_by_extension_or_format(demo, tmp_path, name, extra, is_xlsx):
    out = tmp_path / name
    result = demo.test_cli_runner().invoke(args=["films", "export", "--festival", SLUG, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"PK") is is_xlsx
    if is_xlsx:
        assert [cell.value for cell in _read(data)[0]] == list(HEADER)
