"""Two hosts, one truth: two app processes on one PostgreSQL and one Redis, with nginx in front.

One set of processes serves every check of this module: two gunicorn app hosts (A and B, gthread
workers, as the README recommends) on the suite's PostgreSQL and Redis (sign-in throttle and live
pushes), and real nginx with the repository's sample config (showcase/deploy/nginx.conf) in front of
both. What a guest, a member of staff and a kiosk get:
- an edit saved through A is on B's guest pages at once (its public version bump is pushed through
  Redis before A answers; B reads the version again on the push);
- through nginx, a guest page is a cache HIT the second time, and an edit shows within the cache's
  validity (1 s, revalidated with the page's ETag);
- failed sign-ins count across both hosts;
- a command sent through A's control room reaches a kiosk long-polling B.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import nginx
from tests.apphosts import AppHost, Browser
from tests.conftest import PASSWORD, PG_URL
from tests.postgres import scratch_database

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set SHOWCASE_TEST_DATABASE_URL (CI does)"),
    pytest.mark.serial,  # times an edit's way from one host to the other: run alone, after the parallel pass
]
SLUG = "ai-shorts-2026"
ENGLISH = {"Accept-Language": "en"}
PUSHED = 0.5  # seconds: an edit through A on B's pages (pushed through Redis, read from PostgreSQL)
NGINX_VALID = 1.0  # proxy_cache_valid in the sample config, seconds
EDITOR = "editor@example.org"


@dataclass
class Site:
    database_url: str
    a: AppHost
    b: AppHost
    proxy: str
    films: dict[str, tuple[int, str]] = field(default_factory=dict)  # slug -> (id, code)
    kiosk: tuple[int, str] = (0, "")  # id, token


def _seed(database_url: str, folder) -> dict:
    """Schema, the demo festival, an editor and a kiosk token, through the app's own services."""
    from showcase.app import create_app
    from showcase.auth.services import create_user
    from showcase.demo.loader import load_demo
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks.services import find_kiosk, new_token

    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(folder), "SECRET_KEY": secrets.token_urlsafe(40)}
    )
    with app.app_context():
        db.create_all()
        load_demo(make_clips=False)
        create_user(email=EDITOR, name="An editor", role="editor", password=PASSWORD)
        kiosk = find_kiosk("hall-1")
        token = new_token(kiosk)
        db.session.commit()
        films = {f.slug: (f.id, f.code) for f in db.session.scalars(select(Film))}
        seeded = {"films": films, "kiosk": (kiosk.id, token)}
        db.session.remove()
        db.engine.dispose()
    return seeded


@pytest.fixture(scope="module")
def site(pg_server, redis_url, tmp_path_factory):
    if nginx.executable() is None:
        pytest.fail("nginx is missing: `make test` installs the Debian package nginx")
    folder = tmp_path_factory.mktemp("two-hosts")
    with scratch_database(pg_server, prefix="showcase_hosts") as database_url:
        seeded = _seed(database_url, folder / "seed")
        settings = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(40),  # one key: a staff session is good on either host
            "PUBSUB_URL": redis_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "PROXY_FIX": "1",
            "KIOSK_COMMANDS_WAIT_MS": "20000",
        }
        hosts = [AppHost(folder / name, settings) for name in ("a", "b")]
        try:
            for host in hosts:
                host.wait_ready()
            with nginx.serve(folder / "nginx", upstreams=[h.address for h in hosts]) as proxy:
                yield Site(database_url, hosts[0], hosts[1], proxy, seeded["films"], seeded["kiosk"])
        finally:
            for host in hosts:
                host.process.terminate()
            for host in hosts:
                host.stop()


def _edit_title(site: Site, slug: str, title_en: str, *, on: AppHost) -> None:
    """Sign in on host `on` and save the film's English title through its edit form."""
    from showcase.app import create_app
    from showcase.extensions import db
    from showcase.films.forms import FilmForm
    from showcase.films.models import Film

    film_id = site.films[slug][0]
    app = create_app({"DATABASE_URL": site.database_url, "SECRET_KEY": secrets.token_urlsafe(40), "TESTING": True})
    with app.app_context(), app.test_request_context():
        film = db.session.get(Film, film_id)
        names = [name for name in FilmForm().data if name not in ("csrf_token", "version", "poster")]
        values = {name: "" if getattr(film, name) is None else getattr(film, name) for name in names}
        values.update(version=film.version, title_en=title_en)
        db.session.remove()
        db.engine.dispose()
    staff = Browser()
    assert staff.post_form(f"{on.url}/login", {"email": EDITOR, "password": PASSWORD}).status == 200
    saved = staff.post_form(f"{on.url}/staff/festivals/{SLUG}/films/{film_id}/edit", values)
    assert saved.status == 200 and "Film saved." in saved.text, saved.text[:2000]


def _title(answer) -> str:
    start = answer.text.index("<h1>") + 4
    return answer.text[start : answer.text.index("</h1>", start)]


def test_an_edit_through_a_is_on_bs_guest_pages_at_once(site):
    guest = Browser()
    url = f"/f/{site.films['tides'][1]}"
    on_b = guest.request(site.b.url + url, headers=ENGLISH)
    assert _title(on_b) == "Tidal Memory"
    assert guest.request(site.a.url + url, headers=ENGLISH).headers["ETag"] == on_b.headers["ETag"]
    _edit_title(site, "tides", "Tidal Memory (restored)", on=site.a)
    saved = time.monotonic()
    # B trusts the version Redis pushes (a millisecond after A's commit, before A answers); the bound
    # is for a busy machine, far below any cache's validity.
    while _title(guest.request(site.b.url + url, headers=ENGLISH)) != "Tidal Memory (restored)":
        assert time.monotonic() - saved < PUSHED, "B never showed A's edit"


def test_nginx_keeps_guest_pages_and_passes_an_edit_on_within_its_validity(site, tmp_path):
    rendered = nginx.render(tmp_path, upstreams=[site.a.address, site.b.address], port=nginx.free_port())
    checked = nginx.check(rendered)
    assert checked.returncode == 0 and "syntax is ok" in checked.stderr, checked.stderr
    guest = Browser()
    url = site.proxy + f"/f/{site.films['fireworks'][1]}"
    first = guest.request(url, headers=ENGLISH)
    second = guest.request(url, headers=ENGLISH)
    assert first.status == second.status == 200 and second.body == first.body
    assert first.headers["X-Cache-Status"] in ("MISS", "EXPIRED", "UPDATING", "REVALIDATED", "HIT")
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.headers.get("Set-Cookie") is None
    staff = guest.request(site.proxy + "/login")
    assert staff.status == 200 and staff.headers.get("X-Cache-Status") is None  # not a guest page: never kept
    before = _title(second)
    _edit_title(site, "fireworks", before + " (final cut)", on=site.a)
    edited = time.monotonic()
    while _title(guest.request(url, headers=ENGLISH)) == before:
        assert time.monotonic() - edited < NGINX_VALID + 2.0, "the edit did not pass nginx within its validity"
        time.sleep(0.05)


def test_failed_sign_ins_count_across_both_hosts(site):
    email = "nobody-" + secrets.token_hex(3) + "@example.org"
    statuses = []
    for host in (site.a, site.b, site.a, site.b, site.a, site.b, site.a):
        answer = Browser().post_form(f"{host.url}/login", {"email": email, "password": "wrong " + PASSWORD})
        statuses.append(answer.status)
    assert statuses == [401] * 5 + [429, 429], statuses  # LOGIN_LIMIT_PER_ACCOUNT: 5 per 15 minutes


def test_a_command_sent_through_a_reaches_a_kiosk_polling_b(site):
    kiosk_id, token = site.kiosk
    got: dict = {}

    def poll() -> None:
        answer = Browser().request(
            f"{site.b.url}/api/kiosk/commands?wait=15", headers={"Authorization": f"Bearer {token}"}
        )
        got.update(status=answer.status, body=json.loads(answer.body), at=time.monotonic())

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)  # the long poll is waiting on B
    staff = Browser()
    assert staff.post_form(f"{site.a.url}/login", {"email": EDITOR, "password": PASSWORD}).status == 200
    sent = staff.post_form(
        f"{site.a.url}/staff/kiosks/{kiosk_id}/commands",
        {"command": "pause", "item_key": ""},
        token_from=f"{site.a.url}/staff/kiosks/",
    )
    assert sent.status == 200
    queued = time.monotonic()
    poller.join(timeout=20)
    assert got.get("status") == 200, got
    assert [c["command"] for c in got["body"]["commands"]] == ["pause"]
    assert got["at"] - queued < timedelta(seconds=2).total_seconds()
