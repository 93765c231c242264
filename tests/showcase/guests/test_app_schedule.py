"""The schedule for apps: schedule.xml against c3voc's XSD, schedule.json against its JSON schema, both read back.

The XML is written with the standard library's ElementTree and read back here with lxml; the JSON with
plain `json`. The two must tell the same story (every event, field for field), keep their ids and guids
through edits, and carry a new version after every public change and the same one otherwise.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from lxml import etree
from sqlalchemy import update

from showcase.awards.models import Award
from showcase.extensions import db
from showcase.films.models import Film
from showcase.schedule.models import ScheduleSession
from showcase.schedule.running_order import ItemDraft, save_running_order
from tests.builders import make_credit, make_festival, make_film, make_screen, make_session
from tests.showcase.guests.test_embargo_noninterference import change_every_secret, snapshot

SLUG = "ai-shorts-2026"
SCHEMAS = Path(__file__).parent / "schema"
XSD = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
JSON_SCHEMA = json.loads((SCHEMAS / "schedule.json.schema.json").read_text(encoding="utf-8"))


def _date_time(value: str) -> bool:
    """RFC 3339: a date, a 'T', a time and an offset (fromisoformat alone takes less)."""
    return "T" in value and datetime.fromisoformat(value).tzinfo is not None


def _absolute_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


# jsonschema's own checks (date, uuid) and, instead of the optional packages it would use, these two.
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("date-time", raises=ValueError)(_date_time)
FORMATS.checks("uri", raises=ValueError)(_absolute_uri)
EVENT_TEXT = ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type", "abstract")


def fetch(client, slug: str, form: str, query: str = "", **headers):
    response = client.get(f"/festivals/{slug}/schedule.{form}{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    return response


def valid_xml(client, slug: str = SLUG, query: str = "") -> etree._Element:
    """schedule.xml parsed by lxml, after checking it against the c3voc XSD."""
    response = fetch(client, slug, "xml", query)
    assert response.mimetype == "application/xml"
    root = etree.fromstring(response.get_data())
    assert XSD.validate(root), "\n".join(str(error) for error in XSD.error_log)
    return root


def valid_json(client, slug: str = SLUG, query: str = "", *, formats: bool = True) -> dict:
    """schedule.json parsed by `json`, after checking it against the c3voc JSON schema (and its formats)."""
    response = fetch(client, slug, "json", query)
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data())
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=FORMATS if formats else None)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    return document


def xml_events(root: etree._Element) -> dict[int, dict]:
    """Every event of schedule.xml as plain values, by id, with its day's index."""
    found = {}
    for day in root.iterfind("day"):
        for room in day.iterfind("room"):
            for event in room.iterfind("event"):
                values = {tag: event.findtext(tag) for tag in EVENT_TEXT}
                values.update(
                    guid=event.get("guid"),
                    day=int(day.get("index")),
                    room_attribute=room.get("name"),
                    description=event.findtext("description") or "",
                    persons=[(int(p.get("id")), p.get("guid"), p.text) for p in event.iterfind("persons/person")],
                    links=[(link.get("href"), link.text) for link in event.iterfind("links/link")],
                )
                found[int(event.get("id"))] = values
    return found


def json_events(document: dict) -> dict[int, dict]:
    """The same values from schedule.json."""
    found = {}
    for day in document["schedule"]["conference"]["days"]:
        for room, events in day["rooms"].items():
            for event in events:
                values = {tag: event[tag] for tag in EVENT_TEXT}
                values.update(
                    guid=event["guid"],
                    day=day["index"],
                    room_attribute=room,
                    description=event["description"],
                    persons=[(p["id"], p["guid"], p["public_name"]) for p in event["persons"]],
                    links=[(link["url"], link["title"]) for link in event["links"]],
                )
                found[event["id"]] = values
    return found


def version(client, slug: str = SLUG, query: str = "") -> str:
    return valid_xml(client, slug, query).findtext("version")


def test_schedule_xml_is_valid_against_the_xsd_and_the_json_against_its_schema(client, guest):
    for query in ("", "?lang=en"):
        root = valid_xml(client, query=query)
        document = valid_json(client, query=query)
        assert root.findtext("version") == document["schedule"]["version"]
        assert xml_events(root) == json_events(document)


def test_every_public_session_is_an_event_on_its_screen_at_its_time(app, client, guest):
    root = valid_xml(client, query="?lang=en")
    events = xml_events(root)
    public = {kind: sid for kind, sid in guest.sessions.items() if kind != "other"}
    assert sorted(events) == sorted(public.values())
    conference = root.find("conference")
    assert conference.findtext("acronym") == "ai_shorts_2026"
    assert conference.findtext("time_zone_name") == "Asia/Shanghai"
    assert conference.findtext("base_url") == "http://127.0.0.1:5000/"
    day = root.find("day")
    with app.app_context():
        stored = db.session.get(ScheduleSession, guest.sessions["ceremony"])
        local_day = stored.starts_at.astimezone(stored.screen.venue.festival.zone).date()
    assert (day.get("index"), day.get("date")) == ("1", local_day.isoformat())
    assert day.get("start") == f"{local_day}T04:00:00+08:00"
    assert [room.get("name") for room in day.iterfind("room")] == [
        "Hall 1 · Pujiang Film Centre",
        "Banquet Hall · Pujiang Film Centre",
    ]
    ceremony = events[guest.sessions["ceremony"]]
    assert datetime.fromisoformat(ceremony["date"]) == stored.starts_at
    assert (ceremony["start"], ceremony["duration"], ceremony["type"]) == ("14:00", "01:30", "ceremony")
    assert (ceremony["title"], ceremony["subtitle"], ceremony["track"]) == ("Awards Ceremony", "颁奖典礼", "Ceremony")
    assert ceremony["room"] == ceremony["room_attribute"] == "Hall 1 · Pujiang Film Centre"
    assert ceremony["url"] == f"http://127.0.0.1:5000/festivals/{SLUG}/schedule?lang=en#session-{stored.id}"
    assert uuid.UUID(ceremony["guid"]).version == 5
    assert re.fullmatch(rf"ai_shorts_2026-{stored.id}-awards-ceremony", ceremony["slug"])
    gala = events[guest.sessions["gala"]]
    assert gala["room"] == "Banquet Hall · Pujiang Film Centre" and gala["persons"] == gala["links"] == []


def test_the_films_are_the_abstract_description_links_and_persons(client, guest):
    events = xml_events(valid_xml(client, query="?lang=en"))
    screening = events[guest.sessions["screening"]]
    assert len(screening["links"]) == 7
    href, title = next(link for link in screening["links"] if link[1] == "Under the Fireworks Lies My Home")
    assert href == f"http://127.0.0.1:5000/f/{guest.codes['fireworks']}?lang=en"
    assert "· Under the Fireworks Lies My Home" in screening["abstract"].splitlines()
    assert "Under the Fireworks Lies My Home / 烟花之下是我家\n7 min · 中国 China" in screening["description"]
    assert "Director: Chen Youxue" in screening["description"]
    assert "Chen Youxue" in [name for _id, _guid, name in screening["persons"]]
    page = client.get(href.removeprefix("http://127.0.0.1:5000"))
    assert page.status_code == 200  # the link is the film's guest page
    chinese = xml_events(valid_xml(client))[guest.sessions["screening"]]
    assert (chinese["title"], chinese["subtitle"]) == ("获奖影片展映", "Showcase Screening of the Winning Films")
    assert "· 烟花之下是我家" in chinese["abstract"].splitlines()


def test_the_version_stays_while_nothing_changes_and_bumps_on_an_edit(app, client, guest):
    url = f"/festivals/{SLUG}/schedule.xml"
    first = client.get(url)
    assert client.get(url).get_data() == first.get_data()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    before = xml_events(valid_xml(client))
    old = version(client)
    with app.app_context():
        session = db.session.get(ScheduleSession, guest.sessions["panel"])
        title = session.title
        session.title = "工具、伙伴，还是新的导演？"
        db.session.commit()
    edited = version(client)
    assert edited != old
    after = xml_events(valid_xml(client))
    assert {sid: e["guid"] for sid, e in after.items()} == {sid: e["guid"] for sid, e in before.items()}
    assert after[guest.sessions["panel"]]["title"] == "工具、伙伴，还是新的导演？"
    assert valid_json(client)["schedule"]["version"] == edited
    with app.app_context():  # the same content again: the same version again
        db.session.get(ScheduleSession, guest.sessions["panel"]).title = title
        db.session.commit()
    assert version(client) == old


def test_a_session_made_private_or_a_withdrawn_film_bumps_the_version_and_leaves(client, guest):
    old = version(client, query="?lang=en")
    guest.make_private("gala")
    assert version(client, query="?lang=en") != old
    assert guest.sessions["gala"] not in xml_events(valid_xml(client, query="?lang=en"))
    guest.withdraw("fireworks")
    text = fetch(client, SLUG, "xml", "?lang=en").get_data(as_text=True) + fetch(client, SLUG, "json").get_data(
        as_text=True
    )
    assert "Under the Fireworks" not in text and "烟花之下是我家" not in text and guest.codes["fireworks"] not in text


@pytest.fixture
def embargoed(guest):
    guest._change(update(Award).values(revealed_at=None))
    return guest


def test_a_reveal_bumps_the_version_names_the_prize_and_restores_the_running_order(app, client, embargoed):
    before = xml_events(valid_xml(client, query="?lang=en"))[embargoed.sessions["screening"]]
    old = version(client, query="?lang=en")
    titles = [title for _href, title in before["links"]]
    assert titles == sorted(titles, key=str.casefold)  # by title while the results are secret
    assert "prize" not in (before["abstract"] + before["description"]).lower()
    embargoed.reveal_awards()
    assert version(client, query="?lang=en") != old
    after = xml_events(valid_xml(client, query="?lang=en"))[embargoed.sessions["screening"]]
    with app.app_context():
        session = db.session.get(ScheduleSession, embargoed.sessions["screening"])
        order = [item.film.title_en for item in session.items if item.kind == "film"]
    assert [title for _href, title in after["links"]] == order != titles
    assert "· Under the Fireworks Lies My Home (Main Competition · First prize)" in after["abstract"]


def test_no_embargoed_result_changes_a_byte_of_either_schedule(app, client, embargoed):
    urls = [f"/festivals/{SLUG}/schedule.xml", f"/festivals/{SLUG}/schedule.json"]
    before = snapshot(client, urls)
    change_every_secret(app, embargoed)
    assert snapshot(client, urls) == before
    embargoed.reveal_awards()
    assert snapshot(client, urls) != before  # the comparison can see a change


def test_unknown_unpublished_and_hostile_festivals_get_the_guest_404(client, guest):
    for form in ("xml", "json"):
        assert client.get(f"/festivals/no-such-festival/schedule.{form}").status_code == 404
        hostile = client.get(f"/festivals/%00%ff/schedule.{form}")  # as the guest page answers it
        assert hostile.status_code == client.get("/festivals/%00%ff/schedule").status_code in (400, 404)
    guest.unpublish()
    for form in ("xml", "json"):
        response = client.get(f"/festivals/{SLUG}/schedule.{form}")
        assert response.status_code == 404 and "Awards Ceremony" not in response.get_data(as_text=True)
    assert client.get(f"/festivals/{SLUG}/schedule").status_code == 404  # as the guest page


def test_the_language_comes_from_lang_like_the_guest_pages_and_a_bad_one_gets_the_default(client, guest):
    def titles(**kwargs) -> set[str]:
        return {e["title"] for e in json_events(valid_json(client, **kwargs)).values()}

    assert "颁奖典礼" in titles() and "颁奖典礼" in titles(query="?lang=xx")
    assert "Awards Ceremony" in titles(query="?lang=en")
    en = fetch(client, SLUG, "json", **{"Accept-Language": "en"}).get_data()
    assert "Awards Ceremony" in en.decode() and fetch(client, SLUG, "json").headers["Vary"] == "Accept-Language"


def test_the_guest_schedule_page_links_both_in_its_language(client, guest):
    page = client.get(f"/festivals/{SLUG}/schedule?lang=en").get_data(as_text=True)
    links = dict(
        (text, href.replace("&amp;", "&"))
        for href, text in re.findall(r'<a class="app-schedule" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    )
    assert links == {
        "schedule.xml": f"/festivals/{SLUG}/schedule.xml?lang=en",
        "schedule.json": f"/festivals/{SLUG}/schedule.json?lang=en",
    }
    root = etree.fromstring(client.get(links["schedule.xml"]).get_data())
    assert XSD.validate(root) and root.find("day/room/event/title").text == "Awards Ceremony"
    assert client.get(links["schedule.json"]).get_json()["schedule"]["version"] == root.findtext("version")


def _films_in(session, films: list[Film]) -> None:
    drafts = [ItemDraft(kind="film", planned_seconds=f.runtime_seconds, film_id=f.id) for f in films]
    save_running_order(session, drafts, expected_version=session.running_order_version)


def test_a_festival_without_base_url_with_late_and_screenless_sessions_is_still_valid(ctx, client):
    """Relative URLs are left out where the XSD wants http(s); after midnight is the night before."""
    festival = make_festival(
        slug="dst", timezone="Europe/Berlin", start_date=date(2027, 3, 27), end_date=date(2027, 3, 28)
    )
    hall = make_screen(festival, venue="Kino", name="Saal", name_en="Hall")
    twin = make_screen(festival, venue="Kino", name="Saal", name_en="Hall")  # the same name in the same venue
    film = make_film(festival, synopsis="Bell\x07 and\x0b tab", title="Zeichen")
    make_credit(film, name="Ada", role="director")
    late = make_session(festival, starts_at=datetime(2027, 3, 28, 0, 30, tzinfo=UTC), screen_id=hall.id)  # 01:30 CET
    _films_in(late, [film])
    make_session(festival, starts_at=datetime(2027, 3, 28, 17, tzinfo=UTC), screen_id=twin.id)  # 19:00 CEST
    make_session(festival, starts_at=datetime(2027, 3, 27, 17, tzinfo=UTC))  # no screen, 18:00 CET
    db.session.commit()
    root = valid_xml(client, "dst")
    # Without a base URL the JSON's event urls are paths, which the schema's "uri" format does not take.
    document = valid_json(client, "dst", formats=False)
    assert document["schedule"]["conference"]["days"][0]["rooms"]["Saal · Kino"][0]["url"].startswith("/festivals/")
    assert root.find("url") is None and root.find("conference/base_url") is None
    assert root.find("day/room/event/url") is None  # a path, not an http(s) URL
    days = [(d.get("date"), d.get("start"), d.get("end")) for d in root.iterfind("day")]
    assert days == [
        ("2027-03-27", "2027-03-27T04:00:00+01:00", "2027-03-28T03:59:00+02:00"),
        ("2027-03-28", "2027-03-28T04:00:00+02:00", "2027-03-29T03:59:00+02:00"),
    ]
    rooms = [room["name"] for room in document["schedule"]["conference"]["rooms"]]
    assert rooms == ["Saal · Kino", "Saal · Kino (2)", "其他地点"]
    events = xml_events(root)
    assert events[late.id]["day"] == 1 and events[late.id]["start"] == "01:30"  # the night of the 27th
    assert "Bell and tab" in events[late.id]["description"]
    assert events[late.id]["persons"][0][2] == "Ada"


def test_a_festival_of_many_months_lists_its_first_last_and_busy_days_only(ctx, client):
    festival = make_festival(slug="season", start_date=date(2027, 1, 1), end_date=date(2027, 12, 31))
    make_session(festival, starts_at=datetime(2027, 6, 1, 11, tzinfo=UTC))
    db.session.commit()
    root = valid_xml(client, "season")
    assert [d.get("date") for d in root.iterfind("day")] == ["2027-01-01", "2027-06-01", "2027-12-31"]
    assert root.findtext("conference/days") == "3"
    assert [d.get("index") for d in root.iterfind("day")] == ["1", "2", "3"]
