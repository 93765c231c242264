"""Imports as they come: a FilmFreeway submissions export with its real headers, a GB18030 spreadsheet with
Chinese headers and status words, and an Excel workbook; every column not imported is named in the web
preview and the CLI's dry run; the submitter's e-mail stays private; languages are stored one way."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from showcase.extensions import db
from showcase.films.csvio import parse_submissions
from showcase.films.importing import export_csv, export_xlsx, import_submissions, plan_import
from showcase.films.languages import canonical_language, distinct_languages, spellings_of
from showcase.films.models import Credit, Film
from showcase.workspace.search import languages
from tests.conftest import csrf_token
from tests.showcase.films.support import SLUG, counts, festival
from tests.showcase.guests.conftest import guest  # noqa: F401 — the guest pages' fixture, for the privacy test
from tests.showcase.jobs.support import wait_for_job

IMPORT = f"/staff/festivals/{SLUG}/films/import"

# The columns of FilmFreeway's submissions export, in its order and spelling.
FILMFREEWAY_HEADER = [
    "First Name",
    "Last Name",
    "Birthdate",
    "Gender",
    "Email",
    "Phone",
    "Address",
    "Address 2",
    "City",
    "State",
    "Postal Code",
    "Country",
    "Tracking Number",
    "Project Title",
    "Project Title (Original Language)",
    "Synopsis",
    "Synopsis (Original Language)",
    "Duration",
    "Country of Origin",
    "Language",
    "Trailer URL",
    "Country of Filming",
    "Project Website",
    "Project Type",
    "Genres",
    "Student Project",
    "Completion Date",
    "Production Budget",
    "Shooting Format",
    "Aspect Ratio",
    "Film Color",
    "First-time Filmmaker",
    "Directors",
    "Writers",
    "Producers",
    "Key Cast",
    "Other Credits",
    "Submitter Statement",
    "Submitter Biography",
    "Rating",
    "Flag",
    "Submission Date",
    "Submission Status",
    "Judging Status",
    "Submission Deadlines",
    "Submission Categories",
    "Discount Code",
    "Submission Link",
    "Submission Password",
    "Assigned Judges",
    "Screenings / Awards",
    "Distributor Information",
    "Submission ID",
    "Submission Notes",
]
USED = {
    "Email",
    "Project Title",
    "Project Title (Original Language)",
    "Synopsis",
    "Synopsis (Original Language)",
    "Duration",
    "Country of Origin",
    "Language",
    "Completion Date",
    "Directors",
    "Writers",
    "Producers",
    "Key Cast",
    "Submission Status",
    "Judging Status",
    "Submission ID",
}
FILMFREEWAY_ROWS = [
    {
        "First Name": "Yu",
        "Last Name": "Chen",
        "Email": "chen.yu@example.cn",
        "Country": "China",
        "Tracking Number": "FF-2026-0001",
        "Project Title": "The Lantern Keeper",
        "Project Title (Original Language)": "守灯人",
        "Synopsis": "An old keeper and a generated sea.",
        "Synopsis (Original Language)": "老守灯人与一片生成的海。",
        "Duration": "0:12:34",
        "Country of Origin": "China",
        "Language": "Mandarin",
        "Completion Date": "2025-11-03",
        "Directors": "Chen Yu, Li Na",
        "Writers": "Chen Yu",
        "Producers": "Wang Fang",
        "Key Cast": "Zhou Ming, Sun Li",
        "Rating": "4.5",
        "Submission Status": "In Consideration",
        "Judging Status": "Finalist",
        "Submission Categories": "AI Short",
        "Submission ID": "2026001",
    },
    {
        "First Name": "Ann",
        "Last Name": "Lee",
        "Email": "Ann.Lee@Example.com",
        "Country": "United States",
        "Tracking Number": "FF-2026-0002",
        "Project Title": "Paper Boats",
        "Synopsis": "Boats folded from old letters.",
        "Duration": "12 min",
        "Country of Origin": "United Kingdom",
        "Language": "English",
        "Completion Date": "January 2, 2025",
        "Directors": "Ann Lee",
        "Submission Status": "In Consideration",
        "Judging Status": "Award Winner",
        "Submission ID": "2026002",
    },
    {
        "Email": "wei@example.org",
        "Project Title": "Night Bus",
        "Project Title (Original Language)": "夜班车",
        "Duration": "7:05",
        "Country of Origin": "Taiwan",
        "Language": "普通话 Mandarin",
        "Directors": "Lin Wei",
        "Submission Status": "In Consideration",
        "Judging Status": "Not Selected",
        "Submission ID": "2026003",
    },
    {
        "Email": "kim@example.kr",
        "Project Title": "Quiet Hours",
        "Duration": "1:02:03",
        "Country of Origin": "South Korea",
        "Language": "Mandarin Chinese",
        "Directors": "Kim Ji",
        "Submission Status": "Withdrawn",
        "Judging Status": "Selected",
        "Submission ID": "2026004",
    },
]


def filmfreeway_csv(rows: list[dict[str, str]] = FILMFREEWAY_ROWS) -> bytes:
    """The export as FilmFreeway writes it: every column, UTF-8, comma separated, CRLF."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FILMFREEWAY_HEADER, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


CHINESE = (
    "作品编号,作品名称,英文片名,导演,编剧,制片人,主演,片长,国家/地区,语言,字幕,故事梗概,英文简介,评审状态,联系邮箱,年份,备注\r\n"
    "CN-01,雾中城,City in Fog,张三、李四,张三,王五,赵六,12分30秒,中国,普通话,中英双语,"
    "城市在雾中醒来。,A city wakes in fog.,入围,zhang@example.cn,2025,初审好评\r\n"
    "CN-02,归途,Way Home,王二,,,,8:00,中国,国语,中文,,,入选,wang@example.cn,2024年,\r\n"
    "CN-03,花火,Sparks,刘一,,,,15,中国香港,粤语,中英,,,获奖,liu@example.hk,2025,\r\n"
    "CN-04,旧梦,Old Dream,陈七,,,,10:00,中国,汉语普通话,,,,退赛,chen@example.cn,2025,\r\n"
    "CN-05,空山,Empty Hills,孙八,,,,9:59,中国,普通话 Mandarin,,,,未入选,sun@example.cn,2025,\r\n"
    "CN-06,海边,Seaside,周九,,,,6:00,中国,Mandarin,,,,待定,zhou@example.cn,2025,\r\n"
)


def _films(external_ids) -> dict[str, Film]:
    films = db.session.scalars(select(Film).where(Film.external_id.in_(list(external_ids))))
    return {film.external_id: film for film in films}


def _people(film: Film) -> dict[str, list[str]]:
    credits = db.session.scalars(select(Credit).where(Credit.film_id == film.id).order_by(Credit.display_order))
    found: dict[str, list[str]] = {}
    for credit in credits:
        found.setdefault(credit.role, []).append(credit.person.name)
    return found


# ---------------------------------------------------------------- FilmFreeway


def test_a_filmfreeway_export_is_read_as_it_comes():
    result = parse_submissions(filmfreeway_csv())
    assert result.errors == [] and result.warnings == []
    assert result.unused == [header for header in FILMFREEWAY_HEADER if header not in USED]
    assert "Country" in result.unused and "Tracking Number" in result.unused  # the submitter's; a second id
    assert result.columns["external_id"] == "Submission ID" and result.columns["country"] == "Country of Origin"
    first, second, third, fourth = result.rows
    assert (first.title, first.title_en) == ("守灯人", "The Lantern Keeper")
    assert (first.synopsis, first.synopsis_en) == ("老守灯人与一片生成的海。", "An old keeper and a generated sea.")
    assert (second.title, second.title_en, second.synopsis_en) == ("Paper Boats", "", "")  # no original: English only
    assert [row.runtime_seconds for row in result.rows] == [754, 720, 425, 3723]
    assert [row.year for row in result.rows] == [2025, 2025, None, None]
    assert [row.status for row in result.rows] == ["shortlisted", "winner", "submitted", "withdrawn"]
    assert result.status_words == {
        ("In Consideration", "submitted"): 3,
        ("Finalist", "shortlisted"): 1,
        ("Award Winner", "winner"): 1,
        ("Not Selected", "submitted"): 1,
    }
    assert (first.directors, first.writers, first.producers, first.cast) == (
        ("Chen Yu", "Li Na"),
        ("Chen Yu",),
        ("Wang Fang",),
        ("Zhou Ming", "Sun Li"),
    )


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("0:12:34", 754),
        ("12:34", 754),
        ("1:02:03", 3723),
        ("12 min", 720),
        ("12 mins", 720),
        ("10 minutes 39 seconds", 639),
    ],
)
def test_filmfreeway_durations_are_read_in_each_of_their_forms(duration, seconds):
    result = parse_submissions(filmfreeway_csv([dict(FILMFREEWAY_ROWS[0], Duration=duration)]))
    assert result.errors == [] and result.rows[0].runtime_seconds == seconds


def test_a_filmfreeway_import_keeps_each_value_in_its_own_field(ctx, demo):
    before = counts()
    summary = import_submissions(festival(), filmfreeway_csv())
    db.session.commit()
    assert (summary.created, summary.updated) == (4, 0)
    films = _films(row["Submission ID"] for row in FILMFREEWAY_ROWS)
    lantern = films["2026001"]
    assert (lantern.title, lantern.title_en, lantern.country, lantern.year) == (
        "守灯人",
        "The Lantern Keeper",
        "China",
        2025,
    )
    assert lantern.contact_email == "chen.yu@example.cn" and films["2026002"].contact_email == "ann.lee@example.com"
    assert films["2026002"].country == "United Kingdom"  # the film's country, not the submitter's address
    assert {key: film.status for key, film in films.items()} == {
        "2026001": "shortlisted",
        "2026002": "winner",
        "2026003": "submitted",
        "2026004": "withdrawn",
    }
    assert {film.language for film in films.values()} == {"普通话 Mandarin", "英语 English"}
    assert _people(lantern) == {
        "director": ["Chen Yu", "Li Na"],
        "writer": ["Chen Yu"],
        "producer": ["Wang Fang"],
        "cast": ["Zhou Ming", "Sun Li"],
    }
    assert counts()["Credit"] == before["Credit"] + 6 + 1 + 1 + 1
    # The same export again changes nothing; a later one with new key cast replaces only that role.
    assert import_submissions(festival(), filmfreeway_csv()).unchanged == 4
    later = [dict(FILMFREEWAY_ROWS[0], **{"Key Cast": "Zhou Ming"}), *FILMFREEWAY_ROWS[1:]]
    assert import_submissions(festival(), filmfreeway_csv(later)).updated == 1
    assert _people(lantern) == {
        "director": ["Chen Yu", "Li Na"],
        "writer": ["Chen Yu"],
        "producer": ["Wang Fang"],
        "cast": ["Zhou Ming"],
    }
    # Our own export carries all of it back: importing it changes nothing, and an .xlsx export reads the same.
    again = plan_import(festival(), export_csv(festival()))
    assert again.errors == [] and again.new == [] and again.changed == [] and again.unused == []
    assert plan_import(festival(), export_xlsx(festival())).unchanged == again.unchanged == counts()["Film"]


def test_the_language_filter_shows_one_entry_per_language(ctx, demo):
    import_submissions(festival(), filmfreeway_csv())
    import_submissions(festival(), CHINESE.encode("gb18030"))
    db.session.commit()
    listed = languages(festival())
    assert "普通话 Mandarin" in listed
    assert not {"普通话", "Mandarin", "国语", "Mandarin Chinese", "汉语普通话"} & set(listed)
    assert listed.count("普通话 Mandarin") == 1


# ---------------------------------------------------------------- a Chinese spreadsheet


def test_a_gb18030_spreadsheet_with_chinese_headers_and_status_words_imports(ctx, demo):
    data = CHINESE.encode("gb18030")
    plan = plan_import(festival(), data)
    assert plan.errors == [], plan.errors
    assert plan.unused == ["备注"]
    assert plan.columns["external_id"] == "作品编号" and plan.columns["status"] == "评审状态"
    assert ("入围", "shortlisted") in plan.status_words and ("未入选", "submitted") in plan.status_words
    import_submissions(festival(), data)
    db.session.commit()
    films = _films(f"CN-0{n}" for n in range(1, 7))
    assert {key: film.status for key, film in films.items()} == {
        "CN-01": "shortlisted",
        "CN-02": "selected",
        "CN-03": "winner",
        "CN-04": "withdrawn",
        "CN-05": "submitted",
        "CN-06": "submitted",
    }
    fog = films["CN-01"]
    assert (fog.title, fog.title_en, fog.subtitles, fog.runtime_seconds) == ("雾中城", "City in Fog", "中英双语", 750)
    assert (fog.synopsis, fog.synopsis_en, fog.contact_email) == (
        "城市在雾中醒来。",
        "A city wakes in fog.",
        "zhang@example.cn",
    )
    assert _people(fog) == {"director": ["张三", "李四"], "writer": ["张三"], "producer": ["王五"], "cast": ["赵六"]}
    assert films["CN-02"].year == 2024 and films["CN-03"].runtime_seconds == 15 * 60
    assert {key: film.language for key, film in films.items()} == {
        "CN-01": "普通话 Mandarin",
        "CN-02": "普通话 Mandarin",
        "CN-03": "粤语 Cantonese",
        "CN-04": "普通话 Mandarin",
        "CN-05": "普通话 Mandarin",
        "CN-06": "普通话 Mandarin",
    }


def test_an_unknown_status_word_is_refused_in_the_form_s_words_and_nothing_is_written(ctx, demo):
    data = CHINESE.replace(",入围,", ",很好,").encode("gb18030")
    before = counts()
    plan = plan_import(festival(), data)
    assert [(error.row, error.column) for error in plan.errors] == [(2, "评审状态")]
    assert plan.errors[0].reason.startswith('"很好" is not a status; use one of: submitted, shortlisted')
    assert counts() == before


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("片名 Title", "title"),
        ("英文片名 English Title", "title_en"),
        ("导演 Director(s)", "directors"),
        ("时长（分钟）", "runtime_seconds"),
        ("作者", "directors"),
        ("Run Time", "runtime_seconds"),
    ],
)
def test_bilingual_and_chinese_headers_are_recognised(header, field):
    other, cell = ("", "") if field == "title" else (",片名", ",片")
    result = parse_submissions(f"报名编号,{header}{other}\r\nA1,10{cell}\r\n".encode())
    assert result.errors == [] and result.columns[field] == header and result.unused == []


def test_a_weaker_name_yields_to_the_field_s_own_column_and_is_listed():
    result = parse_submissions("报名编号,片名,作者,导演,Country,国家\r\nA1,片,甲,乙,US,中国\r\n".encode())
    assert result.errors == [] and result.unused == ["作者", "Country"]
    assert (result.rows[0].directors, result.rows[0].country) == (("乙",), "中国")


def test_a_sheet_title_above_the_header_is_skipped_and_named():
    data = ("2026 AI 短片大赛报名表,,,\r\n" + CHINESE).encode("gb18030")
    result = parse_submissions(data)
    assert result.errors == [] and len(result.rows) == 6 and result.rows[0].row == 3
    assert result.warnings == ["Rows above the header (row 2) were not read as films: 2026 AI 短片大赛报名表."]


def test_a_workbook_s_merged_title_row_is_skipped_too():
    book = Workbook()
    sheet = book.active
    sheet.append(["第三届 AI 短片大赛 报名汇总"])
    sheet.merge_cells("A1:D1")
    sheet.append(["报名编号", "片名", "时长", "状态"])
    sheet.append(["X-1", "光", 5, "入围"])
    out = io.BytesIO()
    book.save(out)
    result = parse_submissions(out.getvalue())
    assert result.errors == [] and [(row.row, row.status) for row in result.rows] == [(3, "shortlisted")]
    assert result.warnings == ["Rows above the header (row 2) were not read as films: 第三届 AI 短片大赛 报名汇总."]


def test_a_column_without_a_header_that_holds_values_is_named():
    result = parse_submissions(b"id,title,,notes\r\nA1,Film,stray value,\r\nA2,Other,,\r\n")
    assert result.errors == [] and result.unused == ["notes", "C (no header)"]


# ---------------------------------------------------------------- Excel


def workbook(*, other_sheet: bool = False) -> bytes:
    """An .xlsx as a spreadsheet program saves it: ids as numbers, a time-formatted runtime, a date."""
    book = Workbook()
    sheet = book.active
    sheet.title = "报名表"
    sheet.append(["报名编号", "片名", "英文片名", "导演", "时长", "完成日期", "语言", "状态", "邮箱", "评分"])
    sheet.append(
        [
            3001,
            "光年",
            "Light Years",
            "吴一",
            time(0, 12, 34),
            datetime(2025, 5, 1),
            "国语",
            "入围",
            "wu@example.cn",
            9.5,
        ]
    )
    sheet.append([3002, "回声", "Echo", "郑二", 8, date(2024, 3, 9), "English", "Selected", "zheng@example.com", 7])
    sheet.append([])
    sheet.append([3003.0, "长夜", "", "冯三", timedelta(minutes=61, seconds=2), 2025, "粤语", "获奖", "", None])
    if other_sheet:
        notes = book.create_sheet("评委笔记")
        notes.append(["报名编号", "意见"])
        notes.append([3001, "好"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_reads_like_the_same_csv():
    result = parse_submissions(workbook())
    assert result.errors == [] and result.warnings == []
    assert result.unused == ["评分"]
    assert [row.external_id for row in result.rows] == ["3001", "3002", "3003"]
    assert [row.row for row in result.rows] == [2, 3, 5]  # the blank row 4 keeps the sheet's numbering
    assert [row.runtime_seconds for row in result.rows] == [754, 480, 3662]
    assert [row.year for row in result.rows] == [2025, 2024, 2025]
    assert [row.status for row in result.rows] == ["shortlisted", "selected", "winner"]


def test_other_sheets_with_data_are_named():
    result = parse_submissions(workbook(other_sheet=True))
    assert result.warnings == [
        'Only the sheet "报名表" was read; these sheets also hold data and were not: "评委笔记".'
    ]


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"PK\x03\x04" + bytes(200), "This Excel workbook cannot be read"),
        (_zip({"hello.txt": b"not a workbook"}), "This Excel workbook cannot be read"),
        (_zip({"big.bin": bytes(210 * 1024 * 1024)}), "the limit is 200 MB"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel workbook (.xls)"),
    ],
    ids=["truncated", "a zip of something else", "unpacks too large", "xls"],
)
def test_a_broken_workbook_is_refused_with_a_reason_and_nothing_written(ctx, demo, data, phrase):
    before = counts()
    plan = plan_import(festival(), data)
    assert len(plan.errors) == 1 and phrase in plan.errors[0].reason, plan.errors
    assert counts() == before


# ---------------------------------------------------------------- the web preview and the CLI


def _upload(client, data: bytes, name: str):
    token = csrf_token(client, IMPORT)
    return client.post(
        IMPORT, data={"csrf_token": token, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_the_web_preview_names_every_column_it_does_not_import(app, client, demo, login_as):
    login_as("editor")
    page = client.get(IMPORT).get_data(as_text=True)
    assert 'accept=".csv,.txt,.xlsx' in page
    preview = _upload(client, filmfreeway_csv(), "filmfreeway.csv")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>4</strong> new films" in html
    unused = [header for header in FILMFREEWAY_HEADER if header not in USED]
    assert f"{len(unused)} columns are not imported" in html
    for header in unused:
        assert f"<code>{header.replace('/', '/')}</code>" in html, header
    assert "“Finalist” is read as Shortlisted (1 row)" in html
    # An error page names them too.
    bad = [dict(FILMFREEWAY_ROWS[0], Duration="soon")]
    refused = _upload(client, filmfreeway_csv(bad), "filmfreeway.csv").get_data(as_text=True)
    assert "Nothing was imported" in refused and "<code>Tracking Number</code>" in refused


def test_an_xlsx_uploads_previews_and_imports_in_the_browser(app, client, demo, login_as):
    login_as("editor")
    preview = _upload(client, workbook(), "报名表.xlsx")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>3</strong> new films" in html and "<code>评分</code>" in html
    token = html.split('name="token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    done = client.post(f"{IMPORT}/confirm", data={"csrf_token": csrf_token(client, IMPORT), "token": token})
    assert done.status_code == 303
    assert wait_for_job(client, done.headers["Location"])["state"] == "done"
    with app.app_context():
        films = _films(["3001", "3002", "3003"])
        assert {key: (film.title, film.status, film.language) for key, film in films.items()} == {
            "3001": ("光年", "shortlisted", "普通话 Mandarin"),
            "3002": ("回声", "selected", "英语 English"),
            "3003": ("长夜", "winner", "粤语 Cantonese"),
        }


def test_a_chinese_reader_gets_the_preview_and_its_warnings_in_chinese(app, client, demo, login_as):
    login_as("editor")
    token = csrf_token(client, IMPORT)
    preview = client.post(
        IMPORT,
        data={"csrf_token": token, "file": (io.BytesIO(workbook(other_sheet=True)), "报名表.xlsx")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "只读取了工作表“报名表”；以下工作表也有数据，但没有读取：&#34;评委笔记&#34;。" in html
    assert "1 列未导入" in html and "<code>评分</code>" in html and "“入围”读作" in html


def test_the_cli_dry_run_names_unused_columns_and_imports_an_xlsx(demo, tmp_path):
    path = tmp_path / "filmfreeway.csv"
    path.write_bytes(filmfreeway_csv())
    runner = demo.test_cli_runner()
    with demo.app_context():
        before = counts()
    dry = runner.invoke(args=["films", "import", str(path), "--festival", SLUG, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    unused = [header for header in FILMFREEWAY_HEADER if header not in USED]
    assert f"Columns not imported ({len(unused)}): {', '.join(unused)}" in dry.stdout
    assert 'Status "Finalist" read as shortlisted (1 row).' in dry.stdout and "Dry run" in dry.stdout
    with demo.app_context():
        assert counts() == before
    book = tmp_path / "films.xlsx"
    book.write_bytes(workbook())
    done = runner.invoke(args=["films", "import", str(book), "--festival", SLUG])
    assert done.exit_code == 0, done.output
    assert "Columns not imported (1): 评分" in done.stdout and "Imported: 3 created" in done.stdout


# ---------------------------------------------------------------- the e-mail stays private


def test_submitter_e_mails_appear_on_no_guest_page_or_feed(app, client, guest):  # noqa: F811
    """Every demo film gets a submitter's address through a FilmFreeway import; no public byte shows one."""
    with app.app_context():
        rows = [
            {
                "Submission ID": film.external_id,
                "Project Title": film.title,
                "Email": f"private.{film.slug}@secret-example.org",
            }
            for film in db.session.scalars(select(Film))
        ]
        summary = import_submissions(festival(), filmfreeway_csv(rows))
        db.session.commit()
        assert summary.updated == len(rows) == 7
        assert all(film.contact_email.endswith("@secret-example.org") for film in db.session.scalars(select(Film)))
    shown = []
    for url in guest.public_urls():
        for language in ("zh", "en"):
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code in (200, 404), url
            body = response.get_data(as_text=True)
            assert "secret-example" not in body and "private." not in body, url
            shown.append(body)
    assert sum("烟花之下是我家" in body for body in shown) >= 4  # the pages do show the films themselves


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("普通话", "普通话 Mandarin"),
        ("Mandarin", "普通话 Mandarin"),
        ("普通话 Mandarin", "普通话 Mandarin"),
        ("Mandarin Chinese", "普通话 Mandarin"),
        ("国语", "普通话 Mandarin"),
        ("汉语普通话", "普通话 Mandarin"),
        ("Chinese (Mandarin)", "普通话 Mandarin"),
        ("  mandarin ", "普通话 Mandarin"),
        ("粤语", "粤语 Cantonese"),
        ("Cantonese", "粤语 Cantonese"),
        ("广东话", "粤语 Cantonese"),
        ("英语", "英语 English"),
        ("English", "英语 English"),
        ("日语", "日语 Japanese"),
        ("Japanese", "日语 Japanese"),
        ("无对白", "无对白 No dialogue"),
        ("English, French", "英语 English, 法语 French"),
        ("普通话 / English", "普通话 Mandarin, 英语 English"),
        ("Mandarin、普通话", "普通话 Mandarin"),
        ("Klingon", "Klingon"),
        ("", ""),
    ],
)
def test_language_values_are_stored_one_way(written, stored):
    assert canonical_language(written) == stored
    assert canonical_language(stored) == stored  # stored values are already canonical


def test_existing_spellings_group_under_one_language():
    stored = ["普通话", "普通话 Mandarin", "Mandarin", "粤语", "Klingon", ""]
    assert distinct_languages(stored) == sorted(["Klingon", "普通话 Mandarin", "粤语 Cantonese"])
    assert spellings_of("Mandarin", stored) == ["普通话", "普通话 Mandarin", "Mandarin"]


# ---------------------------------------------------------------- in Chromium, on a phone


@pytest.mark.browser
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_filmfreeway_preview_on_a_phone_lists_its_unused_columns_without_sideways_scrolling(
    app, live_server, browser, demo, make_user, tmp_path
):
    from tests.conftest import browser_login
    from tests.showcase.test_phone_browser import PHONE, STICKING_OUT, WIDTH

    path = tmp_path / "filmfreeway-submissions.csv"
    path.write_bytes(filmfreeway_csv())
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        browser_login(page, live_server.url, make_user("editor"))
        page.goto(live_server.url + IMPORT)
        page.locator('input[type="file"]').set_input_files(str(path))
        page.get_by_role("button", name="Upload and preview").click()
        heading = page.get_by_role("heading", name="38 columns are not imported")
        assert heading.is_visible()
        assert page.locator(".unused-columns li").all_inner_texts()[:3] == ["First Name", "Last Name", "Birthdate"]
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert page.evaluate(STICKING_OUT, WIDTH) == []
    finally:
        context.close()
