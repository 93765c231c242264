"""Film submissions as CSV or .xlsx: bytes in, plain rows out, and back. Pure: no database, no Flask.

Decisions (the contract the import relies on):

* Encodings (decoding.py): a byte-order mark wins (UTF-8, UTF-16, UTF-32); otherwise strict UTF-8;
  otherwise GB18030, accepted only when the decoded text looks like Chinese text (no private-use
  characters, and at least 80% of the non-ASCII characters in the common GB2312 set). Anything else,
  NUL bytes, control characters and old .xls workbooks are refused as "not a text CSV file". Files over
  `max_bytes` (10 MB by default) are refused before decoding.
* An .xlsx workbook (a zip archive; xlsx.py, openpyxl loaded only then) is read into the same text
  cells: its active sheet, numbers without ".0", dates as 2024-05-01, times and durations as H:MM:SS.
  Other sheets holding data are named in a warning; the unpacked size and the cells are limited.
* Delimiter: comma, tab (Excel "Unicode text") or semicolon, whichever the header line uses most.
* Columns (columns.py) are found by header name, ignoring case, spaces, underscores and punctuation,
  in English or Chinese (片名, 导演, 时长, 报名编号…), FilmFreeway's export as it comes ("Project Title",
  "Project Title (Original Language)", "Country of Origin", "Judging Status"…), or both ("片名 Title").
  A weaker name yields to a field's own one (FilmFreeway's "Country" is the submitter's address, beside
  "Country of Origin"). Every column not read is listed in `ImportResult.unused` (one with values but no
  header by its letter), so the preview names it. Title and submission id columns are required; the id
  is, because without it a re-import cannot find the film it updates. A sheet's own title above the
  header row is skipped and named in a warning.
* Cells (cells.py) are read, not judged: a running time, a year (or a date's year), a list of people
  and a status word (入围, "Finalist" → shortlisted; counted in `status_words`) are turned into
  values, and a cell that cannot be read is a row error naming its column. Whether a value
  is allowed (lengths, year range, statuses, e-mail addresses, running-time limits) is the film
  services' rule (showcase.films.fields), applied by the import to every row. A bare runtime number
  is minutes unless the header names seconds ("duration_seconds", "时长（秒）"), as everywhere in
  showcase (showcase.durations).
* Row numbers are spreadsheet rows: the header is row 1 (or later, after leading blank rows). Blank
  rows are skipped. Every unreadable cell is reported; `rows` holds only the rows without errors and
  `partial` what could be read of the others, so the import can report their other problems too.
  Accepting all or nothing is the caller's job (`ImportResult.raise_for_errors`).
* Export (writing.py) writes UTF-8 with a BOM (so Excel shows Chinese), CRLF lines, runtime as
  H:MM:SS, people (directors, writers, producers, key cast) joined with "; ". A cell starting with
  = + - @ (or their full-width forms), tab or carriage return gets a leading apostrophe so a
  spreadsheet will not run it as a formula — except a
  plain negative number ("-1", "-2.5"), which every spreadsheet reads as the number it is. On
  import a leading apostrophe is removed only when the next character is one of those triggers: that
  is the only shape our export produces, and real titles such as "'Tis" keep their apostrophe. A value
  that truly begins with an apostrophe followed by a trigger does not survive a round trip.
* The .xlsx export (xlsx.py, openpyxl, loaded only when asked for) has the same columns and cells, every
  one a text cell formatted as text: no value is ever a formula, and nothing needs an apostrophe.
"""

from showcase.films.csvio.cells import format_runtime, neutralise, parse_runtime
from showcase.films.csvio.decoding import MAX_BYTES, NOT_TEXT, decode
from showcase.films.csvio.reading import parse_submissions, table_lines
from showcase.films.csvio.rows import ImportRejected, ImportResult, RowError, SubmissionRow
from showcase.films.csvio.writing import export_films

__all__ = [
    "MAX_BYTES",
    "NOT_TEXT",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "SubmissionRow",
    "decode",
    "export_films",
    "format_runtime",
    "neutralise",
    "parse_runtime",
    "parse_submissions",
    "table_lines",
]
