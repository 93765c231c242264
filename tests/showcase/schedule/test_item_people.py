"""People on stage at running-order items: saved with the running order (and its version and audit),
bad entries refused whole, the builder's buttons without JavaScript, and the person-clash check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token
from tests.showcase.schedule.conftest import SLUG, builder_form, festival, session_id_of, session_of

BASE = f"/staff/festivals/{SLUG}/sessions"


def _path(session_id: int) -> str:
    return f"{BASE}/{session_id}/running-order"


def _person(name: str, name_en: str = "") -> int:
    from showcase.extensions import db
    from showcase.schedule.people import create_person

    person = create_person(name=name, name_en=name_en)
    db.session.flush()
    return person.id


def _item_people(app, session_id: int) -> list[list[tuple[str, str]]]:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.get(ScheduleSession, session_id)
        return [[(link.person.name, link.role) for link in item.people] for item in session.items]


def _links(session) -> list[list[tuple[int, str]]]:
    from showcase.extensions import db

    db.session.expire_all()
    return [[(p.person_id, p.role) for p in item.people] for item in session.items]


def _save(session, drafts, **kw):
    from showcase.schedule.running_order import save_running_order

    return save_running_order(session, drafts, expected_version=session.running_order_version, **kw)


def test_item_people_are_saved_kept_in_order_and_audited(demo, ctx):
    from dataclasses import replace

    from showcase.audit.models import AuditLog
    from showcase.extensions import db
    from showcase.schedule.people import Entry
    from showcase.schedule.running_order import drafts_of

    session = session_of("ceremony")
    a, b = _person("甲"), _person("乙")
    drafts = drafts_of(session)
    drafts[1] = replace(drafts[1], people=(Entry(a, "host"), Entry(b, "presenter")))
    _save(session, drafts)
    db.session.commit()
    assert [(p.person_id, p.role) for p in session.items[1].people] == [(a, "host"), (b, "presenter")]
    log = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "running_order").order_by(AuditLog.id.desc())
    ).first()
    assert log.after["items"][1]["people"] == [[a, "host"], [b, "presenter"]]
    drafts = drafts_of(session)
    drafts[1] = replace(drafts[1], people=(Entry(b, "presenter"), Entry(a, "host")))  # same rows, new order
    _save(session, drafts)
    db.session.commit()
    assert [p.person_id for p in session.items[1].people] == [b, a]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([(999999, "presenter")], "Item 2: no person has the id 999999"),
        ([("A", "juggler")], "Item 2: unknown role “juggler”"),
        ([("A", "presenter"), ("A", "presenter")], "Item 2: the same person is listed twice as Presenter"),
    ],
)
def test_bad_item_people_are_refused_and_nothing_is_written(demo, ctx, entries, message):
    from dataclasses import replace

    from showcase.errors import ValidationFailed
    from showcase.schedule.people import Entry
    from showcase.schedule.running_order import drafts_of

    session = session_of("ceremony")
    a = _person("甲")
    version, titles = session.running_order_version, [i.title for i in session.items]
    people = _links(session)
    drafts = drafts_of(session)
    drafts[0] = replace(drafts[0], title="改过的")
    drafts[1] = replace(drafts[1], people=tuple(Entry(a if p == "A" else p, r) for p, r in entries))
    with pytest.raises(ValidationFailed) as refused:
        _save(session, drafts)
    assert message in refused.value.errors["items-2-people"]
    assert session.running_order_version == version and [i.title for i in session.items] == titles
    assert _links(session) == people


def test_an_item_presenter_on_stage_elsewhere_at_the_same_time_is_a_clash(demo, ctx):
    """The panel's moderator presents an award at a ceremony moved to overlap the panel."""
    from dataclasses import replace

    from showcase.extensions import db
    from showcase.schedule.clashes import ClashRefused, festival_clashes
    from showcase.schedule.people import Entry
    from showcase.schedule.running_order import drafts_of

    ceremony, panel = session_of("ceremony"), session_of("panel")
    ceremony.starts_at, ceremony.ends_at = (
        panel.starts_at - timedelta(minutes=30),
        panel.starts_at + timedelta(minutes=30),
    )
    ceremony.screen_id = None
    db.session.flush()
    moderator = panel.people[0].person
    before = _links(ceremony)
    drafts = drafts_of(ceremony)
    award = next(n for n, d in enumerate(drafts) if d.kind == "award")
    drafts[award] = replace(drafts[award], people=(Entry(moderator.id, "presenter"),))
    with pytest.raises(ClashRefused) as refused:
        _save(ceremony, drafts)
    assert any(c.kind == "person" and moderator.name in c.text and panel.title in c.text for c in refused.value.clashes)
    assert _links(ceremony) == before
    _save(ceremony, drafts, override_conflicts=True)
    clashes = festival_clashes(festival())
    assert any(c.kind == "person" and moderator.name in c.text for c in clashes[panel.id])


def _post(app, client, session_id, fields, *extra, op="save"):
    data = MultiDict([("csrf_token", csrf_token(client, _path(session_id))), *fields, *extra, ("op", op)])
    return client.post(_path(session_id), data=data)


def _with_people(fields, place: int, text: str):
    """The builder's fields with `text` as the people of item `place` (0-based)."""
    out, n = [], -1
    for key, value in fields:
        out.append((key, value))
        if key == "item_notes":
            n += 1
            out.append(("item_people", text if n == place else ""))
    return out


def test_the_builder_saves_posted_item_people_and_shows_them(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    with app.app_context():
        from showcase.extensions import db

        host = _person("主持甲", "Host A")
        db.session.commit()
    fields = _with_people(builder_form(app, ceremony), 0, f"{host}:host")
    assert _post(app, editor_client, ceremony, fields).status_code == 302
    assert _item_people(app, ceremony)[0] == [("主持甲", "host")]
    html = editor_client.get(_path(ceremony)).get_data(as_text=True)
    assert f'name="item_people" value="{host}:host"' in html
    assert re.search(r'data-entry="\d+:host"><span class="badge">Host</span> 主持甲 · Host A', html)


def test_the_builder_refuses_unreadable_people_whole(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    before = _item_people(app, ceremony)
    for text, message in (("abc", "“abc” is not a person on stage (id:role)"), ("5:", "“5:” is not a person on stage")):
        response = _post(app, editor_client, ceremony, _with_people(builder_form(app, ceremony), 1, text))
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = _post(app, editor_client, ceremony, _with_people(builder_form(app, ceremony), 1, "999999:host"))
    assert response.status_code == 400 and "no person has the id 999999" in response.get_data(as_text=True)
    assert _item_people(app, ceremony) == before


def test_without_javascript_a_person_is_added_to_an_item_unsaved_then_taken_off(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    with app.app_context():
        from showcase.extensions import db

        presenter = _person("颁奖人丙", "Presenter C")
        db.session.commit()
    before = _item_people(app, ceremony)
    fields = builder_form(app, ceremony)
    added = _post(
        app,
        editor_client,
        ceremony,
        fields,
        ("person_item", "2"),
        ("person_role", "presenter"),
        ("add_person", "presenter c"),
        op="add-person",
    )
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and "Added 颁奖人丙 · Presenter C as Presenter at" in html
    people_fields = re.findall(r'name="item_people" value="([^"]*)"', html)
    assert f"{presenter}:presenter" in people_fields[2].split()
    assert _item_people(app, ceremony) == before  # shown, not saved
    k = people_fields[2].split().index(f"{presenter}:presenter")
    posted = [(k_, v) for k_, v in builder_form(app, ceremony)]
    posted = _with_people(posted, 2, people_fields[2])
    taken = _post(app, editor_client, ceremony, posted, op=f"remove-person:2:{k}")
    assert taken.status_code == 200 and "Took 颁奖人丙 · Presenter C off" in taken.get_data(as_text=True)
    assert (
        f"{presenter}:presenter"
        not in re.findall(r'name="item_people" value="([^"]*)"', taken.get_data(as_text=True))[2]
    )


def test_without_javascript_bad_person_operations_change_nothing(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    fields = builder_form(app, ceremony)
    cases = [
        ([("person_item", "99"), ("person_role", "host"), ("add_person", "x")], "add-person", "choose an item"),
        ([("person_item", "0"), ("person_role", "juggler"), ("add_person", "x")], "add-person", "choose a role"),
        ([("person_item", "0"), ("person_role", "host"), ("add_person", "无此人")], "add-person", "Nobody is called"),
        ([("person_item", "0"), ("person_role", "host"), ("new_person_name", "")], "new-person", "Name is required"),
        ([], "remove-person:0:5", "no longer on stage"),
    ]
    before = _item_people(app, ceremony)
    for extra, op, message in cases:
        response = _post(app, editor_client, ceremony, fields, *extra, op=op)
        assert response.status_code == 400, op
        assert message in response.get_data(as_text=True), (op, message)
    assert _item_people(app, ceremony) == before


def test_without_javascript_a_new_person_is_made_and_put_on_the_item(app, editor_client):
    from showcase.extensions import db
    from showcase.films.models import Person

    ceremony = session_id_of(app, "ceremony")
    response = _post(
        app,
        editor_client,
        ceremony,
        builder_form(app, ceremony),
        ("person_item", "1"),
        ("person_role", "host"),
        ("new_person_name", "新司仪"),
        ("new_person_name_en", "New Host"),
        op="new-person",
    )
    assert response.status_code == 200
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == "新司仪"))
        assert person is not None and person.name_en == "New Host"
    assert f"{person.id}:host" in re.findall(r'name="item_people" value="([^"]*)"', response.get_data(as_text=True))[1]


def test_the_cue_sheet_names_who_is_on_stage_at_each_cue(app, editor_client):
    html = editor_client.get(f"{BASE}/{session_id_of(app, 'ceremony')}/cue-sheet").get_data(as_text=True)
    assert '<span class="badge">Host</span> 周舟 · Zhou Zhou' in html
    assert '<span class="badge">Presenter</span> 陈思远 · Chen Siyuan' in html


def test_a_stale_save_says_a_colleague_changed_who_is_on_stage(demo, ctx):
    from dataclasses import replace

    from showcase.errors import StaleEdit
    from showcase.extensions import db
    from showcase.schedule.people import Entry
    from showcase.schedule.running_order import drafts_of, save_running_order

    session = session_of("ceremony")
    opened = session.running_order_version
    mine = drafts_of(session)
    theirs = drafts_of(session)
    theirs[1] = replace(theirs[1], people=(Entry(_person("新嘉宾"), "guest"),))
    _save(session, theirs)
    db.session.commit()
    with pytest.raises(StaleEdit) as stale:
        save_running_order(session, mine, expected_version=opened)
    assert any("people on stage changed" in line for line in stale.value.changes["edited"])
