"""The builder as a plain form (no JavaScript): moves, adds, fill, save, stale saves; the cue sheet page and PDF."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token, login
from tests.showcase.schedule.conftest import SLUG, audit_count, builder_form, item_titles, session_id_of

BASE = f"/staff/festivals/{SLUG}/sessions"


@pytest.fixture
def ceremony(app, editor_client) -> int:
    return session_id_of(app, "ceremony")


def _path(session_id: int) -> str:
    return f"{BASE}/{session_id}/running-order"


def _post(app, client, session_id: int, op: str, *, fields=None, extra=()):
    fields = fields if fields is not None else builder_form(app, session_id)
    data = MultiDict([("csrf_token", csrf_token(client, _path(session_id))), *fields, *extra, ("op", op)])
    return client.post(_path(session_id), data=data)


def _shown_titles(html: str) -> list[str]:
    return re.findall(r'name="item_title" value="([^"]*)"', html)


def _stored(app, session_id: int) -> list[str]:
    with app.app_context():
        return item_titles(session_id)


def test_the_builder_shows_cues_offsets_and_festival_clock_times(app, editor_client, ceremony):
    html = editor_client.get(_path(ceremony)).get_data(as_text=True)
    assert re.findall(r'class="ro-clock">([^<]+)<', html)[:4] == ["14:00", "14:01", "14:06", "14:08"]
    assert re.findall(r'class="ro-offset">([^<]+)<', html)[:3] == ["+0:00", "+1:00", "+6:00"]
    assert 'data-zone="Asia/Shanghai"' in html
    assert "24:15 left" in html


def test_move_up_without_javascript_shows_the_new_order_unsaved(app, editor_client, ceremony):
    stored = _stored(app, ceremony)
    response = _post(app, editor_client, ceremony, "up:1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _shown_titles(html)[:2] == [stored[1], stored[0]]
    assert "Not saved yet" in html
    assert re.findall(r'class="ro-clock">([^<]+)<', html)[:2] == ["14:00", "14:05"]
    assert _stored(app, ceremony) == stored


def test_remove_and_move_down_work_on_the_posted_list(app, editor_client, ceremony):
    stored = _stored(app, ceremony)
    html = _post(app, editor_client, ceremony, "remove:0").get_data(as_text=True)
    assert _shown_titles(html) == stored[1:]
    html = _post(app, editor_client, ceremony, "down:0").get_data(as_text=True)
    assert _shown_titles(html)[:2] == [stored[1], stored[0]]


def test_save_writes_the_posted_order_and_audits_it(app, editor_client, ceremony):
    fields = builder_form(app, ceremony)
    stored = _stored(app, ceremony)
    titles = [v for k, v in fields if k == "item_title"]
    fields = [(k, "Welcome, revised" if (k == "item_title" and v == titles[1]) else v) for k, v in fields]
    response = _post(app, editor_client, ceremony, "save", fields=fields)
    assert response.status_code == 302
    assert _stored(app, ceremony) == [stored[0], "Welcome, revised", *stored[2:]]
    with app.app_context():
        assert audit_count("running_order") == 1
    assert "Running order saved." in editor_client.get(response.headers["Location"]).get_data(as_text=True)


def test_add_a_film_in_two_clicks_then_fill_from_winners(app, editor_client):
    panel = session_id_of(app, "panel")
    html = editor_client.get(_path(panel)).get_data(as_text=True)
    film_op = re.search(r'name="op" value="(add-film:\d+)"', html).group(1)
    html = _post(app, editor_client, panel, film_op).get_data(as_text=True)
    assert len(_shown_titles(html)) == 1 and "Added the film" in html
    fields = [(k, v) for k, v in re.findall(r'<input type="hidden" name="(item_\w+)" value="([^"]*)"', html)]
    assert ("item_kind", "film") in fields


def test_fill_from_winners_inserts_announcements_and_films_in_the_chosen_order(app, editor_client):
    panel = session_id_of(app, "panel")
    html = _post(app, editor_client, panel, "fill", extra=[("fill_mode", "highest_first")]).get_data(as_text=True)
    titles = _shown_titles(html)
    assert titles[:2] == ["主竞赛单元 · 一等奖", "烟花之下是我家"]
    assert "Added 12 items from the winners." in html
    assert _stored(app, panel) == []  # shown, not saved


@pytest.mark.parametrize(
    ("op", "extra", "message"),
    [
        ("add", [("new_kind", "juggling"), ("new_title", "x"), ("new_duration", "1:00")], "unknown item kind"),
        ("add", [("new_kind", "speech"), ("new_title", "x"), ("new_duration", "-2:00")], "cannot be negative"),
        ("up:99", [], "no longer in the running order"),
        ("explode", [], "unknown action"),
        ("fill", [("fill_mode", "alphabetical")], "Unknown order"),
    ],
)
def test_bad_actions_are_refused_clearly(app, editor_client, ceremony, op, extra, message):
    stored = _stored(app, ceremony)
    response = _post(app, editor_client, ceremony, op, extra=extra)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _stored(app, ceremony) == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("item_duration", "-1:00", "Item 1: The duration cannot be negative."),
        ("item_duration", "abc", "Item 1: “abc” is not a duration"),
        ("item_kind", "juggling", "Item 1: unknown kind “juggling”"),
    ],
)
def test_bad_items_keep_the_edit_and_write_nothing(app, editor_client, ceremony, field, value, message):
    stored = _stored(app, ceremony)
    fields = builder_form(app, ceremony)
    first = next(n for n, (k, _) in enumerate(fields) if k == field)
    fields[first] = (field, value)
    response = _post(app, editor_client, ceremony, "save", fields=fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{value}"' in html  # what was typed is still there to correct
    assert _stored(app, ceremony) == stored


def test_a_truncated_post_is_refused(app, editor_client, ceremony):
    fields = [f for f in builder_form(app, ceremony) if f[0] != "item_notes"]
    response = _post(app, editor_client, ceremony, "save", fields=fields)
    assert response.status_code == 400
    assert "arrived incomplete" in response.get_data(as_text=True)


def test_a_stale_save_shows_the_colleagues_changes_and_keeps_mine(app, client, editor_client, ceremony):
    opened = builder_form(app, ceremony)
    colleague = app.test_client()
    assert login(colleague, make_user_email(app)).status_code == 302
    theirs = [(k, "Their welcome" if v == "主办方致辞" else v) for k, v in opened]
    assert _post(app, colleague, ceremony, "save", fields=theirs).status_code == 302
    mine = [(k, "My closing words" if v == "闭幕致辞" else v) for k, v in opened]
    response = _post(app, editor_client, ceremony, "save", fields=mine)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this running order since you opened it" in html
    assert "What your colleague changed" in html and "title “主办方致辞” → “Their welcome”" in html
    assert "My closing words" in _shown_titles(html)
    assert "Their welcome" in _stored(app, ceremony)
    # Saving again from the page replaces their version knowingly.
    version = re.search(r'id="ro-version"[^>]*value="(\d+)"|value="(\d+)"[^>]*id="ro-version"', html)
    fresh = [(k, v) for k, v in mine if k != "running_order_version"]
    fresh.append(("running_order_version", next(g for g in version.groups() if g)))
    assert _post(app, editor_client, ceremony, "save", fields=fresh).status_code == 302
    assert "My closing words" in _stored(app, ceremony)


def make_user_email(app) -> str:
    from showcase.auth.services import create_user
    from showcase.extensions import db
    from tests.conftest import PASSWORD

    with app.app_context():
        user = create_user(email="colleague@example.org", name="Colleague", role="editor", password=PASSWORD)
        db.session.commit()
        return user.email


def test_cue_sheet_page_lists_cues_with_clock_times_and_prints(app, editor_client, ceremony):
    html = editor_client.get(f"{BASE}/{ceremony}/cue-sheet").get_data(as_text=True)
    assert re.findall(r'<td class="num">(\d+)</td>\s*<td class="num">([^<]+)</td>', html)[:3] == [
        ("1", "14:00"),
        ("2", "14:01"),
        ("3", "14:06"),
    ]
    assert 'href="/static/css/print.css" media="print"' in html
    assert "Download PDF" in html


def test_cue_sheet_pdf_has_the_cues_and_only_embedded_fonts(app, editor_client, ceremony, tmp_path):
    response = editor_client.get(f"{BASE}/{ceremony}/cue-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "cues.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cue sheet · 颁奖典礼" in text and "主办方致辞" in text and "Welcome address" in text
    assert re.search(r"^\s*2\s+14:01\s+主办方致辞\s+5:00", text, re.M)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts
    assert "Helvetica" not in fonts


def test_cue_sheet_pdf_escapes_markup_in_notes(app, editor_client, ceremony):
    from pypdf import PdfReader

    fields = [
        (k, '<font name="x">1 & 2</font> <a href="http://example.org">x</a>' if k == "item_notes" else v)
        for k, v in builder_form(app, ceremony)
    ]
    assert _post(app, editor_client, ceremony, "save", fields=fields).status_code == 302
    data = editor_client.get(f"{BASE}/{ceremony}/cue-sheet.pdf").data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert '<font name="x">1 & 2</font>' in text.replace("\n", "")
