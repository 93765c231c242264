"""The show-controller API: tokens and roles on every route, the state's shape, GO naming its cue (409 when stale,
one winner of two at once), bad bodies refused by field, and the commands a Stream Deck sends."""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from tests.builders import make_user

API = "/api/shows"
CUE_KEYS = {
    "id",
    "position",
    "kind",
    "title",
    "title_en",
    "mode",
    "planned_start",
    "planned_seconds",
    "actual_start",
    "actual_end",
}


def _db():
    from showcase.extensions import db

    return db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_token(app, role: str) -> str:
    """A new staff account with this role and an API token of its own (the raw token)."""
    from showcase.auth.tokens import create_token

    with app.app_context():
        _, raw = create_token(make_user(role=role), name=f"{role}'s deck")
        _db().session.commit()
        return raw


@pytest.fixture
def ceremony(demo) -> int:
    """The demo's awards ceremony: slate, speech, then awards each followed by its film."""
    from showcase.schedule.models import ScheduleSession

    with demo.app_context():
        return _db().session.scalar(select(ScheduleSession.id).where(ScheduleSession.kind == "ceremony"))


@pytest.fixture
def editor(app) -> str:
    return make_token(app, "editor")


def _show(app, session_id: int):
    from showcase.shows.models import CueRun, Show

    with app.app_context():
        show = _db().session.scalar(select(Show).where(Show.session_id == session_id))
        runs = _db().session.scalar(select(func.count()).select_from(CueRun))
        return (show.state, show.cue_id, show.version, runs) if show else None


def _post(client, session_id: int, command: str, token: str, body: object = None, **kwargs):
    return client.post(f"{API}/{session_id}/{command}", headers=bearer(token), json=body, **kwargs)


def _token_rules(app):
    rules = [r for r in app.url_map.iter_rules() if getattr(app.view_functions[r.endpoint], "access", "") == "token"]
    assert len(rules) >= 3
    return rules


def _url(rule, session_id: int, command: str = "go") -> str:
    values = {"session_id": session_id, "command": command}
    return rule.build({name: values.get(name, 1) for name in rule.arguments}, append_unknown=False)[1]


def _every_request(app, session_id: int):
    """Each token route once (each command of the command route), with its method."""
    for rule in _token_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        converter = rule._converters.get("command")
        for command in sorted(converter.items) if converter is not None else [None]:
            yield rule, method, _url(rule, session_id, command or "go")


# --- who may call ---


def test_without_a_valid_token_every_route_is_401_json(app, client, ceremony):
    from showcase.auth.tokens import create_token, revoke_token

    with app.app_context():
        lost, revoked_raw = create_token(make_user(role="admin"), name="lost deck")
        revoke_token(lost)
        leaver = make_user(role="admin")
        _, leaver_raw = create_token(leaver, name="leaver's deck")
        leaver.active = False
        _db().session.commit()
    login_cookie_user = make_token(app, "admin")  # a valid token, sent the wrong way
    headers = [
        {},
        bearer("sct_not-a-token"),
        bearer(""),
        {"Authorization": f"Basic {login_cookie_user}"},
        {"Authorization": f"Token {login_cookie_user}"},
        bearer(revoked_raw),
        bearer(leaver_raw),
    ]
    before = _show(app, ceremony)
    for _rule, method, url in _every_request(app, ceremony):
        for header in headers:
            response = client.open(url, method=method, headers=header, json={"from_cue": None})
            assert response.status_code == 401, (url, header)
            assert response.json["error"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            assert response.headers["Cache-Control"] == "no-store"
            assert "Set-Cookie" not in response.headers
    assert _show(app, ceremony) == before


def test_a_signed_in_staff_cookie_is_not_a_token(app, client, ceremony, login_as):
    login_as("admin")
    assert client.get(f"{API}/{ceremony}").status_code == 401
    assert client.post(f"{API}/{ceremony}/go", json={"from_cue": None}).status_code == 401


def test_a_viewers_token_reads_but_every_command_is_403(app, client, ceremony):
    viewer = make_token(app, "viewer")
    before = _show(app, ceremony)
    checked = 0
    for rule, method, url in _every_request(app, ceremony):
        role = app.view_functions[rule.endpoint].token_role
        response = client.open(url, method=method, headers=bearer(viewer), json={"from_cue": None})
        if role == "viewer":
            assert response.status_code == 200, url
        else:
            assert role == "editor" and method == "POST"
            assert response.status_code == 403, url
            assert response.json["error"] == "forbidden" and "editor" in response.json["message"]
            checked += 1
    assert checked == 5  # go, back, rehearse, end, reset
    state = _show(app, ceremony)
    assert state[:2] == ("standby", None) and state[3] == (before[3] if before else 0)


def test_an_unknown_session_is_404_json(app, client, editor):
    for method, path in (("GET", ""), ("GET", "/events"), ("POST", "/go"), ("POST", "/reset")):
        response = client.open(f"{API}/999999{path}", method=method, headers=bearer(editor), json={"from_cue": None})
        assert response.status_code == 404, path
        assert response.json["error"] == "not_found"


# --- what it answers ---


def _iso_with_offset(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


def test_get_answers_the_documented_shape(app, client, ceremony):
    viewer = make_token(app, "viewer")
    response = client.get(f"{API}/{ceremony}", headers=bearer(viewer))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    state = response.json
    assert {"state", "cue", "next", "cues", "over_under_seconds", "projected_end"} <= set(state)
    assert state["state"] == "standby" and state["cue"] is None
    assert len(state["cues"]) == 17 and state["next"] == state["cues"][0]
    for n, cue in enumerate(state["cues"], start=1):
        assert set(cue) >= CUE_KEYS and cue["position"] == n
        assert cue["mode"] in ("manual", "follow")
        assert _iso_with_offset(cue["planned_start"]).utcoffset().total_seconds() == 8 * 3600  # Shanghai
        assert cue["actual_start"] is None and cue["actual_end"] is None
    assert [c["kind"] for c in state["cues"][:4]] == ["slate", "speech", "award", "film"]
    assert _iso_with_offset(state["projected_end"])


def test_go_from_standby_starts_the_live_show_and_each_go_names_its_cue(app, client, ceremony, editor):
    first = _post(client, ceremony, "go", editor, {"from_cue": None})
    assert first.status_code == 200, first.json
    state = first.json
    assert state["state"] == "running" and state["rehearsal"] is False
    cues = state["cues"]
    assert state["cue"]["id"] == cues[0]["id"] and state["next"]["id"] == cues[1]["id"]
    assert _iso_with_offset(state["cue"]["actual_start"])
    second = _post(client, ceremony, "go", editor, {"from_cue": cues[0]["id"]})
    assert second.status_code == 200 and second.json["cue"]["id"] == cues[1]["id"]
    assert second.json["cues"][0]["actual_end"] is not None


def test_a_stale_go_is_409_and_changes_nothing(app, client, ceremony, editor):
    cues = _post(client, ceremony, "go", editor, {"from_cue": None}).json["cues"]
    assert _post(client, ceremony, "go", editor, {"from_cue": cues[0]["id"]}).status_code == 200
    before = _show(app, ceremony)
    for stale in (cues[0]["id"], None, cues[5]["id"], 999999, 10**30):  # the double press, and others' ideas
        response = _post(client, ceremony, "go", editor, {"from_cue": stale})
        assert response.status_code == 409, stale
        assert response.json["error"] == "conflict" and "moved on" in response.json["message"]
        assert response.json["show"]["cue"]["id"] == cues[1]["id"]  # where the show really is, to catch up
    stale_back = _post(client, ceremony, "back", editor, {"from_cue": cues[0]["id"]})
    assert stale_back.status_code == 409
    assert _show(app, ceremony) == before


@pytest.mark.parametrize(
    ("command", "body", "field"),
    [
        ("go", {}, "from_cue"),
        ("go", {"from_cue": "3"}, "from_cue"),
        ("go", {"from_cue": 1.5}, "from_cue"),
        ("go", {"from_cue": True}, "from_cue"),
        ("go", {"from_cue": [1]}, "from_cue"),
        ("go", {"from_cue": None, "fromCue": 1}, "fromCue"),
        ("back", {"from": 1}, "from_cue"),
        ("reset", {"confirm": "yes"}, "confirm"),
        ("reset", {"confirm": 1}, "confirm"),
        ("end", {"confirm": True}, "confirm"),
        ("go", [None], "body"),
        ("go", "null", "body"),
    ],
)
def test_a_bad_body_is_400_naming_the_field_and_changes_nothing(app, client, ceremony, editor, command, body, field):
    before = _show(app, ceremony)
    response = _post(client, ceremony, command, editor, body)
    assert response.status_code == 400, response.json
    assert response.json["error"] == "invalid" and field in response.json["fields"]
    assert _show(app, ceremony) == before


@pytest.mark.parametrize("raw", ["{", '{"from_cue": NaN}', "\xff\xfe", "[" * 5000 + "]" * 5000, "  "])
def test_a_body_that_is_not_json_is_400(app, client, ceremony, editor, raw):
    response = client.post(
        f"{API}/{ceremony}/go", headers={**bearer(editor), "Content-Type": "application/json"}, data=raw
    )
    assert response.status_code == 400 and set(response.json["fields"]) & {"body", "from_cue"}


def test_a_body_without_a_json_content_type_is_read_too(app, client, ceremony, editor):
    # Companion's generic HTTP module lets people pick the content type: a GO must not depend on it
    response = client.post(
        f"{API}/{ceremony}/go", headers={**bearer(editor), "Content-Type": "text/plain"}, data='{"from_cue": null}'
    )
    assert response.status_code == 200 and response.json["state"] == "running"


def test_back_end_and_reset_and_revealed_awards_stay_revealed(app, client, ceremony, editor):
    from showcase.awards.models import Award
    from showcase.schedule.models import RunningOrderItem

    cue = None
    for _ in range(3):  # slate, speech, then the first award's announcement
        response = _post(client, ceremony, "go", editor, {"from_cue": cue})
        assert response.status_code == 200
        cue = response.json["cue"]["id"]
    assert response.json["cue"]["kind"] == "award"
    with app.app_context():
        award_id = _db().session.get(RunningOrderItem, cue).award_id
        assert _db().session.get(Award, award_id).revealed_at is not None
    back = _post(client, ceremony, "back", editor, {"from_cue": cue})
    assert back.status_code == 200 and back.json["cue"]["kind"] == "speech"
    assert _post(client, ceremony, "end", editor).json["state"] == "ended"
    assert _post(client, ceremony, "end", editor).status_code == 409
    unconfirmed = _post(client, ceremony, "reset", editor, {})
    assert unconfirmed.status_code == 409 and "confirm" in unconfirmed.json["message"]
    assert _post(client, ceremony, "reset", editor, {"confirm": False}).status_code == 409
    assert _show(app, ceremony)[0] == "ended"
    reset = _post(client, ceremony, "reset", editor, {"confirm": True})
    assert reset.status_code == 200 and reset.json["state"] == "standby" and reset.json["cue"] is None
    with app.app_context():
        assert _db().session.get(Award, award_id).revealed_at is not None


def test_rehearse_starts_a_rehearsal_that_reveals_nothing_and_resets_without_confirming(app, client, ceremony, editor):
    from showcase.awards.models import Award

    with app.app_context():
        hidden = set(_db().session.scalars(select(Award.id).where(Award.revealed_at.is_(None))))
    state = _post(client, ceremony, "rehearse", editor).json
    assert state["state"] == "running" and state["rehearsal"] is True
    for _ in range(2):
        state = _post(client, ceremony, "go", editor, {"from_cue": state["cue"]["id"]}).json
    assert state["cue"]["kind"] == "award"
    with app.app_context():
        assert set(_db().session.scalars(select(Award.id).where(Award.revealed_at.is_(None)))) == hidden
    assert _post(client, ceremony, "rehearse", editor).status_code == 409  # only from standby
    assert _post(client, ceremony, "reset", editor).json["state"] == "standby"


def test_commands_are_audited_as_the_tokens_user(app, client, ceremony, editor):
    from showcase.audit.models import AuditLog
    from showcase.auth.models import ApiToken, User
    from showcase.auth.tokens import hash_token

    assert _post(client, ceremony, "go", editor, {"from_cue": None}).status_code == 200
    with app.app_context():
        token = _db().session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(editor)))
        entry = _db().session.scalar(select(AuditLog).where(AuditLog.action == "show_go"))
        assert entry.user_id == token.user_id and _db().session.get(User, token.user_id).role == "editor"
        assert token.last_used_at is not None


def test_the_api_is_rate_limited_per_token(app, client, ceremony):
    app.config["SHOW_API_LIMIT"] = "3 per minute"
    viewer, other = make_token(app, "viewer"), make_token(app, "viewer")
    answers = [client.get(f"{API}/{ceremony}", headers=bearer(viewer)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get(f"{API}/{ceremony}", headers=bearer(other)).status_code == 200  # its own bucket


# --- two GOs at once ---


def test_two_gos_at_once_from_the_same_cue_one_wins(app, ceremony, editor, live_server):
    """Two controllers (or a bouncing button) press GO on the same cue at the same moment, over real HTTP."""
    import http.client

    from showcase.shows.models import CueRun

    first = _http(live_server, "POST", f"{API}/{ceremony}/go", editor, {"from_cue": None})
    cue = first[1]["cue"]["id"]
    for _ in range(3):
        barrier, answers = threading.Barrier(2), []

        def press(cue=cue, barrier=barrier, answers=answers):
            conn = http.client.HTTPConnection("127.0.0.1", live_server.server_port, timeout=30)
            conn.connect()  # connected before the barrier: both requests leave together
            barrier.wait()
            conn.request(
                "POST",
                f"{API}/{ceremony}/go",
                json.dumps({"from_cue": cue}),
                {**bearer(editor), "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            answers.append((response.status, json.loads(response.read())))
            conn.close()

        threads = [threading.Thread(target=press) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409], answers
        winner = next(body for status, body in answers if status == 200)
        loser = next(body for status, body in answers if status == 409)
        assert loser["error"] == "conflict"
        cue = winner["cue"]["id"]
    with app.app_context():
        started = _db().session.scalars(select(CueRun.position).where(CueRun.how == "go").order_by(CueRun.id))
        assert list(started) == [1, 2, 3, 4]  # each cue started once: no GO was taken twice


def _http(server, method: str, path: str, token: str, body: object = None) -> tuple[int, dict]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    conn.request(method, path, json.dumps(body) if body is not None else None, {**bearer(token)})
    response = conn.getresponse()
    answer = response.status, json.loads(response.read())
    conn.close()
    return answer


def test_the_token_sweep_covers_every_api_route(app):
    """A new route under /api/shows must be a token route with a declared role (the sweeps above use them)."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API):
            view = app.view_functions[rule.endpoint]
            assert view.access == "token" and view.token_role in ("viewer", "editor", "admin"), rule.rule
            assert all(isinstance(rule._converters[a], IntegerConverter) or a == "command" for a in rule.arguments)
