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
