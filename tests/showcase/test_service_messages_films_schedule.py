"""Films, the schedule and the programme speak to staff in their language, and to the command line in English.

A Chinese-speaking editor (the language chosen with POST /account/language) reads a film form's refusals, a
session form's, a running order's and a programme build's in Chinese; an English-speaking one reads the same
refusals in English; `showcase films import` and `showcase programme build` keep printing English.
"""

from __future__ import annotations

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from showcase.messages import N_
from tests.conftest import csrf_token, post_form
from tests.showcase.films.support import csv_bytes
from tests.showcase.jobs.support import wait_for_job
from tests.showcase.schedule.conftest import builder_form, item_titles, session_id_of

SLUG = "ai-shorts-2026"
FILMS = f"/staff/festivals/{SLUG}/films"
SESSIONS = f"/staff/festivals/{SLUG}/sessions"
PROGRAMME = f"/staff/festivals/{SLUG}/programme"
FILM = {"title": "新片", "title_en": "A New Film", "runtime_seconds": "300", "status": "submitted"}
SESSION = {"title": "加映", "kind": "screening", "starts_at": "2026-12-12T14:30", "ends_at": "2026-12-12T15:15"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _choose(client, language: str) -> None:
    response = post_form(client, "/account/language", {"language": language, "next": "/staff/"}, token_from="/staff/")
    assert response.status_code in (302, 303)


@pytest.fixture(params=["zh", "en"])
def editor(request, client, demo, login_as):
    """An editor who chose Chinese, or English, for their staff pages: (client, language)."""
    login_as("editor")
    _choose(client, request.param)
    return client, request.param


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(app, model) -> int:
    from sqlalchemy import func, select

    from showcase.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# What each refusal says, in each language.
WORDS = {
    "runtime": {
        "zh": "片长超过 10 小时：请检查数值。",
        "en": "The running time is longer than 10 hours: check the value.",
    },
    "title": {
        "zh": "原片名有 501 个字符，上限为 500 个。",
        "en": "Original title is 501 characters long; the limit is 500.",
    },
    "year": {
        "zh": "1800 不是合理的年份：必须在 1888 至",
        "en": "1800 is not a plausible year: it must be between 1888 and",
    },
    "ends": {"zh": "场次的结束时间必须晚于开始时间。", "en": "The session must end after it starts."},
    "clash": {
        "zh": "此场次与其他场次冲突（1 处冲突，见下方列表）。",
        "en": "This session clashes with other sessions (1 conflict, listed below).",
    },
    "overlaps": {"zh": "与«颁奖典礼»（", "en": "Overlaps «颁奖典礼» ("},
    "item": {"zh": "第 1 项：时长不能为负数。", "en": "Item 1: The duration cannot be negative."},
    "kind": {"zh": "第 1 项：未知类型“juggling”", "en": "Item 1: unknown kind “juggling”"},
    "base_url": {
        "zh": "无法生成节目单：影展没有用于二维码的公开网址：请先在影展设置中填写。",
        "en": "The programme could not be built: the festival has no public base URL for its QR codes: "
        "set it in the festival settings first.",
    },
}


def _other(language: str) -> str:
    return "en" if language == "zh" else "zh"


def test_a_film_forms_refusals_are_in_the_editors_language_and_nothing_is_written(editor):
    from showcase.films.models import Film

    client, language = editor
    before = _count(client.application, Film)
    bad = {**FILM, "title": "长" * 501, "runtime_seconds": str(11 * 3600), "year": "1800"}
    response = post_form(client, f"{FILMS}/new", bad)
    assert response.status_code == 400
    page = _text(response)
    for key in ("runtime", "title", "year"):
        assert WORDS[key][language] in page, key
        assert WORDS[key][_other(language)] not in page, key
    assert _count(client.application, Film) == before


def test_a_session_forms_refusals_are_in_the_editors_language(editor):
    from showcase.schedule.models import ScheduleSession

    client, language = editor
    app = client.application
    before = _count(app, ScheduleSession)
    response = post_form(client, f"{SESSIONS}/new", {**SESSION, "ends_at": "2026-12-12T13:00"})
    assert response.status_code == 400
    page = _text(response)
    assert WORDS["ends"][language] in page and WORDS["ends"][_other(language)] not in page

    with app.app_context():
        from showcase.festivals.services import get_festival

        screen = str(get_festival(SLUG).screens[0].id)
    clash = post_form(client, f"{SESSIONS}/new", {**SESSION, "screen_id": screen})
    assert clash.status_code == 409
    page = _text(clash)
    for key in ("clash", "overlaps"):
        assert WORDS[key][language] in page and WORDS[key][_other(language)] not in page, key
    assert _count(app, ScheduleSession) == before


def _post_order(client, session_id: int, fields) -> object:
    path = f"{SESSIONS}/{session_id}/running-order"
    data = MultiDict([("csrf_token", csrf_token(client, path)), *fields, ("op", "save")])
    return client.post(path, data=data)


@pytest.mark.parametrize(
    ("field", "value", "key"), [("item_duration", "-1:00", "item"), ("item_kind", "juggling", "kind")]
)
def test_a_running_orders_refusal_is_in_the_editors_language(editor, field, value, key):
    client, language = editor
    app = client.application
    ceremony = session_id_of(app, "ceremony")
    with app.app_context():
        stored = item_titles(ceremony)
    fields = builder_form(app, ceremony)
    first = next(n for n, (name, _value) in enumerate(fields) if name == field)
    fields[first] = (field, value)
    response = _post_order(client, ceremony, fields)
    assert response.status_code == 400
    page = _text(response)
    assert WORDS[key][language] in page and WORDS[key][_other(language)] not in page
    with app.app_context():
        assert item_titles(ceremony) == stored


OPERATIONS = {
    "up:99": {"zh": "该条目已不在放映顺序中。", "en": "that item is no longer in the running order."},
    "fill": {"zh": "未知顺序“alphabetical”（应为", "en": "Unknown order “alphabetical” (expected one of"},
}


@pytest.mark.parametrize("op", OPERATIONS)
def test_a_refused_running_order_operation_is_said_in_the_editors_language(editor, op):
    client, language = editor
    ceremony = session_id_of(client.application, "ceremony")
    path = f"{SESSIONS}/{ceremony}/running-order"
    data = MultiDict([("csrf_token", csrf_token(client, path)), *builder_form(client.application, ceremony)])
    data.add("fill_mode", "alphabetical")
    data.add("op", op)
    response = client.post(path, data=data)
    assert response.status_code == 400
    page = _text(response)
    words = OPERATIONS[op]
    assert words[language] in page and words[_other(language)] not in page


def _without_base_url(app) -> None:
    from showcase.extensions import db
    from showcase.festivals.services import get_festival

    with app.app_context():
        get_festival(SLUG).public_base_url = ""
        db.session.commit()


def test_a_programme_build_refusal_is_in_the_editors_language_and_starts_no_job(editor):
    from showcase.jobs.models import Job

    client, language = editor
    _without_base_url(client.application)
    before = _count(client.application, Job)
    token = csrf_token(client, f"{PROGRAMME}/")
    response = client.post(f"{PROGRAMME}/build", data={"csrf_token": token, "action": "build", "size": "a5"})
    assert response.status_code == 400
    page = _text(response)
    assert WORDS["base_url"][language] in page and WORDS["base_url"][_other(language)] not in page
    assert _count(client.application, Job) == before


def test_a_finished_builds_stored_summary_is_read_in_the_editors_language(editor):
    client, language = editor
    token = csrf_token(client, f"{PROGRAMME}/")
    response = client.post(f"{PROGRAMME}/build", data={"csrf_token": token, "action": "build", "size": "a5"})
    assert response.status_code == 303
    status = wait_for_job(client, response.headers["Location"])
    assert status["state"] == "done", status
    summary = {"zh": r"^共 \d+ 页，\d+ 部影片。", "en": r"^\d+ pages, \d+ films\."}
    assert re.match(summary[language], status["summary"]), status["summary"]
    progress = {"zh": "正在排版影片页面", "en": "Laying out the film pages"}
    assert progress[language] in {seen["message"] for seen in status["seen"]} | {status["message"]}

    from showcase.extensions import db
    from showcase.jobs.models import Job

    with client.application.app_context():  # stored in English, whoever asked
        assert re.match(summary["en"], db.session.get(Job, status["id"]).summary)


def test_a_stored_reason_is_read_back_through_its_template(app):
    from showcase.jobs.views import stored_words

    reason = N_(
        "The programme could not be built: %(problem)s.",
        problem=N_("unknown page size %(size)r: use a5 or a4", size="a3"),
    )
    summary = N_(
        "%(summary)s Warnings: %(warnings)s",
        summary=N_("%(summary)s Ready for press.", summary=N_("%(pages)s pages, %(films)s films.", pages=12, films=7)),
        warnings="AB12: the poster is missing",
    )
    with app.test_request_context("/staff/", headers={"Accept-Language": "zh"}):
        assert stored_words(str(reason)) == "无法生成节目单：未知页面尺寸 'a3'：请使用 a5 或 a4。"
        assert stored_words(str(summary)) == "共 12 页，7 部影片。 可以付印。 警告：AB12: the poster is missing"
        assert stored_words("Reading the festival") == "正在读取影展"
        assert stored_words("Words no catalogue knows") == "Words no catalogue knows"
        assert stored_words("") == ""
    with app.test_request_context("/staff/", headers={"Accept-Language": "en"}):
        assert stored_words(str(reason)) == str(reason)


def test_a_clashs_words_and_a_running_orders_changes_keep_english_for_everything_else():
    from showcase.schedule.order_diff import diff_running_orders

    before = [{"id": 1, "kind": "speech", "title": "致辞", "planned_seconds": 60}]
    after = [{"id": 1, "kind": "speech", "title": "Welcome", "planned_seconds": 120}]
    edited = diff_running_orders(before, after)["edited"]
    assert edited == ["«Welcome» (speech): duration 1:00 → 2:00; title “致辞” → “Welcome”"]
    assert edited[0].template == "%(item)s: %(changes)s"


def test_the_command_line_keeps_english(demo, tmp_path):
    bad = tmp_path / "films.csv"
    bad.write_bytes(csv_bytes("AI-901,星辰,Stars,张三,11:00:00,a@example.cn"))
    runner = demo.test_cli_runner()
    imported = runner.invoke(args=["films", "import", str(bad), "--festival", SLUG])
    assert imported.exit_code == 1, imported.output
    assert "The running time is longer than 10 hours: check the value." in imported.output
    assert "片长超过" not in imported.output

    _without_base_url(demo)
    built = runner.invoke(args=["programme", "build", "--festival", SLUG, "--out", str(tmp_path / "p.pdf")])
    assert built.exit_code == 1, built.output
    assert "the festival has no public base URL for its QR codes" in built.output
    assert not CJK.search(built.output), built.output
    assert not (tmp_path / "p.pdf").exists()
