"""Ready guest pages: a repeated request runs one tiny query and renders nothing; every public change shows at once.

The public version is bumped in the transaction of any change guests could see (films, reveals, sessions,
kiosks' "now playing", what is on stage) and of nothing else (a heartbeat of a kiosk that keeps playing the
same film, a film's contact address). A page that changes by the clock alone (a reveal at a set time, a
kiosk falling silent) changes at that moment without any write.
"""

from __future__ import annotations

import gzip
import inspect as pyinspect
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from showcase.awards.models import Award
from showcase.db import Base, utcnow
from showcase.extensions import db
from showcase.films.models import Film
from showcase.guests import feeds, film_page, frab, on_stage, public_version, queries
from showcase.guests.models import KIOSKS, SITE, PublicVersion
from showcase.guests.public_version import WATCHED, read_version
from showcase.schedule import public as schedule_public
from tests.showcase.guests.test_on_stage import _put_on_stage

SLUG = "ai-shorts-2026"
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def statements(app):
    """Every SQL statement the app runs while the test looks (first word and text)."""
    seen: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    yield seen
    event.remove(engine, "before_cursor_execute", remember)


def version(app) -> int:
    with app.app_context():
        return read_version()


def film_url(guest, slug: str = "tides") -> str:
    return f"/f/{guest.codes[slug]}"


def test_a_repeated_guest_page_costs_one_primary_key_read_and_no_rendering(app, client, guest, statements):
    urls = [film_url(guest), f"/festivals/{SLUG}", f"/festivals/{SLUG}/schedule", "/", "/f/zzzzzzzz"]
    first = {url: client.get(url, headers=ENGLISH) for url in urls}
    reads: list[object] = []

    def read(*_args) -> None:
        reads.append(1)

    engine = app.extensions["public_version"].engine  # the version read's own small pool
    event.listen(engine, "checkout", read)
    statements.clear()
    try:
        for url in urls:
            again = client.get(url, headers=ENGLISH)
            assert again.status_code == first[url].status_code and again.get_data() == first[url].get_data(), url
            assert again.headers["ETag"] == first[url].headers["ETag"]
    finally:
        event.remove(engine, "checkout", read)
    assert statements == []  # no page query: the app's own engine ran nothing
    assert len(reads) == len(urls)  # one version read each
    assert public_version.VERSION_SQL.endswith(f"WHERE id IN ({SITE}, {KIOSKS})")


def test_gzip_and_identity_are_the_same_page_with_their_own_etags_and_304s(client, guest):
    url = film_url(guest)
    plain = client.get(url, headers={**ENGLISH, "Accept-Encoding": "identity"})
    zipped = client.get(url, headers={**ENGLISH, "Accept-Encoding": "gzip, deflate, br"})
    assert plain.headers.get("Content-Encoding") is None and zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data()) < len(plain.get_data()) / 2
    assert int(plain.headers["Content-Length"]) == len(plain.get_data())
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    for response, encoding in ((plain, "identity"), (zipped, "gzip")):
        assert response.headers["Vary"] == "Accept-Encoding, Accept-Language"
        assert response.headers.get("Set-Cookie") is None and response.cache_control.public
        again = client.get(
            url, headers={**ENGLISH, "Accept-Encoding": encoding, "If-None-Match": response.headers["ETag"]}
        )
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == response.headers["ETag"]
    other = client.get(url, headers={**ENGLISH, "Accept-Encoding": "gzip", "If-None-Match": plain.headers["ETag"]})
    assert other.status_code == 200  # the identity ETag does not stand for the gzip bytes


def test_an_edit_a_reveal_and_a_withdrawal_show_at_once(app, client, guest):
    url = film_url(guest)
    before = version(app)
    assert "Tidal Memory" in client.get(url, headers=ENGLISH).get_data(as_text=True)
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.slug == "tides"))
        film.title_en = "Low Tides"
        db.session.commit()
    assert version(app) == before + 1
    assert "Low Tides" in client.get(url, headers=ENGLISH).get_data(as_text=True)
    guest.reveal_awards()  # a bulk UPDATE through the session counts too
    assert version(app) == before + 2
    assert "Third prize" in client.get(url, headers=ENGLISH).get_data(as_text=True)
    guest.withdraw("tides")
    assert client.get(url, headers=ENGLISH).status_code == 410


def test_what_guests_never_see_bumps_nothing(app, client, guest):
    url = film_url(guest)
    page = client.get(url, headers=ENGLISH).get_data()
    before = version(app)
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.slug == "tides"))
        film.contact_email = "someone@example.org"
        db.session.commit()
        film.title_en = "Not saved"
        db.session.flush()
        db.session.rollback()  # a flushed public change that rolls back is no change
    assert version(app) == before
    assert client.get(url, headers=ENGLISH).get_data() == page


def test_now_playing_bumps_when_the_film_changes_not_at_every_heartbeat(app, client, guest):
    guest.reveal_awards()
    fireworks, tides = film_url(guest, "fireworks"), film_url(guest, "tides")
    before = version(app)
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["fireworks"], "position": 1.0})
    assert version(app) == before + 1
    assert "Now playing" in client.get(fireworks, headers=ENGLISH).get_data(as_text=True)
    for position in (2.0, 3.0, 4.0):  # heartbeats of the same film, a second apart
        guest.kiosk(
            state={"state": "playing", "film_code": guest.codes["fireworks"], "position": position}, age_seconds=0
        )
    assert version(app) == before + 1
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["tides"], "position": 0.0})
    assert version(app) == before + 2
    assert "Now playing" not in client.get(fireworks, headers=ENGLISH).get_data(as_text=True)
    assert "Now playing" in client.get(tides, headers=ENGLISH).get_data(as_text=True)


def test_now_playing_changes_only_the_pages_of_the_films_concerned(app, client, guest, statements):
    guest.reveal_awards()
    fireworks, tides = film_url(guest, "fireworks"), film_url(guest, "tides")
    others = [tides, f"/festivals/{SLUG}", f"/festivals/{SLUG}/schedule", "/"]
    kept = {url: client.get(url, headers=ENGLISH).get_data() for url in [fireworks, *others]}
    for film in ("fireworks", "tides"):
        guest.kiosk(state={"state": "playing", "film_code": guest.codes[film]})
        statements.clear()
        for url in others if film == "fireworks" else others[1:]:
            assert client.get(url, headers=ENGLISH).get_data() == kept[url], url
        # where films play is read once (this process's look at the kiosks), and no page ran a query
        assert statements and all(" FROM kiosk " in statement for statement in statements), statements
        assert "Now playing" in client.get(film_url(guest, film), headers=ENGLISH).get_data(as_text=True)
    assert "Now playing" not in client.get(fireworks, headers=ENGLISH).get_data(as_text=True)


def test_a_kiosk_falling_silent_ends_now_playing_by_the_clock(app, client, guest):
    guest.reveal_awards()
    url = film_url(guest, "fireworks")
    silent_in = 1.5
    age = queries.HEARTBEAT_FRESH.total_seconds() - silent_in
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["fireworks"]}, age_seconds=age)
    before = version(app)
    assert "Now playing" in client.get(url, headers=ENGLISH).get_data(as_text=True)
    time.sleep(silent_in + 0.5)
    assert "Now playing" not in client.get(url, headers=ENGLISH).get_data(as_text=True)
    assert version(app) == before  # nothing was written: the clock did it


def test_a_reveal_set_for_a_moment_shows_at_that_moment(app, client, guest):
    url = film_url(guest)
    soon = utcnow() + timedelta(seconds=1.5)
    guest._change(update(Award).values(revealed_at=soon))
    assert "Third prize" not in client.get(url, headers=ENGLISH).get_data(as_text=True)
    time.sleep(max(0.0, (soon - utcnow()).total_seconds()) + 0.3)
    assert "Third prize" in client.get(url, headers=ENGLISH).get_data(as_text=True)


def test_what_is_on_stage_shows_at_once(app, client, guest):
    guest.reveal_awards()
    page = f"/festivals/{SLUG}"
    assert "On stage now" not in client.get(page, headers=ENGLISH).get_data(as_text=True)
    _put_on_stage(app, guest, "ceremony", "tides")
    assert "On stage now" in client.get(page, headers=ENGLISH).get_data(as_text=True)


def test_the_version_row_is_made_by_the_first_change_and_never_goes_back(app, guest):
    with app.app_context():
        db.session.execute(PublicVersion.__table__.delete())
        db.session.commit()  # a Core statement on an unwatched table: no bump
        assert read_version() == 0
        guest.withdraw("tides")
        assert read_version() == 1


def _mapped_classes(module) -> set[type]:
    return {
        value
        for value in vars(module).values()
        if pyinspect.isclass(value) and issubclass(value, Base) and value is not Base
    }


def test_every_model_a_guest_page_reads_is_watched():
    read = set()
    for module in (queries, film_page, on_stage, feeds, frab, schedule_public):
        read |= {cls for cls in _mapped_classes(module) if cls is not PublicVersion}
    assert read, "the guest modules should read some models"
    assert read <= set(WATCHED), read - set(WATCHED)
    assert public_version.PRIVATE.isdisjoint({"title", "title_en", "status", "revealed_at", "public", "state"})


def test_with_a_shared_bus_a_hit_reads_nothing_until_a_push_comes(app, guest, redis_url, tmp_path):
    """Two apps on one database and one Redis: B's ready pages trust the pushed version, and hear A's bump."""
    from showcase.app import create_app
    from tests.conftest import app_config

    b = create_app(app_config(tmp_path / "b", app.config["DATABASE_URL"], PUBSUB_URL=redis_url))
    a = create_app(app_config(tmp_path / "a", app.config["DATABASE_URL"], PUBSUB_URL=redis_url))
    try:
        deadline = time.monotonic() + 5
        while not (b.extensions["showcase.live"].shared and a.extensions["showcase.live"].shared):
            assert time.monotonic() < deadline, "the buses never subscribed"
            time.sleep(0.02)
        client, url = b.test_client(), film_url(guest)
        assert "Tidal Memory" in client.get(url, headers=ENGLISH).get_data(as_text=True)
        reads: list[int] = []

        def read(*_args) -> None:
            reads.append(1)

        engine = b.extensions["public_version"].engine
        event.listen(engine, "checkout", read)
        try:
            for _ in range(5):
                assert client.get(url, headers=ENGLISH).status_code == 200
            assert reads == []  # within GUEST_VERSION_RECHECK_MS and no push: no read at all
            with a.app_context():
                film = db.session.scalar(select(Film).where(Film.slug == "tides"))
                film.title_en = "Tidal Memory, pushed"
                db.session.commit()
            deadline = time.monotonic() + 2
            while "pushed" not in client.get(url, headers=ENGLISH).get_data(as_text=True):
                assert time.monotonic() < deadline, "B never heard A's change"
                time.sleep(0.01)
            assert reads  # the push made B read the version again
        finally:
            event.remove(engine, "checkout", read)
    finally:
        for other in (a, b):
            other.extensions["showcase.live"].close()
            with other.app_context():
                db.engine.dispose()
