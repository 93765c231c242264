"""Submissions import service: 2,300 rows, all or nothing, idempotent re-import, safe export."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from showcase.films.csvio import ImportRejected
from tests.showcase.films.support import GOOD, MALFORMED, counts, csv_bytes, festival


def _import(data: bytes):
    from showcase.extensions import db
    from showcase.films.importing import import_submissions

    summary = import_submissions(festival(), data)
    db.session.commit()
    return summary


def test_2300_rows_import_with_directors_as_credits(demo, ctx, big_csv):
    from showcase.extensions import db
    from showcase.films.models import Film

    before = counts()
    summary = _import(big_csv)
    after = counts()
    assert (summary.created, summary.updated, summary.unchanged) == (2300, 0, 0)
    assert after["Film"] - before["Film"] == 2300
    assert after["Credit"] - before["Credit"] >= 2300  # every row names at least one director
    assert after["AuditLog"] - before["AuditLog"] == 1  # one entry for the whole import
    film = db.session.scalar(select(Film).where(Film.external_id == "AI2025-00013"))
    assert film.festival_id == festival().id and film.runtime_seconds > 0 and film.version == 1
    assert [c.role for c in film.credits] and all(c.role == "director" for c in film.credits)
    assert len({f.code for f in db.session.scalars(select(Film))}) == after["Film"]  # codes unique
    assert (
        len(set(db.session.scalars(select(Film.slug).where(Film.festival_id == film.festival_id))))
        == after["Film"] - before["Film"] + 7
    )


def test_importing_the_same_file_again_changes_nothing(demo, ctx, big_csv):
    from showcase.extensions import db
    from showcase.films.models import Film

    _import(big_csv)
    versions = dict(db.session.execute(select(Film.id, Film.version)).all())
    before = counts()
    summary = _import(big_csv)
    assert (summary.created, summary.updated, summary.unchanged, summary.people_added) == (0, 0, 2300, 0)
    assert counts() == before  # not even an audit entry
    db.session.expire_all()
    assert dict(db.session.execute(select(Film.id, Film.version)).all()) == versions


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_are_refused_with_row_messages_and_nothing_written(demo, ctx, name):
    from showcase.extensions import db

    data, phrase = MALFORMED[name]
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        _import(data)
    db.session.rollback()
    assert caught.value.errors, name
    text = " | ".join(str(error) for error in caught.value.errors)
    assert phrase in text, text
    assert counts() == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_utf8_with_or_without_bom_utf16_and_gb18030_import_alike(demo, ctx, encoding):
    from showcase.extensions import db
    from showcase.films.models import Film

    data = csv_bytes(
        "AI-001,星辰大海,Stars and Seas,张三、李四,12:30,zhang@example.cn",
        "AI-002,机器之梦,Machine Dream,王五,1:02:03,wang@example.com",
        encoding=encoding,
    )
    assert _import(data).created == 2
    film = db.session.scalar(select(Film).where(Film.external_id == "AI-001"))
    assert (film.title, film.runtime_seconds) == ("星辰大海", 750)
    assert [c.person.name for c in film.credits] == ["张三", "李四"]


def test_one_bad_row_among_good_ones_imports_nothing(demo, ctx):
    from showcase.extensions import db

    data = csv_bytes(
        "AI-001,星辰,Stars,张三,12:30,a@example.cn",
        "AI-002,机器,Machine,王五,abc,b@example.cn",
        "AI-003,花园,Garden,赵六,9:00,c@example.cn",
    )
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        _import(data)
    db.session.rollback()
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "时长")]
    assert counts() == before


def test_a_changed_row_updates_its_film_and_replaces_its_directors(demo, ctx):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.services import credit_person

    _import(GOOD)
    film = db.session.scalar(select(Film).where(Film.external_id == "AI-001"))
    credit_person(film, name="赵摄影", role="cinematographer")
    film.status = "shortlisted"
    db.session.commit()
    version = film.version
    changed = csv_bytes(
        "AI-001,星辰大海,Stars and Seas (final),张三,12:31,zhang@example.cn",
        "AI-002,机器之梦,Machine Dream,王五,1:02:03,wang@example.com",
    )
    summary = _import(changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    db.session.expire_all()
    film = db.session.get(Film, film.id)
    assert film.title_en == "Stars and Seas (final)" and film.runtime_seconds == 751
    assert film.version == version + 1
    assert film.status == "shortlisted"  # the default status in a file never demotes a film
    assert [(c.person.name, c.role) for c in film.credits] == [("张三", "director"), ("赵摄影", "cinematographer")]


def test_export_neutralises_formula_cells_and_reads_back_unchanged(demo, ctx):
    from showcase.extensions import db
    from showcase.films.importing import export_csv
    from showcase.films.services import create_film

    create_film(
        festival(),
        title='=HYPERLINK("http://evil")',
        title_en="+cmd|' /C calc'!A0",
        runtime_seconds=60,
        external_id="@SUM(1)",
        country="-2+3",
    )
    db.session.commit()
    text = export_csv(festival()).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'@SUM(1)" in text and "'-2+3" in text
    assert "\r\n=" not in text and ",=" not in text and ",+" not in text and ",@" not in text
    before = counts()
    summary = _import(export_csv(festival()))
    assert summary.created == 0 and summary.updated == 0
    assert counts() == before


def test_every_problem_of_every_row_is_listed_under_its_column_in_the_form_s_words(ctx):
    from showcase import durations
    from showcase.errors import ValidationFailed
    from showcase.films.importing import plan_import
    from showcase.films.services import create_film
    from tests.builders import make_festival

    festival = make_festival()
    long_title = "长" * 501
    data = (
        csv_bytes(
            f"AI-001,{long_title},Stars,张三,12:30,a@b",
            "AI-002,,Machine,王五,abc,ok@example.cn",
            f"AI-003,花园,Garden,{'赵' * 201},10:00:01,c@example.cn",
            header="报名编号,片名,英文片名,导演,时长,邮箱",
        )
        + "AI-004,夜,Night,钱七,5,d@example.cn,1700,Bogus\r\n".encode()
    )
    data = data.replace(b"\xe9\x82\xae\xe7\xae\xb1\r\n", "邮箱,年份,状态\r\n".encode(), 1)
    plan = plan_import(festival, data)
    assert not plan.new and not plan.changed
    found = {(error.row, error.column): error.reason for error in plan.errors}
    assert [row for row, _column in found] == sorted(row for row, _column in found)  # by row
    # The form says the same about the same values: one rule, one message.
    with pytest.raises(ValidationFailed) as form:
        create_film(festival, title=long_title, runtime_seconds=36001, contact_email="a@b", year=1700, status="bogus")
    said = form.value.errors
    assert found == {
        (2, "片名"): said["title"],
        (2, "邮箱"): said["contact_email"],
        (3, "片名"): "Original title is required.",
        (3, "时长"): f'"abc" is not a running time; write it as {durations.HELP}.',
        (4, "导演"): f"Director's name is 201 characters long; the limit is 200. ({'赵' * 40}…)",
        (4, "时长"): said["runtime_seconds"],
        (5, "年份"): said["year"],
        (5, "状态"): said["status"],
    }
    assert said["title"] == "Original title is 501 characters long; the limit is 500."
    assert "1700 is not a plausible year" in said["year"]
