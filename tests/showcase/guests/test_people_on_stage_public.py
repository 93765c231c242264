"""People on stage where guests and readers meet them: the guest schedule in each language, the frab
schedule.xml/json (as the event's persons), and the printed programme, for the demo's panel moderator,
speakers, the ceremony's host and award presenters; a change of them is a public change."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from showcase.extensions import db
from showcase.films.models import Person
from showcase.schedule.models import ScheduleSession
from tests.showcase.guests.conftest import SLUG


def _page(client, lang: str) -> str:
    response = client.get(f"/festivals/{SLUG}/schedule?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _session_html(html: str, session_id: int) -> str:
    return re.search(
        rf'<li class="session" id="session-{session_id}">.*?</li>\s*(?=<li class="session"|</ul>)', html, re.S
    ).group(0)


def test_the_guest_schedule_says_who_moderates_speaks_hosts_and_presents(app, client, guest):
    panel, ceremony = guest.sessions["panel"], guest.sessions["ceremony"]
    zh, en = _page(client, "zh"), _page(client, "en")
    assert '<p class="on-stage">主持：骆轶航</p>' in _session_html(zh, panel)
    assert '<p class="on-stage">Moderated by Luo Yihang</p>' in _session_html(en, panel)
    assert re.search(r'<p class="on-stage">嘉宾：[^<]+、[^<]+、[^<]+</p>', _session_html(zh, panel))
    assert re.search(r'<p class="on-stage">Speakers: [^<]+, [^<]+, [^<]+</p>', _session_html(en, panel))
    assert '<p class="on-stage">Hosted by Zhou Zhou</p>' in _session_html(en, ceremony)
    assert '<p class="on-stage">司仪：周舟</p>' in _session_html(zh, ceremony)
    presenters = re.search(r'<p class="on-stage">Presented by ([^<]+)</p>', _session_html(en, ceremony)).group(1)
    assert sorted(presenters.split(", ")) == ["Chen Siyuan", "Gao Yuan", "Lin Xiao"]


def test_a_new_moderator_is_a_public_change_the_page_shows_at_once(app, client, guest):
    from showcase.schedule.people import Entry
    from showcase.schedule.services import set_session_people

    _page(client, "en")  # the ready page is made
    with app.app_context():
        panel = db.session.get(ScheduleSession, guest.sessions["panel"])
        other = db.session.scalar(select(Person).where(Person.name == "周舟"))
        entries = [Entry(other.id, "moderator")] + [Entry(p.person_id, p.role) for p in panel.people[1:]]
        set_session_people(panel, entries, expected_version=panel.version)
        db.session.commit()
    html = _session_html(_page(client, "en"), guest.sessions["panel"])
    assert "Moderated by Zhou Zhou" in html and "Luo Yihang" not in html


def test_the_app_schedule_lists_the_people_on_stage_as_the_events_persons(app, client, guest):
    document = json.loads(client.get(f"/festivals/{SLUG}/schedule.json?lang=en").get_data(as_text=True))
    events = {
        e["id"]: e for day in document["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room
    }
    panel = events[guest.sessions["panel"]]
    names = [p["public_name"] for p in panel["persons"]]
    assert names[0] == "Luo Yihang" and len(names) == 4
    assert panel["abstract"].splitlines()[:2][0] == "Moderated by Luo Yihang"
    ceremony = [p["public_name"] for p in events[guest.sessions["ceremony"]]["persons"]]
    assert ceremony[0] == "Zhou Zhou" and sorted(ceremony[1:4]) == ["Chen Siyuan", "Gao Yuan", "Lin Xiao"]
    xml = etree.fromstring(client.get(f"/festivals/{SLUG}/schedule.xml?lang=zh").get_data())
    event = xml.find(f".//event[@id='{guest.sessions['panel']}']")
    assert [p.text for p in event.find("persons")][0] == "骆轶航"


def test_the_printed_programme_prints_them_under_the_session(app, guest, tmp_path: Path):
    from showcase.festivals.services import get_festival
    from showcase.programmes.data import ProgrammeOptions
    from showcase.programmes.loading import load_programme
    from showcase.programmes.writing import font_specs, write_programme
    from tests.showcase.programmes.support import body_text

    for lang, expected in (
        ("zh", ["主持：骆轶航", "司仪：周舟", "颁奖嘉宾：", "陈思远", "林晓", "高原"]),
        ("en", ["ModeratedbyLuoYihang", "HostedbyZhouZhou", "Presentedby", "ChenSiyuan", "LinXiao"]),
        ("both", ["主持：骆轶航/ModeratedbyLuoYihang"]),
    ):
        with app.app_context():
            programme = load_programme(get_festival(SLUG), options=ProgrammeOptions(lang=lang), upload_root=None)
            pdf = tmp_path / f"programme-{lang}.pdf"
            write_programme(programme, pdf, fonts=font_specs(app.config["PROGRAMME_FONT_PATH"]))
        text = body_text(pdf, programme)
        for line in expected:
            assert line in text, (lang, line)
