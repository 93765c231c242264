"""What cannot be undone asks first: a POST without confirm=1 changes nothing and shows the step;
the step's own form does it; without a CSRF token nothing happens; everyday buttons stay one click."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form

SLUG = "ai-shorts-2026"
STAFF = f"/staff/festivals/{SLUG}"
AWARDS = f"{STAFF}/awards/"
MAIN = "主竞赛单元 (Main Competition)"
FIREWORKS = "烟花之下是我家"


class Forms(HTMLParser):
    """Every form of a page: its attributes, hidden fields, buttons and links inside it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[dict] = []
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"attrs": attrs, "fields": {}, "buttons": []}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("type") == "hidden":
            self._open["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self._open is not None:
            self._open["buttons"].append(attrs.get("class") or "")
        elif tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None

    def posting_to(self, path: str, **fields: str) -> list[dict]:
        return [
            f
            for f in self.forms
            if f["attrs"].get("action") == path and all(f["fields"].get(k) == v for k, v in fields.items())
        ]


@dataclass
class Case:
    path: str  # the action
    page: str  # where its button is
    question: str  # what the step asks
    state: Callable[[], object]  # what the action changes (read in an app context)
    after: object  # that state once done
    fields: dict | None = None  # posted with the button


def _db():
    from showcase.extensions import db

    return db


def _main_awards():
    from showcase.awards.models import AwardCategory

    category = _db().session.scalar(select(AwardCategory).where(AwardCategory.name_en == "Main Competition"))
    return category, list(category.awards)


def _film(slug: str):
    from showcase.films.models import Film

    return _db().session.scalar(select(Film).where(Film.slug == slug))


def reveal_all(app) -> Case:
    category, awards = _main_awards()
    return Case(
        f"{AWARDS}categories/{category.id}/reveal",
        AWARDS,
        f"Reveal every winner of {MAIN}?",
        lambda: [a.revealed_at is not None for a in _main_awards()[1]],
        [True] * len(awards),
    )


def reveal_one(app) -> Case:
    award = next(a for a in _main_awards()[1] if a.film.slug == "fireworks")
    award_id = award.id
    return Case(
        f"{AWARDS}winners/{award_id}/reveal",
        AWARDS,
        f"Reveal the winner {FIREWORKS} of {MAIN}?",
        lambda: [a.id for a in _main_awards()[1] if a.revealed_at is not None],
        [award_id],
    )


def remove_winner(app) -> Case:
    awards = _main_awards()[1]
    award_id = next(a.id for a in awards if a.film.slug == "fireworks")
    return Case(
        f"{AWARDS}winners/{award_id}/delete",
        AWARDS,
        f"Remove the winner {FIREWORKS} from {MAIN}?",
        lambda: [a.id for a in _main_awards()[1]],
        [a.id for a in awards if a.id != award_id],
    )


def remove_credit(app) -> Case:
    film = _film("fireworks")
    credit = film.credits[0]
    return Case(
        f"{STAFF}/films/{film.id}/credits/{credit.id}/delete",
        f"{STAFF}/films/{film.id}/edit",
        f"Remove {credit.person.name} as {credit.role} from {FIREWORKS}?",
        lambda: [c.id for c in _film("fireworks").credits],
        [c.id for c in film.credits[1:]],
    )


def remove_poster(app) -> Case:
    from PIL import Image

    from showcase.films.posters import replace_poster

    jpeg = io.BytesIO()
    Image.new("RGB", (600, 900), "#8a1c2b").save(jpeg, "JPEG")
    root = Path(app.config["UPLOAD_ROOT"])
    film = replace_poster(_film("fireworks"), jpeg.getvalue(), upload_root=root)
    _db().session.commit()

    def state():
        name = _film("fireworks").poster_path
        return name, sorted(p.name for p in (root / "posters").rglob("*") if p.is_file())

    return Case(
        f"{STAFF}/films/{film.id}/poster/delete",
        f"{STAFF}/films/{film.id}/edit",
        f"Remove the poster of {FIREWORKS}?",
        state,
        (None, []),
    )


def remove_playlist_item(app) -> Case:
    from showcase.kiosks.models import Playlist

    def items():
        playlist = _db().session.scalar(select(Playlist).where(Playlist.source == "session"))
        return playlist, [i.id for i in playlist.items]

    playlist, ids = items()
    first = playlist.items[0]
    return Case(
        f"{STAFF}/playlists/{playlist.id}/items/{first.id}/remove",
        f"{STAFF}/playlists/{playlist.id}",
        f"Remove {first.title} from the playlist {playlist.title}?",
        lambda: items()[1],
        ids[1:],
    )


def stop_screen(app) -> Case:
    from showcase.kiosks.models import KioskCommand
    from showcase.kiosks.services import find_kiosk

    kiosk_id = find_kiosk("hall-1").id
    return Case(
        f"/staff/kiosks/{kiosk_id}/commands",
        "/staff/kiosks/",
        "Stop the screen of hall-1?",
        lambda: list(_db().session.scalars(select(KioskCommand.command).where(KioskCommand.kiosk_id == kiosk_id))),
        ["stop"],
        fields={"command": "stop"},
    )


CASES = {
    "reveal all": reveal_all,
    "reveal one": reveal_one,
    "remove winner": remove_winner,
    "remove credit": remove_credit,
    "remove poster": remove_poster,
    "remove playlist item": remove_playlist_item,
    "stop a screen": stop_screen,
}
ENDPOINTS = {
    "awards.reveal_category",
    "awards.reveal_award",
    "awards.remove_award",
    "films.remove_credit",
    "films.remove_poster",
    "kiosks.playlists.remove_item",
    "kiosks.control.send_command",
}


@pytest.fixture(params=list(CASES))
def case(request, demo) -> Case:
    with demo.app_context():
        return CASES[request.param](demo)


def _state(app, case: Case):
    with app.app_context():
        return case.state()


def _audit_rows(app) -> int:
    from showcase.audit.models import AuditLog

    with app.app_context():
        return _db().session.scalar(select(func.count()).select_from(AuditLog))


def _ask(client, case: Case, **extra: str):
    return post_form(client, case.path, {**(case.fields or {}), **extra}, token_from=case.page)


@pytest.mark.parametrize("extra", [{}, {"confirm": "yes"}, {"confirm": "0"}])
def test_a_post_without_confirmation_changes_nothing_and_asks(app, client, login_as, case, extra):
    login_as("editor")
    before, audit = _state(app, case), _audit_rows(app)
    response = _ask(client, case, **extra)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<h1 id="confirm-question">{escape(case.question)}</h1>' in html
    step = Forms(html)
    [form] = step.posting_to(case.path, confirm="1", **(case.fields or {}))
    assert form["fields"]["csrf_token"] and form["buttons"] == ["danger"]
    [cancel] = [a for a in step.links if "data-cancel" in a]
    assert cancel["href"].split("#")[0] == case.page
    assert (_state(app, case), _audit_rows(app)) == (before, audit)


def test_the_confirmed_post_does_it(app, client, login_as, case):
    login_as("editor")
    assert _state(app, case) != case.after
    step = Forms(_ask(client, case).get_data(as_text=True))
    [form] = step.posting_to(case.path, confirm="1")
    response = client.post(case.path, data=form["fields"])  # the step's own form, as a browser sends it
    assert response.status_code == 303
    assert _state(app, case) == case.after


@pytest.mark.parametrize("confirm", [None, "1"])
def test_without_a_csrf_token_nothing_happens(app, client, login_as, case, confirm):
    login_as("editor")
    before = _state(app, case)
    data = {**(case.fields or {}), **({"confirm": confirm} if confirm else {})}
    assert client.post(case.path, data=data).status_code == 400
    assert client.post(case.path, data={**data, "csrf_token": "forged"}).status_code == 400
    assert _state(app, case) == before


def test_a_viewer_cannot_confirm(app, client, login_as, case):
    login_as("viewer")
    before = _state(app, case)
    response = post_form(client, case.path, {**(case.fields or {}), "confirm": "1"}, token_from="/staff/")
    assert response.status_code == 403
    assert _state(app, case) == before


def test_the_button_looks_dangerous_and_asks_first(app, client, login_as, case):
    login_as("editor")
    forms = Forms(client.get(case.page).get_data(as_text=True)).posting_to(case.path, **(case.fields or {}))
    assert forms, f"no button for {case.path} on {case.page}"
    for form in forms:
        [button] = form["buttons"]
        assert "data-confirm" in form["attrs"] and "danger" in button.split()


def test_everyday_buttons_stay_one_click(app, client, demo, login_as):
    from showcase.kiosks.models import KioskCommand
    from showcase.kiosks.services import find_kiosk

    login_as("editor")
    with app.app_context():
        kiosk_id = find_kiosk("hall-1").id
        category_id = _main_awards()[0].id
    page = Forms(client.get("/staff/kiosks/").get_data(as_text=True))
    for command in ("play", "pause", "previous", "next", "reload"):
        [form] = page.posting_to(f"/staff/kiosks/{kiosk_id}/commands", command=command)
        assert "data-confirm" not in form["attrs"] and "danger" not in form["buttons"][0]
        response = client.post(form["attrs"]["action"], data=form["fields"])
        assert response.status_code == 303
    hidden = post_form(client, f"{AWARDS}categories/{category_id}/unreveal", {}, token_from=AWARDS)
    assert hidden.status_code == 303  # hiding winners again is always safe
    with app.app_context():
        sent = _db().session.scalars(select(KioskCommand.command).where(KioskCommand.kiosk_id == kiosk_id))
        assert list(sent) == ["play", "pause", "previous", "next", "reload"]


@pytest.mark.parametrize("confirm", [None, "1"])
def test_an_unknown_target_is_not_found_either_way(app, client, demo, login_as, confirm):
    login_as("editor")
    data = {"confirm": confirm} if confirm else {}
    for path in (
        f"{AWARDS}winners/999999/delete",
        f"{AWARDS}categories/999999/reveal",
        f"{STAFF}/films/999999/poster/delete",
        "/staff/kiosks/999999/commands",
    ):
        assert post_form(client, path, {**data, "command": "stop"}, token_from=AWARDS).status_code == 404, path


DESTRUCTIVE = re.compile(r"\.(remove|delete|reveal|destroy|drop|stop)_")


def test_every_deleting_or_revealing_route_asks_first(app):
    """A new delete/remove/reveal route must join CASES (and use showcase.confirm)."""
    found = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and DESTRUCTIVE.search(f".{rule.endpoint.rsplit('.', 1)[-1]}")
    }
    assert found == ENDPOINTS - {"kiosks.control.send_command"}
