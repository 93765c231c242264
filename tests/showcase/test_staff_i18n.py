"""Staff pages in Chinese or English: the account's language, else the browser's, else English."""

from __future__ import annotations

import html
import re
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import csrf_token, login, post_form


def text(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def language_of(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', page)
    assert match
    return match.group(1)


ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def choose(client, language: str, back_to: str = "/staff/"):
    return post_form(client, "/account/language", {"language": language, "next": back_to}, token_from="/staff/")


def test_english_without_a_browser_language_and_the_browser_language_before_a_choice(client, login_as):
    assert language_of(text(client, "/login", **{"Accept-Language": "zh-CN"})) == "zh-Hans"
    assert language_of(text(client, "/login")) == "en"
    login_as("viewer")
    assert language_of(text(client, "/staff/")) == "en"
    assert language_of(text(client, "/staff/", **{"Accept-Language": "zh-CN,zh;q=0.9"})) == "zh-Hans"
    assert language_of(text(client, "/staff/", **{"Accept-Language": "fr"})) == "en"


def test_the_chosen_language_is_stored_with_the_account_and_beats_the_browser(app, client, make_user):
    email = make_user("viewer")
    login(client, email)
    response = choose(client, "zh", back_to="/staff/users?x=1")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/users?x=1"
    assert language_of(text(client, "/staff/", **{"Accept-Language": "en"})) == "zh-Hans"

    other = app.test_client()  # another browser of the same person
    login(other, email)
    assert language_of(text(other, "/staff/", **{"Accept-Language": "en-GB"})) == "zh-Hans"

    choose(client, "en")
    assert language_of(text(client, "/staff/", **{"Accept-Language": "zh"})) == "en"
    choose(client, "")  # none: follow the browser again
    assert language_of(text(client, "/staff/", **{"Accept-Language": "zh"})) == "zh-Hans"


def test_the_switch_is_a_post_form_with_csrf_offering_the_other_language(client, login_as):
    login_as("viewer")
    page = text(client, "/staff/")
    form = re.search(r'<form method="post" action="/account/language".*?</form>', page, re.S)
    assert form and 'name="csrf_token"' in form.group(0)
    assert 'name="language" value="zh"' in form.group(0) and ">中文</button>" in form.group(0)
    choose(client, "zh")
    assert 'name="language" value="en" lang="en">English</button>' in text(client, "/staff/")


def test_the_switch_refuses_a_missing_token_an_unknown_language_and_a_foreign_next(client, login_as):
    login_as("viewer")
    assert client.post("/account/language", data={"language": "zh"}).status_code == 400
    response = choose(client, "fr", back_to="//evil.example/")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    assert language_of(text(client, "/staff/")) == "en"


def test_signed_out_no_switch_and_guest_pages_keep_their_own_rule(client, login_as):
    assert "/account/language" not in text(client, "/login")
    assert client.post("/account/language", data={"language": "zh"}).status_code in (302, 400)
    login_as("viewer")
    choose(client, "en")
    guest = text(client, "/", **{"Accept-Language": "zh-CN"})
    assert '<html lang="zh-Hans">' in guest  # a guest page follows ?lang and the browser, not the account


# --- the catalogue and the templates -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "showcase" / "translations"
TEMPLATES = ROOT / "templates"

# Staff templates whose every visible string goes through gettext. The list grows page by page; a template
# on it with a word outside _() fails test_no_template_string_outside_gettext.
COMPLETE = [
    "base.html",
    "_confirm.html",
    "_danger.html",
    "_forms.html",
    "_picker.html",
    "_tables.html",
    "errors/error.html",
    "auth/change_password.html",
    "auth/create_user.html",
    "auth/list_users.html",
    "auth/login.html",
    "workspace/dashboard.html",
    "workspace/list_films.html",
    "workspace/show_festival.html",
    "workspace/show_film.html",
    "festivals/_festival_nav.html",
    "festivals/create_festival.html",
    "festivals/edit_festival.html",
    "films/_films_table.html",
    "films/create_film.html",
    "films/edit_film.html",
    "films/import_films.html",
    "films/_upload_form.html",
    "films/_workspace_head.html",
    "films/_workspace_links.html",
    "schedule/_clashes.html",
    "schedule/_schedule_views.html",
    "schedule/_session_head.html",
    "schedule/_sessions_table.html",
    "schedule/create_session.html",
    "schedule/edit_running_order.html",
    "schedule/edit_session.html",
    "schedule/list_sessions.html",
    "schedule/show_cue_sheet.html",
    "schedule/show_grid.html",
    "awards/edit_award.html",
    "awards/edit_category.html",
    "awards/list_awards.html",
    "kiosks/export_playlist.html",
    "kiosks/list_playlists.html",
    "kiosks/show_playlist.html",
    "kiosks/_kiosk_status.html",
    "kiosks/control_room.html",
    "jobs/show_job.html",
    "programmes/show_programme.html",
    "shows/_show.html",
    "shows/show_caller.html",
    "shows/show_stage.html",
    "schedule/edit_session_people.html",
    "jury/home.html",
    "jury/show_round.html",
    "jury/score_film.html",
    "jury/list_rounds.html",
    "jury/show_results.html",
    "jury/propose_winners.html",
]
# Shown as they are on purpose: the brand, the name of the language the switch offers, a language tag, the names
# of file formats, and the stage manager's GO (the same word in a Chinese-speaking crew).
UNTRANSLATED = {"showcase", "English", "中文", "zh-Hans", "PNG", "SVG", "GO"}

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"')
LITERAL = re.compile(r"""(==\s*|!=\s*)?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def outside_gettext(source: str) -> list[str]:
    """Words a reader would see that no _() / ngettext() wraps: text between tags, visible attributes, and
    string literals in Jinja code that look like prose (a capitalised word) and are not gettext's arguments."""
    found = []
    for value in VISIBLE_ATTRIBUTES.findall(source):
        if re.search(r"[A-Za-z]", JINJA.sub("", value)):
            found.append(value)
    text = re.sub(r"<[^>]*>", " ", JINJA.sub(" ", source))
    found += [word for word in re.findall(r"[A-Za-z][\w'’-]*", text) if word not in UNTRANSLATED]
    for code in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, re.S):
        for match in LITERAL.finditer(code):
            literal = match.group(2)[1:-1]
            wrapped = re.search(r"(?:\b_|ngettext|gettext)\(\s*$", code[: match.start(2)])
            if match.group(1) or wrapped or not re.search(r"[A-Za-z]", literal):
                continue  # compared with, or gettext's own argument, or no words
            if re.search(r"\b[A-Z][a-z]+", literal) and "%" not in literal and literal not in UNTRANSLATED:
                found.append(literal)  # prose; not a class name, an endpoint or a strftime format
    return found


def test_no_template_string_outside_gettext():
    leftovers = {name: outside_gettext((TEMPLATES / name).read_text(encoding="utf-8")) for name in COMPLETE}
    assert {name: words for name, words in leftovers.items() if words} == {}


def test_the_check_finds_an_unwrapped_string():
    assert outside_gettext("<h1>Films</h1><p>showcase</p>") == ["Films"]
    assert outside_gettext('<a title="Drag me">x</a>') == ["Drag me", "x"]
    assert outside_gettext("<p>Total {{ n }} films</p>") == ["Total", "films"]
    assert outside_gettext("{{ render_form(form, submit='Save film') }}") == ["Save film"]
    assert outside_gettext("<h1>{{ _('Films') }}</h1>{{ render_form(form, submit=_('Save film')) }}") == []


def test_every_staff_template_string_is_in_the_catalogue():
    with open(TRANSLATIONS / "messages.pot", "rb") as fh:
        catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    used = set()
    for name in COMPLETE:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:_|ngettext)\('((?:[^'\\]|\\.)*)'""", source))
    assert used - catalogue == set(), "run python showcase/translations/update.py"


def test_every_message_has_chinese_including_plurals():
    with open(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalogue = read_po(fh)
    untranslated = [
        m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    assert len(catalogue) > 300  # guest and staff messages in one catalogue


# --- the most used pages in Chinese ----------------------------------------------------------------------------

SLUG = "ai-shorts-2026"


def _demo_ids(app) -> dict[str, int]:
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return {
            "session": db.session.scalars(select(ScheduleSession).where(ScheduleSession.kind == "ceremony")).one().id,
            "film": db.session.scalars(select(Film).order_by(Film.id)).first().id,
        }


def test_a_chinese_speaking_editor_sees_chinese_navigation_and_titles(app, client, demo, login_as):
    login_as("editor")
    choose(client, "zh")
    ids = _demo_ids(app)
    base = f"/staff/festivals/{SLUG}"
    pages = {
        "/staff/": ("<title>影展 · showcase</title>", "<h1>影展</h1>"),
        f"{base}/films/": ("<h1>影片</h1>", "全部影片", "片长"),
        f"{base}/films/{ids['film']}": ("<dt>片长</dt>", "<h2>剧情简介</h2>", "编辑影片"),
        f"{base}/sessions/": ("<h1>日程</h1>", "新建场次", "串场单"),
        f"{base}/sessions/grid": ("<h1>日程</h1>", "当天场次"),
        f"{base}/sessions/{ids['session']}/running-order": ("<h1>放映顺序 · ", "保存放映顺序", "添加到串场单"),
        f"{base}/sessions/{ids['session']}/cue-sheet": ("<title>串场单 · ", "下载 PDF", '<th scope="col">提示点</th>'),
        f"{base}/awards/": ("<h1>奖项与获奖影片</h1>", "添加获奖影片", "新建奖项"),
    }
    for url, expected in pages.items():
        page = text(client, url)
        assert language_of(page) == "zh-Hans", url
        for nav in (">影展</a>", ">控制室</a>", ">退出登录</button>"):
            assert nav in page, (url, nav)
        if "/staff/festivals/" in url and not url.endswith("cue-sheet"):  # the cue sheet prints without it
            for nav in (">概览</a>", ">影片</a>", ">获奖</a>", ">日程</a>", ">节目单</a>"):
                assert nav in page, (url, nav)
        for words in expected:
            assert words in page, (url, words)
    choose(client, "en")
    page = text(client, f"{base}/awards/")
    assert "<h1>Awards & winners</h1>" in page and ">Control room</a>" in page and "控制室" not in page


def test_flash_messages_and_form_labels_follow_the_language(client, login_as):
    login_as("admin")
    choose(client, "zh")
    page = text(client, "/staff/users/new")
    assert '<label for="email">电子邮箱</label>' in page and "初始密码" in page and ">创建账号</button>" in page
    response = post_form(client, "/logout", {}, token_from="/staff/")
    assert response.status_code == 302
    assert "你已退出登录。" in text(client, "/login", **{"Accept-Language": "zh-CN"})


def test_dates_name_their_day_and_month_in_the_chosen_language(client, demo, login_as):
    login_as("viewer")
    grid = f"/staff/festivals/{SLUG}/sessions/grid?day=2026-12-12"
    english = text(client, grid)
    assert re.search(r'aria-current="date">Sat 12 Dec</a>', english)
    assert "Saturday 12 December 2026 — times in Asia/Shanghai" in english
    assert re.search(r"<td>Sat 12 Dec \d\d:\d\d–\d\d:\d\d</td>", english)
    choose(client, "zh")
    chinese = text(client, grid)
    assert re.search(r'aria-current="date">12月12日 周六</a>', chinese)
    assert "2026年12月12日 星期六 — 时间为 Asia/Shanghai" in chinese
    assert re.search(r"<td>12月12日 周六 \d\d:\d\d–\d\d:\d\d</td>", chinese)


def test_outside_a_request_gettext_stays_english(app):
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Running order") == "Running order"
    with app.test_request_context("/staff/", headers={"Accept-Language": "zh"}):
        assert gettext("Running order") == "放映顺序"


def test_a_refused_sign_in_is_worded_in_the_browser_language(client, make_user):
    email = make_user("viewer")
    form = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": "wrong password!"}
    english = client.post("/login", data=form).get_data(as_text=True)
    assert "Wrong e-mail address or password." in english
    chinese = html.unescape(client.post("/login", data=form, headers=ZH).get_data(as_text=True))
    assert "电子邮箱或密码错误。" in chinese and "Wrong e-mail" not in chinese


def test_the_live_pages_job_page_and_programme_page_in_chinese_carry_their_scripts_words(app, client, demo, login_as):
    import json

    login_as("editor")
    choose(client, "zh")
    session = _demo_ids(app)["session"]
    show = f"/staff/festivals/{SLUG}/sessions/{session}/show"
    pages = {
        "/staff/kiosks/": ("<h1>控制室</h1>", "尚无心跳", ">下一项<span"),
        f"{show}/": ("<dt>下一项</dt>", ">待命</span>", "还没有人掌握 GO：第一个按 GO 的人获得它。", "等 GO"),
        f"{show}/stage": ('<html lang="zh-Hans">', "<title>主持人视图 · ", ">待命<", ">下一项</span>"),
        f"/staff/festivals/{SLUG}/programme/": ("<h1>印刷节目单</h1>", ">生成 PDF</button>", "<h2>二维码</h2>"),
    }
    for url, expected in pages.items():
        page = text(client, url)
        for words in expected:
            assert words in page, (url, words)
        block = re.search(r'<script type="application/json" id="words">(.*?)</script>', page, re.S)
        if url.endswith("/programme/"):
            assert block is None  # no script writes words there
            continue
        words = json.loads(block.group(1))  # data for words.js, translated on the server
        assert all(isinstance(v, str) and v for k, v in words.items() if k != "labels"), url
        if "kiosks" in url:
            assert words["heartbeat %(seconds)s s ago"] == "心跳 %(seconds)s 秒前"
            assert words["labels"]["kiosk_state"]["no signal"] == "无信号"
        else:
            assert words["GO held by %(name)s (you)"] == "GO 由 %(name)s 掌握（你）"
            assert words["labels"]["show_state"]["running"] == "进行中"
            assert words["Cue %(cue)s is %(over)s over its planned time."].startswith("第 %(cue)s 项")
