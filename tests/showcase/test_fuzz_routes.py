"""No 500s from input: hostile values to every route parameter, query argument, form field and JSON field,
as every role, as a kiosk and as a show controller (an editor's API token), on the demo data.

Nothing here lists routes or fields by hand: routes come from `app.url_map`, form fields from the forms the
pages really render (with their CSRF token, so a post reaches the handler), query arguments from what the
views read (kept honest by a test that greps the source), JSON fields from valid kiosk and show-controller
bodies. The values are a fixed list and the order is fixed, so every run sends the same requests.

Depth where input is handled, breadth everywhere: the lowest identity that gets past a route's access check
sends every value; every other identity sends one all-hostile request to each route and form.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tests.conftest import CSRF_RE, login
from tests.showcase.kiosks.conftest import bearer, fake_media

ROLES = ("juror", "viewer", "editor", "admin")
IDENTITIES = ("anonymous", *ROLES, "kiosk", "token")
BEARERS = ("kiosk", "token")  # identities with a bearer token and no cookie session
RANK = {"anonymous": 0, "kiosk": 0, "token": 0, "public": 0, "viewer": 1, "editor": 2, "admin": 3}
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")
BIG = "x" * (10 * 1024 * 1024)  # 10 MB, sent to a few fields only: every other value keeps the run fast

# Typed into every field (one field at a time, the rest of the form left as rendered) ...
HOSTILE = ("a\x00b", "9" * 30, "²", "٣", "", "x" * 5000)
# ... and, by the kind of field, what its parser might choke on. Free text that holds a number (a placement,
# a duration) counts as a number; hidden fields (ids, versions) and buttons too.
NUMBERS = ("-1", "9223372036854775808", "0", " ", "1e309", "NaN")
TYPED = {
    "date": ("0001-01-01", "9999-12-31", "2027-02-30"),
    "datetime-local": ("0001-01-01T00:00", "9999-12-31T23:59", "2027-03-28T02:30"),  # the last: a DST gap
    "select": NUMBERS[:3],
    "number": NUMBERS,
    "digits": (*NUMBERS, "١٢:٣٠", "99999999:00", "5:99"),
}
FREE_TEXT = ("text", "email", "password", "search", "textarea")
VERSIONED = {"version", "running_order_version"}  # edit forms that refuse a stale version
TIMES = ("date", "datetime-local")  # the only fields swept on the daylight-saving festival's pages
# In the path, raw (already percent-encoded where it shows a `%`).
PATH_HOSTILE = ("0", "-1", "9" * 30, "9223372036854775808", "²", "٣", "a%00b", "%zz", "%ff", "x" * 3000)
# In a query string: percent-encoded text, then malformed encodings left raw. Downloads (PDF, images,
# calendars) get the short list: a programme PDF takes a second to build.
QUERY_HOSTILE = tuple(
    quote(v, safe="") for v in ("\x00", "9" * 30, "-1", "²", "٣", "NaN", "0001-01-01", "9999-12-31", "x" * 3000)
) + ("%zz", "%", "%e4%b8", "%ff")
QUERY_SHORT = ("%00", "9" * 30, "NaN", "%zz")
# Languages are chosen in one place for every page: each route gets one of each list, in turn.
LANG = ("xx", "zh%00", "%zz")
ACCEPT_LANGUAGE = ("xx-YY;q=0.9, ;;;,,, *;q=abc", "zh;q=1e400, en;q=-1", "x" * 3000)
# Every query argument a view reads, by endpoint; `lang` (every page) is swept everywhere.
PROGRAMME_ARGS = (
    "size",
    "lang",
    "bleed",
    "booklet",
    "include_embargoed",
    "press",
)  # ProgrammeForm, read from the query
QUERY_ARGS = {
    "auth.login": ("next",),
    "workspace.list_films": ("q", "status", "award", "language", "media", "page"),
    "schedule.show_grid": ("day",),
    "programmes.show_programme": PROGRAMME_ARGS,
    "programmes.download_programme": PROGRAMME_ARGS,
    "programmes.download_cards": PROGRAMME_ARGS,
    "programmes.show_proof_report": PROGRAMME_ARGS,
    "workspace.search_films": ("q",),
    "schedule.show_grid_css": ("day",),
    "guests.schedule_xml": ("lang",),
    "guests.schedule_json": ("lang",),
    "kiosks.playlists.export_playlist": ("format", "version"),
    "guests.show_favourites": ("sessions", "films"),
    "guests.festival_calendar": ("sessions", "films"),
    "kiosk_api.commands": ("wait",),
    "shows.download_as_run": ("run",),
    "jury.show_results": ("method",),
    "schedule.search_people": ("q",),
}
# JSON values for every field of the kiosk's bodies (nested ones too).
JSON_HOSTILE = (None, True, -1, 10**30, 2**63, 1e308, "", "\x00", "²", "x" * 5000, [], {}, [[[]]])
KIOSK_BODIES = {
    "heartbeat": {
        "state": "playing",
        "playlist_id": "PLAYLIST",
        "playlist_version": 1,
        "item_key": "ITEM",
        "item_index": 0,
        "position": 1.5,
        "last_error": "",
        "cache": {"items": 1, "ready": 1, "bytes": 10},
        "clock": 1_780_000_000.5,
        "frame_at": 1_780_000_000.25,
        "frame_position": 1.25,
        "still": False,
    },
    "preflight": {
        "playlist_version": 1,
        "items": [{"key": "ITEM", "ok": True, "problem": "", "duration": 4.0, "warning": ""}],
    },
    "commands/COMMAND/ack": {},
}
# The show-controller API's bodies (showcase.shows.api.FIELDS), sent by the show controller's token.
SHOW_BODIES = {
    "rehearse": {},
    "go": {"from_cue": None},
    "back": {"from_cue": None},
    "end": {},
    "reset": {"confirm": True},
}
RAW_BODIES = (
    "[" * 10_000 + "]" * 10_000,
    '{"a":' * 10_000 + "1" + "}" * 10_000,
    "{",
    "\xff\xfe",
    "NaN",
    '{"state": NaN}',
    '{"position": 1e999}',
    json.dumps({"last_error": BIG}),
    "[]",
    "null",
)


# --- what the pages render ---


@dataclass
class Form:
    """One <form method=post> as rendered: where it posts, its fields in page order and their kinds."""

    action: str
    page: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, value: str, kind: str) -> None:
        self.fields.append((name, value))
        self.kinds.setdefault(name, kind)


class FormParser(HTMLParser):
    """Collects the post forms of a page: inputs, selects (their selected or first option), textareas."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.forms = page, []
        self.form: Form | None = None
        self.select: list | None = None  # [name, first option, selected option]
        self.textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self.form = Form(action=attrs.get("action") or self.page, page=self.page)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "option" and self.select is not None:
            self.select[1] = attrs.get("value", "") if self.select[1] is None else self.select[1]
            self.select[2] = attrs.get("value", "") if "selected" in attrs else self.select[2]
        elif not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.form.buttons.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select = [attrs["name"], None, None]
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def _input(self, attrs: dict) -> None:
        kind = attrs.get("type", "text").lower()
        if kind == "file":
            self.form.files.append(attrs["name"])
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.form.add(attrs["name"], attrs.get("value", "y"), kind)
        elif kind != "submit":
            self.form.add(attrs["name"], attrs.get("value", ""), kind)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, first, chosen = self.select
            self.form.add(name, chosen if chosen is not None else first or "", "select")
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.add(*self.textarea, "textarea")
            self.textarea = None


# --- what came back ---


@dataclass
class Report:
    """Every answer of 500 or above, and every page that shows a traceback, collected for one message."""

    failures: list[str] = field(default_factory=list)
    sent: int = 0
    logged: list[str] = field(default_factory=list)

    def check(self, what: str, response) -> None:
        self.sent += 1
        if response.status_code >= 500:
            cause = self.logged[-1] if self.logged else "no exception logged"
            self.failures.append(f"{response.status_code} {_short(what)} — {cause}")
        elif TRACEBACK.search(response.get_data().decode("utf-8", "replace")):
            self.failures.append(f"traceback shown: {_short(what)}")
        self.logged.clear()


def _short(value: object) -> str:
    text = re.sub(r"(.)\1{40,}", lambda m: f"{m.group(1)}×{len(m.group(0))}", str(value))
    return text if len(text) < 300 else text[:300] + "…"


class _Capture(logging.Handler):
    """Keeps the exception behind each 500 (type, message, where it was raised) for the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(logging.ERROR)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            self.report.logged.append(record.getMessage())
            return
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
        self.report.logged.append(f"{type(exc).__name__}: {_short(exc)}{where}")


# --- the world: the demo, one client per identity, a kiosk, a festival with a daylight-saving gap ---


def _berlin(app) -> list[str]:
    """A festival in Europe/Berlin over the spring clock change (02:00–03:00 on 28 March 2027 never happens):
    the session pages whose times are swept there (the festival zone of the demo, Asia/Shanghai, has none)."""
    from showcase.extensions import db
    from showcase.festivals.services import add_screen, add_venue, create_festival
    from showcase.schedule.services import create_session, local_to_utc

    with app.app_context():
        festival = create_festival(
            name="Berliner Nächte",
            slug="berlin-nights",
            start_date=date(2027, 3, 27),
            end_date=date(2027, 3, 29),
            timezone="Europe/Berlin",
        )
        screen = add_screen(add_venue(festival, name="Kino"), name="Saal 1")
        session = create_session(
            festival,
            title="Nachtprogramm",
            kind="screening",
            screen_id=screen.id,
            starts_at=local_to_utc(festival, datetime(2027, 3, 28, 1, 0)),
            ends_at=local_to_utc(festival, datetime(2027, 3, 28, 4, 0)),
        )
        db.session.commit()
        base = "/staff/festivals/berlin-nights/sessions"
        return [f"{base}/new", f"{base}/{session.id}/edit"]


def _kiosk_token(app) -> str:
    """hall-1 with a fresh token and its screening playlist published (fake media), as the kiosk tests do."""
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish
    from showcase.kiosks.services import assign_playlist, find_kiosk, new_token, queue_command

    with app.app_context():
        fake_media(app, db.session.scalars(select(Film).order_by(Film.id)).all())
        playlist = db.session.scalar(select(Playlist).where(Playlist.source == "session"))
        publish(playlist)
        kiosk = find_kiosk("hall-1")
        assign_playlist(kiosk, playlist.id)
        queue_command(kiosk, "pause")
        token = new_token(kiosk)
        db.session.commit()
        return token


def _api_token(app) -> str:
    """A show controller's token: an editor's, so it may send every command."""
    from showcase.auth.services import create_user
    from showcase.auth.tokens import create_token
    from showcase.extensions import db

    with app.app_context():
        user = create_user(email="deck@example.org", name="Stream Deck", role="editor", password="x" * 12)
        _, raw = create_token(user, name="deck")
        db.session.commit()
        return raw


def _route_values(app) -> dict[str, object]:
    """A valid value for every route parameter, from the demo data."""
    from showcase import models as m
    from showcase.extensions import db

    def last(model):
        return db.session.scalars(select(model).order_by(model.id.desc())).first()

    with app.app_context():
        film = db.session.scalar(select(m.Film).where(m.Film.status == "winner").order_by(m.Film.id))
        item = last(m.PlaylistItem)
        busiest = (
            select(m.RunningOrderItem.session_id)
            .group_by(m.RunningOrderItem.session_id)
            .order_by(func.count().desc(), m.RunningOrderItem.session_id)
        )  # the builder then shows rows and their buttons
        return {
            "slug": "ai-shorts-2026",
            "film_id": film.id,
            "code": film.code,
            "credit_id": db.session.scalar(select(m.Credit.id).where(m.Credit.film_id == film.id)),
            "session_id": db.session.scalar(busiest.limit(1)),
            "category_id": last(m.AwardCategory).id,
            "award_id": last(m.Award).id,
            "playlist_id": item.playlist_id,
            "item_id": item.id,
            "kiosk_id": last(m.Kiosk).id,
            "command_id": last(m.KioskCommand).id,
            "screen_id": last(m.Screen).id,
            "name": Path(film.poster_path or "missing.jpg").name,
            "sha256": film.media_asset.sha256,
            "command": "go",  # a show command (the staff page's and the show controller's)
            "fmt": "csv",  # the as-run log's download
            "job_id": 1,  # a background job's pages (none yet: each answers 404)
            "round_id": 1,  # a judging round's pages (none yet: each answers 404)
        }


class World:
    """The app, one test client per identity (signed in before anything can throttle them), and the report."""

    def __init__(self, app, make_user) -> None:
        self.app, self.report = app, Report()
        self.kiosk_token = _kiosk_token(app)
        self.api_token = _api_token(app)
        self.values = _route_values(app)
        self.extra_pages = _berlin(app)
        self.clients = {name: app.test_client() for name in IDENTITIES}
        for role in ROLES:
            assert login(self.clients[role], make_user(role)).status_code == 302
        self.rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)
        self.downloads: set[str] = set()  # endpoints that answer with a file, not a page
        self.tokens: dict[str, str] = {}

    def access(self, rule) -> str:
        return self.app.view_functions[rule.endpoint].access

    def full(self, rule) -> str:
        """The identity that sends every value to this rule: the lowest one its access check lets through."""
        access = self.access(rule)
        return {"public": "anonymous", "kiosk": "kiosk", "token": "token"}.get(access, access)

    def send(self, identity: str, method: str, path: str, note: str = "", **kwargs):
        if identity in BEARERS:
            token = self.kiosk_token if identity == "kiosk" else self.api_token
            kwargs["headers"] = {**kwargs.get("headers", {}), **bearer(token)}
        what = f"{identity}: {method} {path} {note}"
        try:
            response = self.clients[identity].open(path, method=method, **kwargs)
        except Exception as exc:  # the error page itself failed: a bare 500 from the server, and the worst kind
            self.report.failures.append(f"crashed {_short(what)} — {type(exc).__name__}: {_short(exc)}")
            return self.clients[identity].get("/healthz")
        self.report.check(what, response)
        return response

    def token(self, identity: str) -> str:
        """The CSRF token of this identity's session (one per session: it stays valid)."""
        if identity not in self.tokens:
            page = self.clients[identity].get("/account/password" if identity in ROLES else "/login")
            self.tokens[identity] = CSRF_RE.search(page.get_data(as_text=True)).group(1)
        return self.tokens[identity]


def _path(rule, values: dict, **raw: str) -> str:
    """The rule's path with valid values, except the parameters given raw (inserted as they are)."""

    def fill(match: re.Match) -> str:
        name = match.group(1)
        return raw[name] if name in raw else quote(str(values[name]), safe="")

    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_0-9]+)>", fill, rule.rule)


@pytest.fixture
def world(app, demo, make_user):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500 as in production, instead of raising here
    app.config["KIOSK_API_LIMIT"] = "100000 per minute"  # the kiosk here sends far more than a real one
    app.config["SHOW_API_LIMIT"] = "100000 per minute"  # and so does the show controller
    built = World(app, make_user)
    handler = _Capture(built.report)
    app.logger.addHandler(handler)
    yield built
    app.logger.removeHandler(handler)


# --- the sweeps ---


def sweep_paths(world: World) -> None:
    """Every route parameter replaced by each hostile value; the route's other parameters stay valid."""
    for rule in world.rules:
        method = "GET" if "GET" in rule.methods else "POST"
        for identity in IDENTITIES:
            if identity != world.full(rule):
                hostile = {name: "a%00b" if name in ("slug", "code", "name") else "9" * 30 for name in rule.arguments}
                world.send(identity, method, _path(rule, world.values, **hostile))
                continue
            for name in sorted(rule.arguments):
                for value in PATH_HOSTILE:
                    world.send(identity, method, _path(rule, world.values, **{name: value}))


def sweep_queries(world: World) -> None:
    """Every query argument a view reads, unknown languages and Accept-Language garbage, on every GET route."""
    for n, rule in enumerate(r for r in world.rules if "GET" in r.methods):
        path, args = _path(rule, world.values), QUERY_ARGS.get(rule.endpoint, ())
        short = rule.endpoint in world.downloads
        for identity in IDENTITIES:
            if identity != world.full(rule):
                world.send(identity, "GET", f"{path}?lang=%00&" + "&".join(f"{a}=%zz" for a in args))
                continue
            world.send(identity, "GET", f"{path}?lang={LANG[n % len(LANG)]}")
            header = ACCEPT_LANGUAGE[n % len(ACCEPT_LANGUAGE)]
            world.send(identity, "GET", path, headers={"Accept-Language": header}, note=header)
            for arg in args:
                for value in QUERY_SHORT if short else QUERY_HOSTILE:
                    world.send(identity, "GET", f"{path}?{arg}={value}")


def discover_forms(world: World) -> list[Form]:
    """The post forms of every GET page (as admin), one of each kind: the same endpoint and the same fields."""
    seen, forms = set(), []
    pages = [_path(r, world.values) for r in world.rules if "GET" in r.methods and world.access(r) not in BEARERS]
    adapter = world.app.url_map.bind("localhost")
    for page in pages + world.extra_pages:
        response = world.send("admin", "GET", page)
        if response.mimetype != "text/html":
            world.downloads.add(adapter.match(urlsplit(page).path)[0])
            continue
        parser = FormParser(page)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            endpoint, _ = adapter.match(urlsplit(form.action).path, method="POST")
            names = tuple(sorted({re.sub(r"\d+", "N", name) for name in form.kinds}))  # i3-hold is i7-hold
            key = (endpoint, names, tuple(form.buttons[:1]), page in world.extra_pages)
            if key not in seen:
                seen.add(key)
                forms.append(form)
    return forms


FILLER = {"text": "Fuzz 测试", "textarea": "Fuzz 测试", "email": "fuzz@example.org", "number": "60"}


def seed(forms: list[Form]) -> None:
    """Fill the empty fields of a form ("new …" pages render empty) from its sibling on the same festival
    (the "edit …" page of the same form), else with a plain value of its kind: one hostile field in an
    otherwise valid form gets past validation to the code behind it. Passwords stay empty."""

    def group(form: Form) -> tuple:
        return "/".join(form.action.split("/")[:4]), tuple(sorted(form.kinds))

    known: dict[tuple, dict[str, str]] = {}
    for form in forms:
        values = known.setdefault(group(form), {})
        for name, value in form.fields:
            if value.strip():
                values.setdefault(name, value)
    for form in forms:
        values = known[group(form)]
        form.fields = [
            (name, value if value.strip() else values.get(name, FILLER.get(form.kinds[name], value)))
            for name, value in form.fields
        ]


def _values_for(form: Form, name: str, valid: str) -> Iterator[str]:
    """Hostile values for one field. Buttons such as `up:3` or `add-film:12` keep their verb and get a
    hostile number; fields that hold numbers, dates, times or ids (by kind or by value) get the typed values."""
    verbs = dict.fromkeys(v.split(":")[0] for n, v in form.buttons if n == name and re.fullmatch(r"[a-z-]+:\d+", v))
    for verb in verbs:
        yield from (f"{verb}:{v}" for v in ("9" * 30, "-1", "²", "٣", ""))
    yield from HOSTILE
    kind = form.kinds.get(name, "button")
    if kind in TYPED:
        yield from TYPED[kind]
    elif kind not in FREE_TEXT or re.fullmatch(r"[\d:. -]+", valid):
        yield from TYPED["digits"]


def _replace_first(data: MultiDict, name: str, value: str) -> MultiDict:
    """The data with the first value of `name` replaced (repeated fields keep their count)."""
    pairs, done = [], False
    for key, old in data.items(multi=True):
        pairs.append((key, value if key == name and not done else old))
        done = done or key == name
    return MultiDict(pairs if done else [*pairs, (name, value)])


UPLOADS = (
    (b"", ""),
    (b"\x00\xff" * 64, "a\x00b.png"),
    (b"GIF89a", "../../etc/passwd"),
    ("名,title\n\x00,x\n".encode("gb18030"), "名单.csv"),
)


def _refreshed(world: World, identity: str, form: Form, base: MultiDict) -> MultiDict:
    """After a save, the hidden fields as the page renders them now: a stale version would stop every
    later post at the edit conflict, before the hostile value is looked at."""
    parser = FormParser(form.page)
    parser.feed(world.clients[identity].get(form.page).get_data(as_text=True))
    now = next((f for f in parser.forms if f.action == form.action), None)
    hidden = {n: v for n, v in (now.fields if now else []) if now.kinds[n] == "hidden" and "csrf" not in n}
    return MultiDict([(n, hidden.get(n, v)) for n, v in base.items(multi=True)])


def fuzz_form(world: World, identity: str, form: Form) -> None:
    """Each field replaced in turn by each hostile value, the other fields left as rendered; then each upload."""
    token = world.token(identity)
    base = MultiDict([(n, token if n == "csrf_token" else v) for n, v in form.fields + form.buttons[:1]])
    valid = dict(form.fields + form.buttons[:1])
    names = [
        n
        for n in valid
        if n != "csrf_token" and (form.page not in world.extra_pages or form.kinds.get(n, "button") in TIMES)
    ]
    for name in sorted(names, key=lambda n: _in_address(form, valid[n])):
        for value in _values_for(form, name, valid[name]):
            response = world.send(
                identity, "POST", form.action, note=f"{name}={value!r}", data=_replace_first(base, name, value)
            )
            if response.status_code in (302, 303) and VERSIONED & set(form.kinds):
                base = _refreshed(world, identity, form, base)
    for name in form.files:
        for content, filename in UPLOADS:
            data = MultiDict(base)
            data.add(name, (io.BytesIO(content), filename))
            world.send(identity, "POST", form.action, note=f"{name}: {filename!r}", data=data)


def _in_address(form: Form, value: str) -> bool:
    """Whether a field's value names the form's own address (a festival's slug on its edit form; not ids)."""
    return bool(value.strip()) and not value.isdigit() and f"/{value}/" in f"{form.action}/"


def _last(form: Form) -> tuple[bool, bool]:
    """Forms that can move what the others post to go last: signing out, then renaming a festival."""
    return form.action == "/logout", any(_in_address(form, value) for _, value in form.fields)


def sweep_forms(world: World, forms: list[Form]) -> None:
    """Every form by the lowest role that may post it; one all-NUL post by every other identity."""
    adapter = world.app.url_map.bind("localhost")
    rules = {rule.endpoint: rule for rule in world.rules}
    for form in sorted(forms, key=_last):
        rule = rules[adapter.match(urlsplit(form.action).path, method="POST")[0]]
        for identity in IDENTITIES:
            if identity == world.full(rule):
                fuzz_form(world, identity, form)
            elif identity not in BEARERS and form.action != "/logout":
                data = MultiDict([(n, "\x00") for n, _ in form.fields if n != "csrf_token"])
                data.add("csrf_token", world.token(identity))
                world.send(identity, "POST", form.action, note="every field NUL", data=data)


def _key_paths(body: object, prefix: tuple = ()) -> Iterator[tuple]:
    """Every key path of a JSON body (nested objects and list items too)."""
    items = body.items() if isinstance(body, dict) else enumerate(body) if isinstance(body, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from _key_paths(value, (*prefix, key))


def _replaced(body: object, path: tuple, value: object) -> object:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _kiosk_body(world: World, name: str) -> tuple[str, dict]:
    from showcase.extensions import db
    from showcase.kiosks.publishing import latest_version

    with world.app.app_context():
        item = next(iter(latest_version(world.values["playlist_id"]).items))
        db.session.remove()
    text = json.dumps(KIOSK_BODIES[name]).replace('"PLAYLIST"', json.dumps(str(world.values["playlist_id"])))
    path = f"/api/kiosk/{name}".replace("COMMAND", str(world.values["command_id"]))
    return path, json.loads(text.replace('"ITEM"', json.dumps(item)))


def sweep_kiosk_api(world: World) -> None:
    """Each JSON field replaced by each hostile value and hostile bodies whole, by the kiosk; once by everyone."""
    for name in KIOSK_BODIES:
        path, body = _kiosk_body(world, name)
        for identity in IDENTITIES:
            world.send(identity, "POST", path, json=body)
        for key_path in _key_paths(body):
            for value in JSON_HOSTILE:
                world.send("kiosk", "POST", path, json=_replaced(body, key_path, value), note=f"{key_path}={value!r}")
        for raw in RAW_BODIES:
            world.send("kiosk", "POST", path, data=raw, headers={"Content-Type": "application/json"}, note=raw)
        world.send("kiosk", "POST", path, data=json.dumps(body), headers={"Content-Type": "text/plain"})
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 100
    for identity in IDENTITIES:
        world.send(identity, "POST", "/api/kiosk/thumbnail", data=jpeg, headers={"Content-Type": "image/jpeg"})
    for raw in (*RAW_BODIES, b"\xff\xd8\xff" + b"\0" * (300 * 1024), b""):
        for kind in ("image/jpeg", "application/json", "image/png"):
            world.send("kiosk", "POST", "/api/kiosk/thumbnail", data=raw, headers={"Content-Type": kind}, note=kind)


def sweep_show_api(world: World) -> None:
    """Each JSON field of each command replaced by each hostile value and hostile bodies whole, by the show
    controller; each command once by everyone. GO and back also get the cue ids the show really has."""
    for command, body in SHOW_BODIES.items():
        path = f"/api/shows/{world.values['session_id']}/{command}"
        for identity in IDENTITIES:
            world.send(identity, "POST", path, json=body)
        for key_path in _key_paths(body):
            for value in JSON_HOSTILE:
                world.send("token", "POST", path, json=_replaced(body, key_path, value), note=f"{key_path}={value!r}")
        for raw in RAW_BODIES:
            world.send("token", "POST", path, data=raw, headers={"Content-Type": "application/json"}, note=raw)
        world.send("token", "POST", path, data=json.dumps(body), headers={"Content-Type": "text/plain"})
        state = world.send("token", "GET", f"/api/shows/{world.values['session_id']}").json
        cue = (state.get("cue") or {}).get("id")
        world.send("token", "POST", path, json={**body, "from_cue": cue} if "from_cue" in body else body)


def sweep_big(world: World) -> None:
    """10 MB in a few places: a sign-in, a festival's welcome text, a kiosk error; long ones in a search, a path."""
    world.send("anonymous", "POST", "/login", data={"email": BIG, "password": BIG})
    world.send(
        "editor",
        "POST",
        "/staff/festivals/ai-shorts-2026/edit",
        note="welcome=10 MB",
        data={"csrf_token": world.token("editor"), "name": "x", "welcome": BIG},
    )
    world.send("viewer", "GET", f"/staff/festivals/ai-shorts-2026/films/?q={BIG[:1_000_000]}")
    world.send("anonymous", "GET", "/f/" + BIG[:100_000])


def test_no_input_gets_a_500(world):
    forms = discover_forms(world)
    assert len(forms) >= 25, [f.action for f in forms]  # the discovery really found the forms
    seed(forms)
    sweep_paths(world)
    sweep_queries(world)
    sweep_kiosk_api(world)
    sweep_show_api(world)
    sweep_big(world)
    sweep_forms(world, forms)
    report = world.report
    assert report.sent > 2500
    assert not report.failures, f"{len(report.failures)} of {report.sent} answers failed:\n" + "\n".join(
        report.failures
    )


def test_the_query_arguments_swept_are_all_the_views_read(app):
    """Grep: a view that starts reading a new query argument must be added to QUERY_ARGS.

    Names that are route parameters (read from `request.view_args`) are swept as path parameters."""
    root = Path(__file__).resolve().parents[2] / "showcase"
    read = set()
    for source in root.rglob("*.py"):
        read |= set(re.findall(r"args\.get\(\s*[\"'](\w+)[\"']", source.read_text(encoding="utf-8")))
    swept = {arg for args in QUERY_ARGS.values() for arg in args}
    swept |= {name for rule in app.url_map.iter_rules() for name in rule.arguments}
    assert len(read) >= 10 and read - swept == set(), f"query arguments read but not swept: {sorted(read - swept)}"


def test_the_json_fields_swept_are_all_the_kiosk_payloads_read():
    """Grep: a field the kiosk API starts reading must be in one of the valid bodies swept above."""
    source = (Path(__file__).resolve().parents[2] / "showcase" / "kiosks" / "payloads.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\.(?:text|integer|number|flag|get)\(\s*\"(\w+)\"", source))
    swept = {key for body in KIOSK_BODIES.values() for path in _key_paths(body) for key in path if isinstance(key, str)}
    assert len(read) >= 10 and read - swept == set(), f"JSON fields read but not swept: {sorted(read - swept)}"


def test_the_json_fields_swept_are_all_the_show_api_reads():
    """A field the show-controller API starts reading must be in one of the valid bodies swept above."""
    from showcase.shows.api import FIELDS

    assert set(FIELDS) == set(SHOW_BODIES)
    for command, fields in FIELDS.items():
        assert set(fields) == set(SHOW_BODIES[command]), command
