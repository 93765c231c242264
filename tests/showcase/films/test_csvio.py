"""Submissions CSV: encodings, header aliases, runtime formats, row-level errors, safe export, round trip."""

import codecs
import os
from dataclasses import replace

import pytest

from showcase.films.csvio import (
    MAX_BYTES,
    ImportRejected,
    RowError,
    SubmissionRow,
    decode,
    export_films,
    format_runtime,
    neutralise,
    parse_runtime,
    parse_submissions,
)
from showcase.films.csvio.cells import unneutralise
from tests.samples import spreadsheet_csv, submission_rows

CHINESE = (
    "报名编号,片名,英文片名,导演,时长,简介,国家/地区,年份,语言,邮箱\r\n"
    'AI-001,星辰大海,Stars and Seas,"张三、李四",12:30,"一个关于星星的故事，\r\n第二行。",中国,2024,普通话,'
    "zhang@example.cn\r\n"
    "AI-002,机器之梦,Machine Dream,王五,1:02:03,梦。,中国香港,2025,粤语,wang@example.com\r\n"
)


def parse(data: bytes, **kwargs):
    return parse_submissions(data, **kwargs)


def table(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def reasons(result) -> list[str]:
    return [str(error) for error in result.errors]


# ---------------------------------------------------------------- runtime


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("12:30", 750),
        ("1:02:03", 3723),
        ("750s", 750),
        ("12", 720),  # a bare number is minutes
        ("12m30s", 750),
        ("12m", 720),
        ("90s", 90),
        ("12分30秒", 750),
        ("12分钟", 720),
        ("1小时2分3秒", 3723),
        ("1h2m3s", 3723),
        ("12 min 30 sec", 750),
        ("１２：３０", 750),
        (" 12:30 ", 750),
        ("95:00", 5700),
        ("10:00:00", 36000),
    ],
)
def test_every_runtime_format_reads_as_seconds(text, seconds):
    assert parse_runtime(text) == seconds


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "not a running time"),
        ("12.5", "not a running time"),
        ("-5", "not a running time"),
        ("12:75", "not a running time"),
        ("1:60:00", "not a running time"),
    ],
)
def test_unreadable_runtimes_are_refused_with_the_value_named(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_runtime(text)


def test_a_runtime_is_read_not_judged():
    # Zero and eleven hours are running times; whether a film may have them is showcase.films.fields' rule.
    assert (parse_runtime("0"), parse_runtime("0:00"), parse_runtime("11:00:00")) == (0, 0, 39600)


def test_blank_runtime_is_none_and_a_minutes_unit_applies_to_bare_numbers():
    assert parse_runtime("  ") is None
    assert parse_runtime("12", unit=60) == 720
    assert parse_runtime("12:30", unit=60) == 750


@pytest.mark.parametrize("header", ["runtime (min)", "时长（分钟）", "Duration_Minutes"])
def test_a_header_that_says_minutes_reads_bare_numbers_as_minutes(header):
    result = parse(table(f"id,title,{header}", "A1,Film,12"))
    assert result.errors == []
    assert result.rows[0].runtime_seconds == 720


@pytest.mark.parametrize("header", ["duration_seconds", "时长（秒）", "runtime (sec)"])
def test_a_header_that_says_seconds_reads_bare_numbers_as_seconds(header):
    result = parse(table(f"id,title,{header}", "A1,Film,750"))
    assert result.errors == []
    assert result.rows[0].runtime_seconds == 750


def test_a_bare_number_that_makes_a_long_film_is_pointed_out():
    result = parse(table("id,title,runtime", "A1,Film,200", "A2,Other,12"))
    assert [row.runtime_seconds for row in result.rows] == [12000, 720]
    assert result.warnings == [
        "Running time over three hours in row 2: a bare number is read as minutes; name the column "
        '"duration_seconds" to read seconds.'
    ]


def test_format_runtime_is_read_back():
    for seconds in (1, 59, 750, 3723, 36000):
        assert parse_runtime(format_runtime(seconds)) == seconds
    assert format_runtime(750) == "0:12:30"


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoded",
    [
        CHINESE.encode("utf-8"),
        codecs.BOM_UTF8 + CHINESE.encode("utf-8"),
        CHINESE.encode("utf-16"),
        codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"),
        CHINESE.encode("gb18030"),
        CHINESE.replace(",", "\t").encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "utf-16-tab-separated"],
)
def test_every_encoding_reads_the_same_chinese_rows(encoded):
    result = parse(encoded)
    assert result.errors == [] and result.warnings == []
    first, second = result.rows
    assert (first.external_id, first.title, first.title_en) == ("AI-001", "星辰大海", "Stars and Seas")
    assert first.directors == ("张三", "李四")
    assert first.synopsis == "一个关于星星的故事，\r\n第二行。"
    assert (first.runtime_seconds, second.runtime_seconds) == (750, 3723)
    assert (second.country, second.year, second.language) == ("中国香港", 2025, "粤语")
    assert second.row == 3  # the line break inside row 2's synopsis does not shift the numbering


def test_gb18030_with_a_few_characters_outside_gb2312_is_still_chinese_text():
    extra = "AI-003,𠮷野家·物语 🎬,Yoshinoya,吉田·太郎,90s,,日本,2024,日语,\r\n"
    result = parse((CHINESE + extra).encode("gb18030"))
    assert result.errors == []
    assert (result.rows[2].title, result.rows[2].directors) == ("𠮷野家·物语 🎬", ("吉田·太郎",))


def rejected(data: bytes, **kwargs) -> str:
    with pytest.raises(ImportRejected) as caught:
        decode(data, **kwargs)
    assert len(caught.value.errors) == 1
    return str(caught.value.errors[0])


def test_ten_megabytes_of_random_bytes_are_not_a_text_csv():
    noise = os.urandom(MAX_BYTES)
    assert "not a text CSV file" in rejected(noise)
    result = parse(noise)
    assert result.rows == [] and len(result.errors) == 1
    assert result.errors[0].row is None and "not a text CSV file" in result.errors[0].reason


def test_latin1_text_is_refused_rather_than_read_as_chinese_garbage():
    latin1 = "id,title,director\r\nA1,Amélie,Jérôme Müller\r\nA2,Søren,Björk\r\n".encode("latin-1")
    assert "Am閘ie" in latin1.decode("gb18030")  # valid GB18030 bytes: only the text check can refuse them
    assert "not a text CSV file" in rejected(latin1)


def test_binary_and_workbook_files_are_refused_with_a_reason():
    assert "control character (U+0000)" in rejected(b"id,title\r\nA1,F\x00ilm\r\n")
    assert "Line 2" in rejected(b"id,title\r\nA1,F\x07ilm\r\n")
    assert "Excel workbook" in rejected(b"PK\x03\x04" + os.urandom(200))
    assert "says it is UTF-16" in rejected(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00")


def test_size_limit_is_checked_first_and_named():
    assert "the limit is 1 MB" in rejected(b"id,title\r\n" + b"x" * 1048576, max_bytes=1048576)
    assert "limit is 10 MB" in str(parse(b"a" * (MAX_BYTES + 1)).errors[0])


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b",,,\r\n,,\r\n"])
def test_an_empty_file_says_so(data):
    result = parse(data)
    assert reasons(result) == ["File: The file is empty."]


# ---------------------------------------------------------------- header


def test_headers_match_whatever_their_case_spacing_and_underscores():
    result = parse(
        table(
            " Submission_ID ,TITLE,English Title,Director(s),Run Time,E-mail,Status",
            "A1,Film,Film EN,Ann and Bob,90s,ann@example.com,Selected",
        )
    )
    assert result.errors == []
    row = result.rows[0]
    assert (row.external_id, row.title, row.title_en) == ("A1", "Film", "Film EN")
    assert (row.directors, row.runtime_seconds, row.contact_email, row.status) == (
        ("Ann", "Bob"),
        90,
        "ann@example.com",
        "selected",
    )


def test_unknown_columns_are_not_imported_and_named():
    result = parse(table("id,title,Notes,备注,", "A1,Film,x,y,"))
    assert result.errors == [] and len(result.rows) == 1
    assert result.unused == ["Notes", "备注"] and result.warnings == []


def test_missing_title_and_id_columns_are_header_errors():
    result = parse(table("name,runtime", "Film,12:00"))
    assert result.rows == []
    assert [(error.row, error.column) for error in result.errors] == [
        (1, "title (片名)"),
        (1, "submission id (报名编号)"),
    ]
    assert "no title column" in result.errors[0].reason
    assert "re-import updates the same film" in result.errors[1].reason


def test_two_columns_for_one_field_are_ambiguous():
    result = parse(table("id,片名,原名", "A1,星辰,星辰"))
    assert reasons(result) == ['Row 1, 原名: both "片名" and "原名" are title columns; keep one.']


def test_header_only_file_has_no_rows():
    assert reasons(parse(table("id,title,runtime"))) == ["File: The file has a header but no rows of films."]


def test_leading_and_inner_blank_rows_keep_spreadsheet_row_numbers():
    result = parse(table("", ",,", "id,title,runtime", "A1,Film,12:00", "", "A2,Other,abc"))
    assert [row.row for row in result.rows] == [4]
    assert [(error.row, error.column) for error in result.errors] == [(6, "runtime")]


# ---------------------------------------------------------------- rows


def test_every_unreadable_cell_is_reported_and_the_rest_of_its_row_kept_apart():
    result = parse(
        table(
            "id,title,runtime,year,email,status",
            "A1,Good,12:00,2024,a@example.com,",
            "A2,,abc,nineteen,not-an-email,Bogus",
            ",No id,,,,",
            "A4,Good too,5m,2024年,,Withdrawn",
        )
    )
    assert [row.external_id for row in result.rows] == ["A1", "A4"]
    assert result.rows[0].status == "submitted" and result.rows[1].status == "withdrawn"
    assert result.rows[1].year == 2024
    by_cell = {(error.row, error.column): error.reason for error in result.errors}
    assert set(by_cell) == {(3, "runtime"), (3, "year"), (4, "id")}
    assert by_cell[(3, "runtime")].startswith('"abc" is not a running time; write it as 12 (minutes), 12:30')
    assert by_cell[(3, "year")] == '"nineteen" is not a year; write it like 2024.'
    assert by_cell[(4, "id")] == "is empty, and it is required."
    # What could be read of the bad rows is kept, for the import to check the rest of them.
    assert [(row.row, row.title, row.contact_email, row.status) for row in result.partial] == [
        (3, "", "not-an-email", "bogus"),
        (4, "No id", "", "submitted"),
    ]
    assert result.columns == {
        "external_id": "id",
        "title": "title",
        "runtime_seconds": "runtime",
        "year": "year",
        "contact_email": "email",
        "status": "status",
    }
    with pytest.raises(ImportRejected, match="3 problems"):
        result.raise_for_errors()
    assert not result.ok


def test_duplicate_ids_name_both_rows():
    result = parse(table("id,title", "A1,One", "A2,Two", "A1,Three"))
    assert [row.external_id for row in result.rows] == ["A2"]
    assert [row.row for row in result.partial] == [2, 4]
    assert reasons(result) == [
        'Row 2, id: submission id "A1" is also used in row 4; each id must be unique.',
        'Row 4, id: submission id "A1" is also used in row 2; each id must be unique.',
    ]


def test_a_row_with_more_cells_than_the_header_is_an_error():
    result = parse(table("id,title", "A1,Hello, world"))
    assert reasons(result) == ["Row 2: the row has 3 cells but the header has 2; a value may hold an unquoted comma."]


def test_a_missing_closing_quote_is_reported_with_its_line():
    result = parse(table("id,title", 'A1,"Never closed', "A2,Other"))
    assert len(result.errors) == 1 and "cannot be read near line" in result.errors[0].reason


def test_directors_split_on_every_separator_and_drop_repeats():
    result = parse(table("id,title,导演", 'A1,Film,"张三、李四 / Bob and Alice; Carol，Dave, Bob"'))
    assert result.rows[0].directors == ("张三", "李四", "Bob", "Alice", "Carol", "Dave")


def test_values_are_read_as_written_and_judged_by_the_import():
    long_title = "x" * 501
    result = parse(table("id,title,email,year", f"A1,{long_title},a@b,1700"))
    assert result.errors == []
    assert (result.rows[0].title, result.rows[0].contact_email, result.rows[0].year) == (long_title, "a@b", 1700)


def test_a_generated_festival_of_2300_submissions_parses_cleanly():
    rows = submission_rows(2300)
    result = parse(spreadsheet_csv(rows))
    assert result.errors == []
    assert result.unused == ["备注"] and result.warnings == []
    assert len(result.rows) == 2300 and len({row.external_id for row in result.rows}) == 2300
    assert [(row.title, row.runtime_seconds, row.directors) for row in result.rows] == [
        (row.title, row.runtime_seconds, row.directors) for row in rows
    ]


# ---------------------------------------------------------------- export


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1+1", "-2+3+cmd|' /C calc'!A0", "-1e3", "- 1", " -1", "@SUM(A1)", "\tx", "\rx", "＝1+1", " =1+1"],
)
def test_formula_like_cells_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Film", "'Tis", "1-2", "a=b", "", "-1", "-2.5", "-0"])
def test_ordinary_cells_and_plain_negative_numbers_are_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize(("cell", "value"), [("'-1", "-1"), ("'=1+1", "=1+1"), ("'Tis", "'Tis"), ("-1", "-1")])
def test_an_apostrophe_of_an_older_export_is_read_back_off(cell, value):
    assert unneutralise(cell) == value


def test_export_is_utf8_with_bom_and_neutralised():
    data = export_films(
        [
            SubmissionRow(
                "A1",
                '=HYPERLINK("http://x","y")',
                title_en="@evil",
                directors=("张三", "-Bob"),
                runtime_seconds=750,
                year=2024,
            )
        ]
    )
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "submission_id,title,title_en,directors,runtime,synopsis,synopsis_en,country,year,language,contact_email,status,"
        "subtitles,writers,producers,cast"
    )
    assert text.endswith("\r\n")
    assert 'A1,"\'=HYPERLINK(""http://x"",""y"")",\'@evil,张三; -Bob,0:12:30,' in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text


def test_export_reimports_to_the_same_rows():
    tricky = [
        SubmissionRow(
            "=A1",
            "=1+1",
            title_en="'Tis the season",
            directors=("张三", "Ann-Marie"),
            runtime_seconds=3723,
            synopsis='She said "hi",\nthen left.',
            synopsis_en="+plus",
            country="中国",
            year=1888,
            language="-",
            contact_email="a@example.com",
            status="winner",
            subtitles="=中英",
            writers=("张三", "+Ann"),
            producers=("李四",),
            cast=("Bob", "Carol"),
        ),
        SubmissionRow("B2", "片名，带逗号", synopsis="@mention\r\nsecond line"),
    ]
    rows = tricky + submission_rows(300)
    result = parse(export_films(rows))
    assert result.errors == [] and result.warnings == []
    assert result.rows == [replace(row, row=index + 2) for index, row in enumerate(rows)]


def test_row_error_reads_well():
    assert str(RowError(5, "时长", "bad")) == "Row 5, 时长: bad"
    assert str(RowError(None, "", "The file is empty.")) == "File: The file is empty."
