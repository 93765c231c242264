"""Cue modes and hard starts in the running-order builder: saved through the page, defaults by kind,
bad values refused with nothing written, and a stale save's report naming them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from werkzeug.datastructures import MultiDict

from tests.builders import make_festival, make_film, make_session
from tests.conftest import csrf_token, login

LATE = datetime(2026, 12, 12, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai: the night runs past midnight


@pytest.fixture
def late_night(app):
    """A festival session from 23:00 Shanghai time with a speech and a film; ids for the page."""
    from showcase.extensions import db
    from showcase.schedule.services import append_item

    with app.app_context():
        festival = make_festival()
        session = make_session(festival, starts_at=LATE, minutes=120, title="午夜场")
        film = make_film(festival, title="午夜电影", title_en="Midnight film", runtime_seconds=600)
        append_item(session, kind="speech", planned_seconds=300, title="开场")
        append_item(session, kind="film", planned_seconds=600, title=film.title, film_id=film.id)
        db.session.commit()
        return {"slug": festival.slug, "session": session.id, "film": film.id}


@pytest.fixture
def editor(client, make_user):
    assert login(client, make_user("editor")).status_code == 302
    return client


def path(night: dict) -> str:
    return f"/staff/festivals/{night['slug']}/sessions/{night['session']}/running-order"


def stored(app, night: dict) -> list[tuple]:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.get(ScheduleSession, night["session"])
        return [(i.kind, i.cue_mode, i.hard_start_at) for i in session.items] + [session.running_order_version]


def form(app, night: dict, *, modes=None, hard_starts=None, op: str = "save") -> MultiDict:
    """The builder's fields for the stored items as a browser posts them, with the cue fields given."""
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.get(ScheduleSession, night["session"])
        fields = [("running_order_version", str(session.running_order_version))]
        for item in session.items:
            fields += [
                ("item_id", str(item.id)),
                ("item_kind", item.kind),
                ("item_film", str(item.film_id or "")),
                ("item_award", ""),
                ("item_title", item.title),
                ("item_title_en", item.title_en),
                ("item_duration", f"{item.planned_seconds // 60}:00"),
                ("item_notes", ""),
            ]
    fields += [("item_cue_mode", m) for m in modes or []]
    fields += [("item_hard_start", h) for h in hard_starts or []]
    return MultiDict([*fields, ("op", op)])


def post(client, night: dict, data: MultiDict):
    data.add("csrf_token", csrf_token(client, path(night)))
    return client.post(path(night), data=data)


def shown(html: str) -> tuple[list[str], list[str]]:
    """The selected cue mode and the hard start each row of the page shows."""
    modes = re.findall(r'<option value="(\w+)" selected>', html)
    hards = re.findall(r'name="item_hard_start" value="([^"]*)"', html)
    return modes, hards


def test_defaults_by_kind_film_follows_and_a_speech_waits_for_go(app, late_night, editor):
    assert stored(app, late_night) == [("speech", "manual", None), ("film", "follow", None), 1]
    assert shown(editor.get(path(late_night)).get_data(as_text=True)) == (["manual", "follow"], ["", ""])
    # a post without the cue fields (an older page) gives each kind its default, and so does an empty mode
    response = post(editor, late_night, form(app, late_night))
    assert response.status_code == 302
    assert stored(app, late_night) == [("speech", "manual", None), ("film", "follow", None), 2]
    response = post(editor, late_night, form(app, late_night, modes=["", ""], hard_starts=["", ""]))
    assert response.status_code == 302
    assert stored(app, late_night)[:2] == [("speech", "manual", None), ("film", "follow", None)]


def test_a_film_added_on_the_page_shows_follow(app, late_night, editor):
    data = form(app, late_night, modes=["manual", "follow"], hard_starts=["", ""], op=f"add-film:{late_night['film']}")
    response = post(editor, late_night, data)
    assert response.status_code == 200
    assert shown(response.get_data(as_text=True)) == (["manual", "follow", "follow"], ["", "", ""])


def test_modes_and_hard_starts_are_saved_in_utc_and_shown_on_the_festival_clock(app, late_night, editor):
    data = form(app, late_night, modes=["follow", "manual"], hard_starts=["23:30", " 0:30 "])
    response = post(editor, late_night, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert stored(app, late_night) == [
        ("speech", "follow", datetime(2026, 12, 12, 15, 30, tzinfo=UTC)),
        ("film", "manual", datetime(2026, 12, 12, 16, 30, tzinfo=UTC)),  # 00:30 after a 23:00 start: the next day
        2,
    ]
    html = editor.get(path(late_night)).get_data(as_text=True)
    assert shown(html) == (["follow", "manual"], ["23:30", "00:30"])


def test_a_datetime_local_value_is_taken_as_written(app, late_night, editor):
    data = form(app, late_night, modes=["manual", "follow"], hard_starts=["2026-12-14T08:05", ""])
    assert post(editor, late_night, data).status_code == 302
    assert stored(app, late_night)[0] == ("speech", "manual", datetime(2026, 12, 14, 0, 5, tzinfo=UTC))
    html = editor.get(path(late_night)).get_data(as_text=True)
    assert shown(html)[1] == ["2026-12-14T08:05", ""]  # not on the session's night: shown with its date


@pytest.mark.parametrize(
    ("modes", "hard_starts", "message"),
    [
        (["sometimes", "follow"], ["", ""], "Item 1: a cue is “manual” or “follow”, not “sometimes”."),
        (["manual", "follow"], ["", "25:10"], "Item 2: “25:10” is not a time of day: use HH:MM"),
        (["manual", "follow"], ["tomorrow", ""], "Item 1: “tomorrow” is not a hard start: use HH:MM"),
        (["manual", "follow"], ["2026-02-30T10:00", ""], "Item 1: “2026-02-30T10:00” is not a date and time"),
    ],
)
def test_a_bad_mode_or_hard_start_is_refused_and_nothing_is_written(
    app, late_night, editor, modes, hard_starts, message
):
    before = stored(app, late_night)
    response = post(editor, late_night, form(app, late_night, modes=modes, hard_starts=hard_starts))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in html
    assert message in html.replace("&#34;", '"')
    assert 'aria-invalid="true"' in html
    assert shown(html)[1] == hard_starts  # shown again as typed
    assert stored(app, late_night) == before


def test_a_time_skipped_by_a_clock_change_is_refused(app, editor, client):
    from showcase.extensions import db
    from showcase.schedule.services import append_item

    with app.app_context():
        festival = make_festival(timezone="Europe/Berlin", start_date=datetime(2026, 3, 28).date())
        session = make_session(festival, starts_at=datetime(2026, 3, 28, 23, 0, tzinfo=UTC), minutes=240)
        append_item(session, kind="speech", planned_seconds=300, title="Late talk")
        db.session.commit()
        night = {"slug": festival.slug, "session": session.id}
    response = post(editor, night, form(app, night, modes=["manual"], hard_starts=["02:30"]))
    assert response.status_code == 400
    assert "2026-03-29 02:30 does not exist in Europe/Berlin" in response.get_data(as_text=True)
    assert stored(app, night)[0] == ("speech", "manual", None)


def test_the_diff_names_cue_mode_and_hard_start_on_the_festival_clock():
    from zoneinfo import ZoneInfo

    from showcase.schedule.order_diff import diff_running_orders

    def rec(mode, hard):
        return {"id": 1, "kind": "film", "title": "A", "title_en": "", "planned_seconds": 60, "cue_mode": mode,
                "hard_start_at": hard}  # fmt: skip

    before = [rec("follow", None)]
    after = [rec("manual", "2026-12-12T15:30:00+00:00")]
    assert diff_running_orders(before, after, tz=ZoneInfo("Asia/Shanghai"))["edited"] == [
        "«A» (film): cue “follow” → “manual”; hard start none → 2026-12-12 23:30"
    ]
    assert diff_running_orders(after, before)["edited"] == [
        "«A» (film): cue “manual” → “follow”; hard start 2026-12-12 15:30 UTC → none"
    ]
    # an audit entry from before show control has neither: it says nothing about them
    old = [{k: v for k, v in rec("", None).items() if k not in ("cue_mode", "hard_start_at")}]
    assert diff_running_orders(old, after)["edited"] == []


def test_a_stale_save_names_the_colleagues_cue_changes(app, late_night, editor):
    stale = form(app, late_night, modes=["manual", "follow"], hard_starts=["", ""])
    saved = post(editor, late_night, form(app, late_night, modes=["follow", "manual"], hard_starts=["23:30", ""]))
    assert saved.status_code == 302
    assert stored(app, late_night)[-1] == 2
    response = post(editor, late_night, stale)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "«开场» (speech): cue “manual” → “follow”; hard start none → 2026-12-12 23:30" in html
    assert "«午夜电影» (film): cue “follow” → “manual”" in html
    assert stored(app, late_night)[0] == ("speech", "follow", datetime(2026, 12, 12, 15, 30, tzinfo=UTC))


def test_the_cue_sheet_page_and_pdf_say_go_or_follows_and_the_hard_start(app, late_night, editor, tmp_path):
    import subprocess

    saved = post(editor, late_night, form(app, late_night, modes=["manual", "follow"], hard_starts=["", "00:30"]))
    assert saved.status_code == 302
    sheet = f"/staff/festivals/{late_night['slug']}/sessions/{late_night['session']}/cue-sheet"
    html = editor.get(sheet).get_data(as_text=True)
    assert re.findall(r'<td class="cue-start">(\w+)', html) == ["GO", "follows"]
    assert re.findall(r'class="small hard-start">([^<]+)<', html) == ["not before 00:30"]
    pdf = tmp_path / "cues.pdf"
    pdf.write_bytes(editor.get(sheet + ".pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "follows" in text and "not before 00:30" in text
    assert re.search(r"1\s+23:00\s+开场\s+5:00\s+GO", text), text
