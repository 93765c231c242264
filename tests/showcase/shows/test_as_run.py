"""The as-run log after the night: a show run through the services, then its CSV, PDF, command and download."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import make_festival, make_film, make_session, make_user
from tests.conftest import PASSWORD, login

START = datetime(2026, 12, 12, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai


def at(minutes: float) -> datetime:
    """A moment of the night, in minutes after the session's planned start."""
    return START + timedelta(minutes=minutes)


@pytest.fixture
def night(ctx):
    """A session run live: GO, a film that ends by itself and the next following, a take-over, back, end."""
    from showcase.extensions import db
    from showcase.schedule.services import append_item
    from showcase.shows import services

    festival = make_festival()
    session = make_session(festival, starts_at=START, title="颁奖典礼", title_en="Awards night")
    film_a = make_film(festival, title="影片甲", title_en="Film A", runtime_seconds=600)
    film_b = make_film(festival, title="影片乙", title_en="Film B", runtime_seconds=480)
    append_item(session, kind="speech", planned_seconds=300, title="开场致辞", title_en="Opening")
    append_item(session, kind="film", planned_seconds=600, title="影片甲", title_en="Film A", film_id=film_a.id)
    append_item(session, kind="film", planned_seconds=480, title="影片乙", title_en="Film B", film_id=film_b.id)
    append_item(session, kind="speech", planned_seconds=180, title="=颁奖", title_en="Awards")
    caller = make_user(role="editor", name="李舞台")
    second = make_user(role="editor", name="Sam Caller")
    db.session.commit()
    items = [item.id for item in session.items]

    show = services.show_for(session)
    services.go(show, actor=caller, from_cue=None, now=at(2))  # cue 1, two minutes late
    services.go(show, actor=caller, from_cue=items[0], now=at(7.5))  # film A; it ends by itself at 17:30
    # film B follows at 17:30 and ends by itself at 25:30; the speech waits for GO
    services.take_over(show, actor=second, now=at(25.75))
    services.go(show, actor=second, from_cue=items[2], now=at(26))
    services.back(show, actor=second, from_cue=items[3], now=at(27))  # film B again, ends at 35:00
    services.go(show, actor=second, from_cue=items[2], now=at(36))
    services.end(show, actor=second, now=at(40))
    db.session.commit()
    return festival, session


EXPECTED = [
    ["cue", "kind", "title", "title_en", "mode", "planned_start", "actual_start", "planned_duration",
     "actual_duration", "over_under", "how", "started_by"],
    ["1", "speech", "开场致辞", "Opening", "manual", "19:00:00", "19:02:00", "5:00", "5:30", "0:30 over", "GO",
     "李舞台"],
    ["2", "film", "影片甲", "Film A", "follow", "19:05:00", "19:07:30", "10:00", "10:00", "on time", "GO", "李舞台"],
    ["3", "film", "影片乙", "Film B", "follow", "19:15:00", "19:17:30", "8:00", "8:00", "on time", "follows", ""],
    ["4", "speech", "'=颁奖", "Awards", "manual", "19:23:00", "19:26:00", "3:00", "1:00", "2:00 under", "GO",
     "Sam Caller"],
    ["3", "film", "影片乙", "Film B", "follow", "19:15:00", "19:27:00", "8:00", "8:00", "on time", "back",
     "Sam Caller"],
    ["4", "speech", "'=颁奖", "Awards", "manual", "19:23:00", "19:36:00", "3:00", "4:00", "1:00 over", "GO",
     "Sam Caller"],
]  # fmt: skip


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would read the Chinese as mojibake"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_lists_every_cue_planned_against_actual_and_who_pressed_go(night) -> None:
    from showcase.shows.asrun import as_run_csv, as_run_log

    festival, session = night
    log = as_run_log(festival, session)
    assert (log.run, log.rehearsal, log.date, log.label) == (1, False, "2026-12-12", "Run 1")
    data = as_run_csv(log)
    assert b"\r\n" in data
    assert read_csv(data) == EXPECTED  # the formula-like title is neutralised with an apostrophe


def test_every_go_is_in_the_audit_log(night) -> None:
    from sqlalchemy import select

    from showcase.audit.models import AuditLog
    from showcase.extensions import db

    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("show_%")).order_by(AuditLog.id))
    assert [a for a in actions if a in ("show_go", "show_back", "show_end")] == [
        "show_go",
        "show_go",
        "show_go",
        "show_back",
        "show_go",
        "show_end",
    ]


def test_a_show_that_never_ran_is_a_clear_error(ctx) -> None:
    from showcase.shows.asrun import NoRun, as_run_log

    festival = make_festival()
    session = make_session(festival)
    with pytest.raises(NoRun, match="has not run yet"):
        as_run_log(festival, session)


def test_a_run_that_never_happened_is_a_clear_error(night) -> None:
    from showcase.shows.asrun import NoRun, as_run_log

    festival, session = night
    with pytest.raises(NoRun, match="Run 7 of this show never happened"):
        as_run_log(festival, session, run=7)


def test_pdf_prints_chinese_titles_and_figures_with_embedded_fonts_only(night, tmp_path: Path) -> None:
    from showcase.programmes.asrun import build_as_run
    from showcase.shows.asrun import as_run_log

    festival, session = night
    pdf = tmp_path / "as-run.pdf"
    pdf.write_bytes(build_as_run(as_run_log(festival, session)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("颁奖典礼", "Awards night", "开场致辞", "影片乙", "=颁奖", "李舞台", "Sam Caller", "Run 1"):
        assert needle in text, needle
    first = next(line for line in text.splitlines() if "开场致辞" in line)
    assert first.split()[-8:] == ["19:00:00", "19:02:00", "5:00", "5:30", "0:30", "over", "GO", "李舞台"]
    assert "2:00 under" in text and "follows" in text and "back" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row
    assert "Helvetica" not in fonts


def cli(app):
    from showcase.shows.commands import show_cli

    if "show" not in app.cli.commands:
        app.cli.add_command(show_cli)
    return app.test_cli_runner()


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_command_writes_the_file(night, app, tmp_path: Path, fmt: str) -> None:
    _, session = night
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"night.{fmt}"
    result = cli(app).invoke(args=["show", "as-run", "--session", str(session.id), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Run 1, 6 cues" in result.output
    data = out.read_bytes()
    if fmt == "csv":
        assert read_csv(data) == EXPECTED
    else:
        assert data.startswith(b"%PDF-")
    assert [p.name for p in folder.iterdir()] == [out.name]  # no temporary file left beside it


def test_command_refuses_a_bad_session_and_writes_nothing(night, app, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "nothing.csv"
    result = cli(app).invoke(args=["show", "as-run", "--session", "999999", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1
    assert "No session with id 999999" in result.output
    assert list(folder.iterdir()) == []


def test_command_refuses_a_run_that_never_happened(night, app, tmp_path: Path) -> None:
    _, session = night
    out = tmp_path / "old.csv"
    out.write_bytes(b"kept")
    args = ["show", "as-run", "--session", str(session.id), "--format", "csv", "--out", str(out), "--run", "4"]
    result = cli(app).invoke(args=args)
    assert result.exit_code == 1
    assert "Run 4 of this show never happened" in result.output
    assert out.read_bytes() == b"kept"


def url(festival, session, fmt: str) -> str:
    return f"/staff/festivals/{festival.slug}/sessions/{session.id}/show/as-run.{fmt}"


def test_viewer_downloads_the_csv_and_the_pdf(night, app) -> None:
    festival, session = night
    email = make_user(role="viewer", email="viewer-asrun@example.org").email
    from showcase.extensions import db

    db.session.commit()
    client = app.test_client()
    assert login(client, email, PASSWORD).status_code == 302
    response = client.get(url(festival, session, "csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="as-run-{festival.slug}-{session.id}-run1.csv"'
    )
    assert read_csv(response.data) == EXPECTED
    response = client.get(url(festival, session, "pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")


def test_download_of_a_show_that_never_ran_or_an_unknown_session(ctx, app) -> None:
    from showcase.extensions import db

    festival = make_festival()
    session = make_session(festival)
    email = make_user(role="viewer").email
    db.session.commit()
    client = app.test_client()
    assert login(client, email, PASSWORD).status_code == 302
    response = client.get(url(festival, session, "csv"))
    assert response.status_code == 404
    assert "has not run yet" in response.get_data(as_text=True)
    unknown = client.get(f"/staff/festivals/{festival.slug}/sessions/999999/show/as-run.pdf")
    assert unknown.status_code == 404


def test_anonymous_download_is_sent_to_login(night, app) -> None:
    festival, session = night
    response = app.test_client().get(url(festival, session, "csv"))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
