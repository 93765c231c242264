"""The cue sheet PDF in the requesting staff member's language; the command line's in English unless asked."""

from __future__ import annotations

import re
import subprocess

from sqlalchemy import select

from tests.conftest import post_form

SLUG = "ai-shorts-2026"


def _ceremony_id(app) -> int:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return db.session.scalars(select(ScheduleSession.id).where(ScheduleSession.kind == "ceremony")).one()


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "cues.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _headings(text: str) -> list[str]:
    """The table's heading row: the first line naming the clock column."""
    line = next(line for line in text.splitlines() if re.search(r"Clock|时刻", line))
    return line.split()


def test_a_chinese_speaking_editor_gets_a_chinese_cue_sheet_and_an_english_one_an_english_sheet(
    demo, client, login_as, tmp_path
):
    url = f"/staff/festivals/{SLUG}/sessions/{_ceremony_id(demo)}/cue-sheet.pdf"
    login_as("editor")
    english = _text(client.get(url).data, tmp_path)
    assert "Cue sheet · 颁奖典礼" in english and "Total " in english
    assert _headings(english) == ["Cue", "Clock", "Item", "Duration", "Starts", "Notes"]
    assert re.search(r"\b(GO|follows)\b", english) and "Sat 12 Dec 2026, 14:00–15:30" in english
    assert "串场单" not in english and "自动接续" not in english

    post_form(client, "/account/language", {"language": "zh", "next": "/staff/"}, token_from="/staff/")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    chinese = _text(response.data, tmp_path)
    assert "串场单 · 颁奖典礼" in chinese and "Cue sheet" not in chinese
    assert _headings(chinese) == ["提示点", "时刻", "条目", "时长", "开始", "备注"]
    assert "2026年12月12日 周六 14:00–15:30" in chinese
    assert "主办方致辞" in chinese and "Welcome address" in chinese  # titles stay in both languages
    assert not re.search(r"\b(Clock|Duration|Starts|Notes|Total|follows|speech|award|film)\b", chinese), chinese


def test_the_command_line_cue_sheet_is_english_unless_asked_for_chinese(demo, tmp_path):
    session_id = _ceremony_id(demo)
    runner = demo.test_cli_runner()
    base = ["programme", "cue-sheet", "--festival", SLUG, "--session", str(session_id)]

    result = runner.invoke(args=[*base, "--out", str(tmp_path / "en.pdf")])
    assert result.exit_code == 0, result.output
    english = _text((tmp_path / "en.pdf").read_bytes(), tmp_path)
    assert _headings(english)[:2] == ["Cue", "Clock"] and "Cue sheet · 颁奖典礼" in english

    result = runner.invoke(args=[*base, "--out", str(tmp_path / "zh.pdf"), "--language", "zh"])
    assert result.exit_code == 0, result.output
    assert "Wrote " in result.output  # the command itself speaks English
    chinese = _text((tmp_path / "zh.pdf").read_bytes(), tmp_path)
    assert _headings(chinese)[:2] == ["提示点", "时刻"] and "串场单 · 颁奖典礼" in chinese


def test_the_command_line_refuses_an_unknown_session_or_language_and_writes_nothing(demo, tmp_path):
    runner = demo.test_cli_runner()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cues.pdf"
    result = runner.invoke(
        args=["programme", "cue-sheet", "--festival", SLUG, "--session", "999999", "--out", str(out)]
    )
    assert result.exit_code == 1 and "No such session" in result.output and not out.exists()
    result = runner.invoke(
        args=["programme", "cue-sheet", "--festival", SLUG, "--session", "1", "--out", str(out), "--language", "fr"]
    )
    assert result.exit_code == 2 and "fr" in result.output and not out.exists()
    assert list(folder.iterdir()) == []  # no partial file either
