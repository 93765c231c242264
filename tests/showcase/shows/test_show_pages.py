"""The caller's and the presenter's pages: viewers watch, editors act, plain forms work, a double GO moves one cue."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from showcase.audit.models import AuditLog
from showcase.extensions import db
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.shows.models import CueRun, Show
from tests.conftest import csrf_token, login

SLUG = "ai-shorts-2026"
FLASH = re.compile(r'<p class="flash flash-(\w+)" role="status">([^<]*)</p>')


@pytest.fixture
def ceremony(demo) -> dict:
    """The demo ceremony: its show's URLs and its cues (id, title) in running order."""
    with demo.app_context():
        session = db.session.scalar(select(ScheduleSession).where(ScheduleSession.title_en == "Awards Ceremony"))
        cues = [(item.id, item.title) for item in session.items]
        base = f"/staff/festivals/{SLUG}/sessions/{session.id}/show"
        return {"id": session.id, "base": base, "cues": cues}


def _show(app) -> Show | None:
    with app.app_context():
        show = db.session.scalar(select(Show))
        if show is not None:
            db.session.expunge(show)
        return show


def _runs(app) -> list[int]:
    """The cues of the as-run log, by running-order item id."""
    with app.app_context():
        return list(db.session.scalars(select(CueRun.item_id).order_by(CueRun.id)))


def _flashes(client, path: str) -> list[tuple[str, str]]:
    return [(kind, html.unescape(text)) for kind, text in FLASH.findall(client.get(path).get_data(as_text=True))]


def _post(client, ceremony, command: str, data: dict | None = None, *, json_answer: bool = False):
    payload = {"csrf_token": csrf_token(client, ceremony["base"] + "/"), **(data or {})}
    headers = {"Accept": "application/json"} if json_answer else {}
    return client.post(f"{ceremony['base']}/{command}", data=payload, headers=headers)


def test_a_viewer_watches_every_page_and_sees_no_controls(client, login_as, ceremony):
    login_as("viewer")
    caller = client.get(ceremony["base"] + "/")
    assert caller.status_code == 200
    text = html.unescape(caller.get_data(as_text=True))
    assert text.count('<tr id="cue-') == len(ceremony["cues"]) == 17
    assert all(title in text for _id, title in ceremony["cues"])
    assert 'data-command="go"' not in text and "Take over" not in text
    assert "Standby" in text and "Nobody holds the GO yet" in text

    stage = client.get(ceremony["base"] + "/stage")
    assert stage.status_code == 200
    page = stage.get_data(as_text=True)
    assert 'class="stage-digits"' in page and "<script>" not in page and "style=" not in page
    assert "开场" in page  # standby: the first cue comes next

    state = client.get(ceremony["base"] + "/state.json")
    assert state.status_code == 200 and state.headers["Cache-Control"] == "no-store"
    assert state.json["state"] == "standby" and len(state.json["cues"]) == 17 and state.json["cue"] is None
    assert state.json["next"]["title"] == "开场"

    events = client.get(ceremony["base"] + "/events")
    assert events.mimetype == "text/event-stream"
    body = events.get_data(as_text=True)  # the test config ends a stream after 300 ms
    first = json.loads(re.search(r"event: show\ndata: (.*)\n\n", body).group(1))
    assert first["state"] == "standby" and first["session_id"] == ceremony["id"]


def test_commands_need_an_editor_and_pages_need_a_login(client, login_as, ceremony, demo):
    assert client.get(ceremony["base"] + "/").status_code == 302  # to the login page
    login_as("viewer")
    for command in ("go", "rehearse", "take_over", "message", "reset"):
        response = _post(client, ceremony, command, {"from_cue": ""})
        assert response.status_code == 403, command
    assert _show(demo).state == "standby" and _runs(demo) == []


def test_go_and_pause_work_as_plain_forms(client, login_as, ceremony, demo):
    login_as("editor")
    first, second = ceremony["cues"][0], ceremony["cues"][1]
    response = _post(client, ceremony, "go", {"from_cue": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith(ceremony["base"] + "/")
    page = client.get(ceremony["base"] + "/").get_data(as_text=True)
    assert ("success", f"GO: cue 1 · {first[1]}.") in [(k, html.unescape(t)) for k, t in FLASH.findall(page)]
    assert f'<tr id="cue-{first[0]}" data-cue-id="{first[0]}" class="kind-slate current" aria-current="true">' in page
    assert f'name="from_cue" value="{first[0]}"' in page  # the next GO names the cue now running

    assert _post(client, ceremony, "go", {"from_cue": str(first[0])}).status_code == 303
    assert _post(client, ceremony, "pause").status_code == 303
    assert _flashes(client, ceremony["base"] + "/") == [("success", "Paused.")]
    show = _show(demo)
    assert (show.state, show.cue_id, show.rehearsal) == ("paused", second[0], False)
    with demo.app_context():
        actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "Show")))
    assert actions == ["show_go", "show_go", "show_pause"]


def test_a_double_go_with_the_same_cue_advances_one_cue(client, login_as, ceremony, demo):
    login_as("editor")
    _post(client, ceremony, "go", {"from_cue": ""})
    on = str(ceremony["cues"][0][0])
    first = _post(client, ceremony, "go", {"from_cue": on}, json_answer=True)
    second = _post(client, ceremony, "go", {"from_cue": on}, json_answer=True)
    assert first.status_code == 200 and first.json["state"]["cue"]["position"] == 2
    assert second.status_code == 409
    assert "moved on since that button was pressed" in second.json["message"]
    assert (
        second.json["state"]["cue"]["position"] == 2
        and second.json["state"]["version"] == first.json["state"]["version"]
    )
    assert _runs(demo) == [ceremony["cues"][0][0], ceremony["cues"][1][0]]

    # the same without JavaScript: the second press of a form is flashed as refused, and nothing moves
    on = str(ceremony["cues"][1][0])
    assert _post(client, ceremony, "go", {"from_cue": on}).status_code == 303
    client.get(ceremony["base"] + "/")  # the flash of the first press
    assert _post(client, ceremony, "go", {"from_cue": on}).status_code == 303
    [(kind, text)] = _flashes(client, ceremony["base"] + "/")
    assert kind == "error" and text.startswith("Nothing changed: The show has moved on")
    assert _runs(demo) == [cue_id for cue_id, _title in ceremony["cues"][:3]]


@pytest.mark.parametrize(
    ("command", "data", "status", "message"),
    [
        ("pause", {}, 409, "Only a running show can be paused."),
        ("back", {"from_cue": ""}, 409, "There is no cue before this one to go back to."),
        ("go", {}, 400, "The button did not say which cue it was pressed on: reload the page and try again."),
        ("go", {"from_cue": "cue-one"}, 400, "The button named a cue that does not exist"),
        ("message", {"message": "x" * 201}, 409, "A stage message is at most 200 characters."),
    ],
)
def test_refused_commands_say_why_and_change_nothing(client, login_as, ceremony, demo, command, data, status, message):
    login_as("editor")
    answer = _post(client, ceremony, command, data, json_answer=True)
    assert answer.status_code == status and answer.json["message"].startswith(message)
    assert answer.json["state"]["state"] == "standby"
    plain = _post(client, ceremony, command, data)
    assert plain.status_code == 303
    [(kind, text)] = _flashes(client, ceremony["base"] + "/")
    assert kind == "error" and text.startswith(f"Nothing changed: {message}")
    show = _show(demo)
    assert (show.state, show.cue_id, show.message, show.run) == ("standby", None, "", 0)


def test_one_person_holds_the_go_and_taking_it_over_is_explicit(app, client, login_as, make_user, ceremony, demo):
    login_as("editor")
    _post(client, ceremony, "go", {"from_cue": ""})
    other = app.test_client()
    assert login(other, make_user("editor")).status_code == 302
    page = html.unescape(other.get(ceremony["base"] + "/").get_data(as_text=True))
    assert "GO held by A editor" in page
    assert re.search(r"<span data-take-over>", page)  # shown: someone else holds it
    on = str(ceremony["cues"][0][0])
    refused = _post(other, ceremony, "go", {"from_cue": on}, json_answer=True)
    assert refused.status_code == 409 and "holds the GO. Take it over first" in refused.json["message"]
    assert _post(other, ceremony, "take_over").status_code == 303
    assert _flashes(other, ceremony["base"] + "/") == [("success", "You hold the GO now.")]
    assert _post(other, ceremony, "go", {"from_cue": on}, json_answer=True).status_code == 200
    assert _post(client, ceremony, "go", {"from_cue": str(ceremony["cues"][1][0])}, json_answer=True).status_code == 409
    assert len(_runs(demo)) == 2


def test_reset_after_a_live_show_asks_first_and_after_a_rehearsal_does_not(client, login_as, ceremony, demo):
    login_as("editor")
    _post(client, ceremony, "go", {"from_cue": ""})
    asked = _post(client, ceremony, "reset")
    page = html.unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200 and "Reset the show 颁奖典礼 to standby?" in page
    assert "awards already revealed stay revealed" in page and _show(demo).state == "running"
    confirmed = _post(client, ceremony, "reset", {"confirm": "1"})
    assert confirmed.status_code == 303 and _show(demo).state == "standby"

    assert _post(client, ceremony, "rehearse").status_code == 303
    show = _show(demo)
    assert (show.state, show.rehearsal, show.cue_id) == ("running", True, ceremony["cues"][0][0])
    assert _post(client, ceremony, "reset").status_code == 303  # a rehearsal resets at once
    assert _show(demo).state == "standby"


def test_ending_a_live_show_asks_first(client, login_as, ceremony, demo):
    login_as("editor")
    _post(client, ceremony, "go", {"from_cue": ""})
    asked = _post(client, ceremony, "end")
    assert asked.status_code == 200 and "End the show 颁奖典礼 now?" in html.unescape(asked.get_data(as_text=True))
    assert _show(demo).state == "running"
    assert _post(client, ceremony, "end", {"confirm": "1"}).status_code == 303
    assert _show(demo).state == "ended"
    assert _flashes(client, ceremony["base"] + "/") == [("success", "The show has ended.")]


def test_the_stage_message_reaches_the_presenter_view(client, login_as, ceremony):
    login_as("editor")
    sent = _post(client, ceremony, "message", {"message": "  Speak   louder, please <b>now</b> "}, json_answer=True)
    assert sent.status_code == 200 and sent.json["message"] == "Stage message sent."
    stage = client.get(ceremony["base"] + "/stage").get_data(as_text=True)
    assert "Speak louder, please &lt;b&gt;now&lt;/b&gt;" in stage
    assert client.get(ceremony["base"] + "/state.json").json["message"] == "Speak louder, please <b>now</b>"
    _post(client, ceremony, "message", {"message": ""})
    assert _flashes(client, ceremony["base"] + "/") == [("success", "Stage message cleared.")]


def test_an_unknown_show_or_command_is_a_clear_404(client, login_as, ceremony, demo):
    login_as("editor")
    assert client.get(f"/staff/festivals/{SLUG}/sessions/999999/show/").status_code == 404
    assert client.get(f"/staff/festivals/nope/sessions/{ceremony['id']}/show/state.json").status_code == 404
    assert _post(client, ceremony, "explode").status_code == 404
    with demo.app_context():
        assert db.session.scalar(select(func.count()).select_from(RunningOrderItem)) > 0


def test_the_running_order_links_to_the_show(client, login_as, ceremony):
    login_as("editor")
    page = client.get(f"/staff/festivals/{SLUG}/sessions/{ceremony['id']}/running-order").get_data(as_text=True)
    assert f'<a href="{ceremony["base"]}/">Run the show live</a>' in page
    assert "Run the show live" not in client.get(ceremony["base"] + "/").get_data(as_text=True)  # no link to itself


def test_putting_the_show_on_the_screen_before_the_first_go(client, login_as, ceremony, demo):
    from showcase.kiosks.models import Kiosk, Playlist

    login_as("editor")
    answer = _post(client, ceremony, "prepare")
    assert answer.status_code == 303
    assert any("wait, black, for the first GO" in text for kind, text in _flashes(client, ceremony["base"] + "/"))
    with demo.app_context():
        playlist = db.session.scalar(select(Playlist).where(Playlist.source == "show"))
        assert playlist.session_id == ceremony["id"] and playlist.published_version == 1
        kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == "hall-1"))  # the demo's kiosk on Hall 1
        assert kiosk.playlist_id == playlist.id
        assert db.session.scalar(select(Show)).state == "standby"
    _post(client, ceremony, "go", {"from_cue": ""})
    refused = _post(client, ceremony, "prepare", json_answer=True)
    assert refused.status_code == 409 and "before the first GO" in refused.json["message"]
