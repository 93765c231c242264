"""People on stage in a session: the session's people page with and without JavaScript's picker, bad input
refused whole, the people picker's JSON, and the person-clash check for session and item people."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token
from tests.showcase.schedule.conftest import SLUG, audit_count, festival, session_id_of, session_of

BASE = f"/staff/festivals/{SLUG}/sessions"


def _path(session_id: int) -> str:
    return f"{BASE}/{session_id}/people"


def _stored(app, session_id: int) -> list[tuple[str, str]]:
    """(name, role) of the session's people, in order."""
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.get(ScheduleSession, session_id)
        return [(link.person.name, link.role) for link in session.people]


def _form(app, client, session_id: int) -> list[tuple[str, str]]:
    """The page's fields as a browser without JavaScript posts them."""
    html = client.get(_path(session_id)).get_data(as_text=True)
    fields = [("csrf_token", csrf_token(client, _path(session_id)))]
    fields.append(("version", re.search(r'id="sp-version" name="version" type="hidden" value="(\d+)"', html).group(1)))
    for person_id, role in re.findall(
        r'name="person_id" value="(\d+)">.*?<select name="person_role">.*?<option value="(\w+)" selected', html, re.S
    ):
        fields += [("person_id", person_id), ("person_role", role)]
    return fields


def _post(client, session_id: int, fields, *extra, op: str = "save"):
    return client.post(_path(session_id), data=MultiDict([*fields, *extra, ("op", op)]))


def _person(app, name: str, name_en: str = "") -> int:
    from showcase.extensions import db
    from showcase.schedule.people import create_person

    with app.app_context():
        person = create_person(name=name, name_en=name_en)
        db.session.commit()
        return person.id


def test_the_demo_panel_lists_its_moderator_and_speakers(app, editor_client):
    panel = session_id_of(app, "panel")
    html = editor_client.get(_path(panel)).get_data(as_text=True)
    assert (
        "People on stage" in html and 'data-search-url="/staff/festivals/ai-shorts-2026/sessions/people/search"' in html
    )
    roles = [role for _name, role in _stored(app, panel)]
    assert roles[0] == "moderator" and roles[1:] == ["speaker"] * 3


def test_a_person_found_by_part_of_a_name_is_added_saved_and_audited(app, editor_client):
    panel = session_id_of(app, "panel")
    _person(app, "张小北", "Zhang Xiaobei")
    with app.app_context():
        before = audit_count("people")
    fields = _form(app, editor_client, panel)
    response = _post(editor_client, panel, fields, ("add_person", "xiaobei"), ("add_role", "speaker"), op="add")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stored(app, panel)[-1] == ("张小北", "speaker")
    with app.app_context():
        assert audit_count("people") == before + 1


def test_remove_and_reorder_and_a_role_change_save_at_once(app, editor_client):
    panel = session_id_of(app, "panel")
    stored = _stored(app, panel)
    fields = _form(app, editor_client, panel)
    assert _post(editor_client, panel, fields, op="down:0").status_code == 302
    assert _stored(app, panel) == [stored[1], stored[0], *stored[2:]]
    fields = _form(app, editor_client, panel)
    assert _post(editor_client, panel, fields, op="remove:0").status_code == 302
    assert _stored(app, panel) == [stored[0], *stored[2:]]
    fields = [(k, "host" if k == "person_role" and n == 0 else v) for n, (k, v) in enumerate(fields)]
    fields = _form(app, editor_client, panel)
    changed, first = [], True
    for key, value in fields:
        if key == "person_role" and first:
            value, first = "host", False
        changed.append((key, value))
    assert _post(editor_client, panel, changed).status_code == 302
    assert _stored(app, panel)[0] == (stored[0][0], "host")


def test_bad_input_is_refused_whole_with_a_clear_message(app, editor_client):
    panel = session_id_of(app, "panel")
    stored = _stored(app, panel)
    fields = _form(app, editor_client, panel)
    ids = [v for k, v in fields if k == "person_id"]
    cases = {
        "unknown person": ([("person_id", "999999"), ("person_role", "speaker")], "no person has the id 999999"),
        "unknown role": ([("person_id", ids[0]), ("person_role", "juggler")], "unknown role “juggler”"),
        "duplicate": (
            [("person_id", ids[1]), ("person_role", "speaker")],
            "the same person is listed twice as Speaker",
        ),
        "not an id": ([("person_id", "abc"), ("person_role", "speaker")], "“abc” is not a person id"),
        "a role of nobody": ([("person_role", "speaker")], "The list of people arrived incomplete"),
    }
    for name, (extra, message) in cases.items():
        response = _post(editor_client, panel, [*fields, *extra])
        html = response.get_data(as_text=True)
        assert response.status_code == 400, name
        assert "Nothing was saved" in html and message in html, name
        assert _stored(app, panel) == stored, name


def test_adding_nobody_or_an_unknown_pick_writes_nothing(app, editor_client):
    panel = session_id_of(app, "panel")
    stored = _stored(app, panel)
    fields = _form(app, editor_client, panel)
    for extra, message in (
        ((("add_person", ""),), "Type part of a name"),
        ((("add_person", "x"), ("add_person_id", "999999")), "That person is not known"),
        ((("add_person", "无此人"),), "Nobody is called “无此人”"),
    ):
        response = _post(editor_client, panel, fields, *extra, ("add_role", "speaker"), op="add")
        assert response.status_code == 400 and message in response.get_data(as_text=True)
        assert _stored(app, panel) == stored


def test_several_matches_are_offered_to_choose_from(app, editor_client):
    panel = session_id_of(app, "panel")
    first = _person(app, "王一", "Wang Yi")
    _person(app, "王二", "Wang Er")
    fields = _form(app, editor_client, panel)
    response = _post(editor_client, panel, fields, ("add_person", "wang"), ("add_role", "host"), op="add")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "2 people match “wang”: choose one below." in html
    assert f'<input type="radio" name="add_person_id" value="{first}"> 王一 · Wang Yi' in html
    chosen = _post(
        editor_client,
        panel,
        fields,
        ("add_person", "wang"),
        ("add_person_id", str(first)),
        ("add_role", "host"),
        op="add",
    )
    assert chosen.status_code == 302 and _stored(app, panel)[-1] == ("王一", "host")


def test_a_new_person_is_created_and_added_or_nothing_is_written(app, editor_client):
    from showcase.extensions import db
    from showcase.films.models import Person

    panel = session_id_of(app, "panel")
    fields = _form(app, editor_client, panel)
    with app.app_context():
        people = db.session.scalar(select(db.func.count()).select_from(Person))
    refused = _post(editor_client, panel, fields, ("new_person_name", " "), ("add_role", "speaker"), op="new")
    assert refused.status_code == 400 and "Name is required." in refused.get_data(as_text=True)
    clash = _post(
        editor_client,
        panel,
        [*fields, ("person_id", "999999"), ("person_role", "speaker")],
        ("new_person_name", "新人"),
        ("add_role", "speaker"),
        op="new",
    )
    assert clash.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Person)) == people  # not half-made
    saved = _post(
        editor_client,
        panel,
        fields,
        ("new_person_name", "陈新"),
        ("new_person_name_en", "Chen Xin"),
        ("add_role", "guest"),
        op="new",
    )
    assert saved.status_code == 302 and _stored(app, panel)[-1] == ("陈新", "guest")


def test_a_stale_version_is_refused_and_nothing_is_written(app, editor_client):
    panel = session_id_of(app, "panel")
    stored = _stored(app, panel)
    fields = [(k, "1" if k == "version" else v) for k, v in _form(app, editor_client, panel)]
    fields = [(k, v) for k, v in fields if True]
    from showcase.extensions import db

    with app.app_context():
        session = session_of("panel")
        session.title_en = session.title_en + " (2)"
        db.session.commit()
    response = _post(editor_client, panel, fields, op="remove:0")
    assert response.status_code == 409 and "Someone else saved this session" in response.get_data(as_text=True)
    assert _stored(app, panel) == stored


def test_the_moderator_on_stage_in_two_overlapping_sessions_is_a_clash(app, editor_client):
    """The demo panel's moderator also moderates a talk that overlaps it: refused with the name, then overridden."""
    from showcase.extensions import db
    from showcase.schedule.clashes import festival_clashes
    from showcase.schedule.services import create_session

    panel = session_id_of(app, "panel")
    with app.app_context():
        session = session_of("panel")
        moderator = session.people[0].person
        talk = create_session(
            festival(),
            title="加场对谈",
            kind="talk",
            starts_at=session.starts_at + timedelta(minutes=30),
            ends_at=session.ends_at + timedelta(minutes=30),
            screen_id=None,
        )
        db.session.commit()
        talk_id, name = talk.id, moderator.name
    fields = _form(app, editor_client, talk_id)
    response = _post(
        editor_client,
        talk_id,
        fields,
        ("add_person_id", str(moderator.id)),
        ("add_person", name),
        ("add_role", "moderator"),
        op="add",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and f"{name}" in html and "is also on stage in" in html
    assert _stored(app, talk_id) == []
    forced = _post(
        editor_client,
        talk_id,
        fields,
        ("add_person_id", str(moderator.id)),
        ("add_person", name),
        ("add_role", "moderator"),
        ("override_conflicts", "y"),
        op="add",
    )
    assert forced.status_code == 302
    with app.app_context():
        clashes = festival_clashes(festival())
        assert any(c.kind == "person" and name in c.text for c in clashes[panel])
        assert audit_count("override_conflicts") >= 1


def test_the_people_search_finds_by_either_name(app, editor_client):
    _person(app, "骆轶航", "Luo Yihang")
    url = f"/staff/festivals/{SLUG}/sessions/people/search"
    for q in ("轶航", "yihang", "LUO"):
        body = editor_client.get(url, query_string={"q": q}).get_json()
        assert any(r["label"] == "骆轶航 · Luo Yihang" for r in body["results"]), q
    assert editor_client.get(url).get_json()["results"] == []
    assert editor_client.get(url, query_string={"q": "x" * 101}).status_code == 400
    assert editor_client.get(url, query_string={"q": "%"}).get_json()["results"] == []


def test_stage_lines_word_each_role_once_in_the_language_asked():
    from showcase.films.models import Person
    from showcase.schedule.people import stage_lines

    luo, a, b = (
        Person(name="骆轶航", name_en="Luo Yihang"),
        Person(name="甲", name_en=""),
        Person(name="乙", name_en="B"),
    )
    people = [("speaker", a), ("moderator", luo), ("speaker", b), ("speaker", a)]
    assert stage_lines(people, "zh") == ["主持：骆轶航", "嘉宾：甲、乙"]
    assert stage_lines(people, "en") == ["Moderated by Luo Yihang", "Speakers: 甲, B"]
    assert stage_lines(people[:2], "both") == ["主持：骆轶航 / Moderated by Luo Yihang", "嘉宾：甲 / Speaker: 甲"]
    assert stage_lines([], "zh") == []
