"""A service's message reaches a staff page in the reader's language and the command line in English.

Services mark their words with showcase.messages.N_ (English text that keeps its catalogue template and
parameters); the web edge words them with showcase.i18n.translate (forms, flashes, the error page); the
command line and background jobs print them as they are.
"""

from __future__ import annotations

import html
import pickle

from sqlalchemy import select

from showcase.i18n import message_data, translate
from showcase.messages import N_, Message
from tests.conftest import post_form

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_a_message_is_its_english_text_and_keeps_its_template_and_parameters():
    label = N_("Title")
    message = N_("%(label)s is required.", label=label)
    assert message == "Title is required." and isinstance(message, str)
    assert message.template == "%(label)s is required." and message.params == {"label": "Title"}
    again = pickle.loads(pickle.dumps(message))  # noqa: S301 (our own bytes) an RQ job's failure is pickled
    assert again == message and again.template == message.template and again.params["label"].template == "Title"
    assert message_data(message) == {
        "text": "Title is required.",
        "template": "%(label)s is required.",
        "params": {"label": "Title"},
    }
    assert message_data("plain") == {"text": "plain"}


def test_translate_words_a_message_in_the_request_language_and_english_elsewhere(app):
    message = N_("%(label)s is required.", label=N_("Title"))
    with_user_text = Message("“%(title)s” has no running order yet.", {"title": "Running order"})
    assert translate(message) == "Title is required."  # no app at all: the command line
    with app.app_context():
        assert translate(message) == "Title is required."  # a background job
    with app.test_request_context("/staff/", headers=ZH):
        assert translate(message) == "请填写片名。"  # the parameter that is a message is translated too
        assert translate(with_user_text) == "“Running order”还没有放映顺序。"  # user text stays as it is
        assert translate("Words no catalogue knows") == "Words no catalogue knows"
    with app.test_request_context("/staff/", headers={"Accept-Language": "en"}):
        assert translate(message) == "Title is required."


def _kiosk_id(app) -> int:
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    with app.app_context():
        return db.session.scalar(select(Kiosk.id).where(Kiosk.name == "hall-1"))


def test_a_services_refusal_is_flashed_in_chinese_to_a_chinese_speaking_editor(demo, client, login_as):
    login_as("editor")
    post_form(client, "/account/language", {"language": "zh", "next": "/staff/"}, token_from="/staff/")
    url = f"/staff/kiosks/{_kiosk_id(demo)}/commands"
    response = post_form(client, url, {"command": "jump", "item_key": ""}, token_from="/staff/kiosks/")
    assert response.status_code == 303
    page = html.unescape(client.get("/staff/kiosks/").get_data(as_text=True))
    assert "请选择要跳转到的条目。" in page and "Choose the item to jump to" not in page


def test_a_services_field_errors_show_on_the_form_in_the_readers_language(demo, client, login_as):
    login_as("editor")
    url = "/staff/festivals/ai-shorts-2026/awards/categories"
    english = post_form(client, url, {"name": " "}, token_from="/staff/festivals/ai-shorts-2026/awards/")
    assert english.status_code == 400 and "Category name is required." in html.unescape(english.get_data(as_text=True))
    post_form(client, "/account/language", {"language": "zh", "next": "/staff/"}, token_from="/staff/")
    chinese = post_form(client, url, {"name": " "}, token_from="/staff/festivals/ai-shorts-2026/awards/")
    assert chinese.status_code == 400
    page = html.unescape(chinese.get_data(as_text=True))
    assert "请填写奖项名称。" in page and "is required" not in page, page[page.find("form-errors") :][:400]


def test_the_command_line_keeps_the_services_english(demo):
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["kiosks", "add", "hall-1"])
    assert result.exit_code == 1
    assert "A kiosk named “hall-1” exists already." in result.output


def test_error_pages_speak_the_readers_language_and_json_stays_english(client, login_as):
    login_as("viewer")
    post_form(client, "/account/language", {"language": "zh", "next": "/staff/"}, token_from="/staff/")
    missing = client.get("/staff/no-such-page")
    page = html.unescape(missing.get_data(as_text=True))
    assert missing.status_code == 404 and "<h1>未找到</h1>" in page and "这个地址没有内容。" in page
    refused = html.unescape(client.get("/staff/users").get_data(as_text=True))
    assert "这个页面需要 admin 角色。" in refused and "needs the" not in refused
    answer = client.get("/staff/no-such-page", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.json["error"] == "Not found"
    assert answer.json["message"].startswith("There is nothing at this address.")
