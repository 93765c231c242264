"""“On stage now” on the guest festival page: the current cue of a live show, never a rehearsal, never a secret."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select, update

from showcase.auth.models import User
from showcase.auth.services import create_user
from showcase.awards.models import Award
from showcase.db import utcnow
from showcase.extensions import db
from showcase.films.models import Film
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.shows import services
from showcase.shows.models import Show
from tests.conftest import PASSWORD

SLUG = "ai-shorts-2026"
PAGE = f"/festivals/{SLUG}"
HEADING = "On stage now"
LANGUAGES = ({"Accept-Language": "zh"}, {"Accept-Language": "en"})


def _go(app, guest, kind: str, presses: int, *, rehearsal: bool = False) -> None:
    """Run the session's show through the services: a rehearsal or a live start, then `presses` GOs."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "caller@example.org"))
        if user is None:
            user = create_user(email="caller@example.org", name="Caller", role="editor", password=PASSWORD)
        show = services.show_for(db.session.get(ScheduleSession, guest.sessions[kind]))
        if rehearsal and show.state == "standby":
            services.rehearse(show, actor=user, now=utcnow())
        for _ in range(presses):
            services.go(show, actor=user, from_cue=show.cue_id, now=utcnow())
        db.session.commit()


def _put_on_stage(app, guest, kind: str, film_slug: str) -> None:
    """A live show of the session standing at the film's cue, written straight (no GO, so nothing revealed)."""
    with app.app_context():
        film_id = db.session.scalar(select(Film.id).where(Film.slug == film_slug))
        item = db.session.scalar(
            select(RunningOrderItem).where(
                RunningOrderItem.session_id == guest.sessions[kind], RunningOrderItem.film_id == film_id
            )
        )
        show = services.show_for(item.session)
        show.state, show.run, show.cue_id, show.cue_started_at = "running", 1, item.id, utcnow()
        db.session.commit()


def _page(client, **headers) -> str:
    response = client.get(PAGE, headers=headers)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _on_stage(text: str) -> str:
    """The on-stage section of the page, or '' when there is none."""
    if HEADING not in text and "此刻台上" not in text:
        return ""
    return text.split('class="on-stage"', 1)[1].split("</section>", 1)[0]


def snapshot(client, *, ignore: tuple[str, ...] = ()) -> list[tuple]:
    seen = []
    for headers in LANGUAGES:
        response = client.get(PAGE, headers=headers)
        kept = sorted((k, v) for k, v in response.headers.items() if k not in ("Date", *ignore))
        seen.append((response.status_code, kept, response.data))
    return seen


@pytest.fixture
def embargoed(guest):
    guest._change(update(Award).values(revealed_at=None))
    return guest


def test_the_current_cue_of_a_live_show_is_on_stage_and_the_award_only_once_announced(app, client, embargoed):
    assert _on_stage(_page(client, **LANGUAGES[1])) == ""
    _go(app, embargoed, "ceremony", 1)  # the show starts live at its first cue
    stage = _on_stage(_page(client, **LANGUAGES[1]))
    assert "<strong>Opening titles</strong>" in stage and "Awards Ceremony" in stage
    assert "<strong>开场</strong>" in _on_stage(_page(client, **LANGUAGES[0]))

    _go(app, embargoed, "ceremony", 1)  # the welcome address
    before = _page(client, **LANGUAGES[1])
    assert "Best Sound Design" not in before  # the sound-design result is still a secret
    _go(app, embargoed, "ceremony", 1)  # its announcement starts: revealed
    stage = _on_stage(_page(client, **LANGUAGES[1]))
    assert "<strong>Best Sound Design · Winner</strong>" in stage
    assert f'<a href="/f/{embargoed.codes["echo-factory"]}?lang=en">Echo Factory</a>' in stage
    _go(app, embargoed, "ceremony", 1)  # its film: public now that its award is
    stage = _on_stage(_page(client, **LANGUAGES[1]))
    assert f'<a href="/f/{embargoed.codes["echo-factory"]}?lang=en"><strong>Echo Factory</strong></a>' in stage


def test_a_rehearsal_shows_guests_nothing_at_all(app, client, embargoed):
    before = snapshot(client)
    _go(app, embargoed, "ceremony", 3, rehearsal=True)  # up to an award's announcement: nothing revealed
    assert snapshot(client) == before
    with app.app_context():
        assert db.session.scalar(select(Award.id).where(Award.revealed_at.is_not(None))) is None


def test_a_film_cue_under_embargo_changes_no_public_byte(app, client, embargoed):
    """A film shown while results are secret says nothing: which film it is (the secret) changes nothing.

    (That a public session's show runs is no secret: it shortens how long pages may be kept, so the first
    comparison, against no show at all, leaves Cache-Control out.)"""
    nothing = snapshot(client, ignore=("Cache-Control",))
    _put_on_stage(app, embargoed, "screening", "fireworks")  # the first prize's film, not yet announced
    assert snapshot(client, ignore=("Cache-Control",)) == nothing
    live = snapshot(client)
    _put_on_stage(app, embargoed, "screening", "tree")
    assert snapshot(client) == live
    _put_on_stage(app, embargoed, "ceremony", "tides")
    assert snapshot(client) == live
    # Once every result is out the same film cue does show: the comparison above could see it.
    embargoed.reveal_awards()
    stage = _on_stage(_page(client, **LANGUAGES[1]))
    assert "<strong>Tidal Memory</strong>" in stage and "<strong>The Fantasy of a ‘Tree’</strong>" in stage


def test_a_private_session_or_an_ended_show_is_not_on_stage(app, client, guest):
    guest.reveal_awards()
    _put_on_stage(app, guest, "screening", "tree")
    assert _on_stage(_page(client, **LANGUAGES[1])) != ""
    guest.make_private("screening")
    assert _on_stage(_page(client, **LANGUAGES[1])) == ""
    guest._change(update(ScheduleSession).values(public=True))
    guest._change(update(Show).values(state="ended"))
    assert _on_stage(_page(client, **LANGUAGES[1])) == ""


def test_the_page_is_keyed_on_what_is_on_stage(app, client, guest):
    guest.reveal_awards()
    quiet = client.get(PAGE, headers=LANGUAGES[1])
    assert quiet.headers["Cache-Control"] == "public, max-age=30"
    _go(app, guest, "ceremony", 1)
    live = client.get(PAGE, headers={"If-None-Match": quiet.headers["ETag"], **LANGUAGES[1]})
    assert live.status_code == 200 and live.headers["ETag"] != quiet.headers["ETag"]
    assert live.headers["Cache-Control"] == "public, max-age=1"  # follows the stage closely
    assert client.get(PAGE, headers={"If-None-Match": live.headers["ETag"], **LANGUAGES[1]}).status_code == 304
    _go(app, guest, "ceremony", 1)
    moved = client.get(PAGE, headers={"If-None-Match": live.headers["ETag"], **LANGUAGES[1]})
    assert moved.status_code == 200 and "Welcome address" in moved.get_data(as_text=True)
    assert "Set-Cookie" not in moved.headers


def test_while_a_show_runs_live_guests_keep_no_page_of_the_festival_longer_than_a_second(app, client, guest):
    """A cue may reveal an award at any second: browsers and proxies may hold a page or feed for one second only."""
    with app.app_context():
        code = db.session.scalar(select(Film.code).where(Film.slug == "tree"))
    pages = {
        f"/f/{code}": 30,
        PAGE: 30,
        f"{PAGE}/schedule": 30,
        f"{PAGE}/calendar.ics": 300,
    }
    for path, quiet in pages.items():
        assert client.get(path).headers["Cache-Control"] == f"public, max-age={quiet}", path
    _go(app, guest, "ceremony", 1, rehearsal=True)  # a rehearsal reveals nothing: pages keep their age
    assert all(client.get(path).headers["Cache-Control"] == f"public, max-age={age}" for path, age in pages.items())
    with app.app_context():
        show = db.session.scalar(select(Show))
        show.state, show.rehearsal = "standby", False
        db.session.commit()
    _go(app, guest, "ceremony", 1)
    for path in pages:
        assert client.get(path).headers["Cache-Control"] == "public, max-age=1", path
