"""Bad input to every foundation form and command: a clear message, and nothing written."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, post_form

FESTIVAL = {
    "name": "测试电影节",
    "name_en": "Test Festival",
    "slug": "test-fest",
    "start_date": "2026-12-01",
    "end_date": "2026-12-03",
    "timezone": "Asia/Shanghai",
}
SESSION = {
    "title": "展映",
    "kind": "screening",
    "starts_at": "2026-12-12T19:00",
    "ends_at": "2026-12-12T21:00",
    "screen_id": "None",
}


def _count(app, model) -> int:
    from showcase.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"timezone": "../../etc/passwd"}, "Unknown time zone"),
        ({"slug": "ai-shorts-2026"}, "already used"),
        ({"slug": "Has Spaces"}, "lower-case letters"),
        ({"name": ""}, "Name is required"),
        ({"end_date": "2026-11-30"}, "cannot end before it starts"),
        ({"start_date": ""}, "Start date is required"),
        ({"public_base_url": "ftp://x"}, "must start with https://"),
        ({"start_date": "0001-01-01"}, "First day must be a date between 1900 and 2200."),
        ({"end_date": "9999-12-31"}, "Last day must be a date between 1900 and 2200."),
        ({"start_date": "2026-02-30"}, "Not a valid date value."),
    ],
)
def test_bad_festival_input(app, client, demo, login_as, changes, message):
    from showcase.festivals.models import Festival

    login_as("editor")
    before = _count(app, Festival)
    response = post_form(client, "/staff/festivals/new", {**FESTIVAL, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, Festival) == before


def test_a_good_festival_is_created(app, client, login_as):
    from showcase.festivals.models import Festival

    login_as("editor")
    response = post_form(client, "/staff/festivals/new", FESTIVAL)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/festivals/test-fest"
    assert _count(app, Festival) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends_at": "2026-12-12T18:00"}, "must end after it starts"),
        ({"ends_at": "2026-12-12T19:00"}, "must end after it starts"),
        ({"title": " "}, "Title is required"),
        ({"kind": "party"}, "Not a valid choice"),
        ({"starts_at": ""}, "Start time is required"),
        ({"starts_at": "2026-12-11T19:00"}, "The start must be on a day of the festival (2026-12-12)."),
        ({"starts_at": "0001-01-01T00:00"}, "The start must be on a day of the festival (2026-12-12)."),
        ({"ends_at": "2026-12-14T00:30"}, "The end must be on a day of the festival (2026-12-12, or the night after)."),
        ({"ends_at": "9999-12-31T23:59"}, "The end must be on a day of the festival (2026-12-12, or the night after)."),
        ({"screen_id": "9" * 30}, "That screen is not one of this festival&#39;s."),
    ],
)
def test_bad_session_input(app, client, demo, login_as, changes, message):
    from showcase.schedule.models import ScheduleSession

    login_as("editor")
    before = _count(app, ScheduleSession)
    response = post_form(client, "/staff/festivals/ai-shorts-2026/sessions/new", {**SESSION, **changes})
    assert response.status_code == 400
    # A form's own message is a translated lazy string, which Jinja writes as it is (its apostrophe unescaped).
    assert html.unescape(message) in html.unescape(response.get_data(as_text=True))
    assert _count(app, ScheduleSession) == before


def test_a_time_skipped_by_a_clock_change_is_refused(app, client, login_as):
    from showcase.schedule.models import ScheduleSession

    login_as("editor")
    post_form(
        client,
        "/staff/festivals/new",
        {
            **FESTIVAL,
            "slug": "london",
            "timezone": "Europe/London",
            "start_date": "2027-03-27",
            "end_date": "2027-03-29",
        },
    )
    response = post_form(
        client,
        "/staff/festivals/london/sessions/new",
        {**SESSION, "starts_at": "2027-03-28T01:30", "ends_at": "2027-03-28T03:00"},
    )
    assert response.status_code == 400
    assert "does not exist in Europe/London" in response.get_data(as_text=True)
    assert _count(app, ScheduleSession) == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"email": "not-an-address"}, "valid e-mail"),
        ({"name": "  "}, "Name is required"),
        ({"password": "short"}, "at least 10 characters"),
        ({"role": "superuser"}, "Not a valid choice"),
    ],
)
def test_bad_user_input(app, client, login_as, changes, message):
    from showcase.auth.models import User

    login_as("admin")
    before = _count(app, User)
    data = {"email": "new@example.org", "name": "New", "role": "viewer", "password": PASSWORD, **changes}
    response = post_form(client, "/staff/users/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, User) == before


def test_duplicate_user_email_is_refused(app, client, login_as):
    from showcase.auth.models import User

    email = login_as("admin")
    before = _count(app, User)
    response = post_form(
        client, "/staff/users/new", {"email": email.upper(), "name": "Again", "role": "viewer", "password": PASSWORD}
    )
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)
    assert _count(app, User) == before


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["--email", "bad", "--name", "X"], PASSWORD, "valid e-mail"),
        (["--email", "ok@example.org", "--name", " "], PASSWORD, "Name is required"),
        (["--email", "ok@example.org", "--name", "X"], "short", "at least 10 characters"),
        (["--email", "ok@example.org", "--name", "X", "--role", "root"], PASSWORD, "Invalid value for '--role'"),
    ],
)
def test_users_create_command_refuses_bad_input(app, args, stdin, message):
    from showcase.auth.models import User

    runner = app.test_cli_runner(mix_stderr=False) if _mix_stderr_supported() else app.test_cli_runner()
    result = runner.invoke(args=["users", "create", *args, "--password-stdin"], input=stdin + "\n")
    assert result.exit_code != 0
    assert message in (result.output + (result.stderr if hasattr(result, "stderr") else ""))
    assert _count(app, User) == 0


def test_users_create_command_creates_an_admin_who_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Boss@Example.org",
            "--name",
            "Boss",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin boss@example.org" in result.output
    response = post_form(client, "/login", {"email": "boss@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/users").status_code == 200


def _mix_stderr_supported() -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


DEMO = "/staff/festivals/ai-shorts-2026"


def test_a_late_session_may_end_the_night_after_the_last_day(app, client, demo, login_as):
    from showcase.schedule.models import ScheduleSession

    login_as("editor")
    before = _count(app, ScheduleSession)
    response = post_form(
        client, f"{DEMO}/sessions/new", {**SESSION, "starts_at": "2026-12-12T23:00", "ends_at": "2026-12-13T01:30"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _count(app, ScheduleSession) == before + 1


def _session(app, kind: str):
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.scalars(select(ScheduleSession).where(ScheduleSession.kind == kind)).one()
        db.session.expunge(session)
        return session


def test_moving_a_session_outside_the_festival_is_refused_and_changes_nothing(app, client, demo, login_as):
    login_as("editor")
    panel = _session(app, "panel")
    path = f"{DEMO}/sessions/{panel.id}/edit"
    data = {
        **SESSION,
        "title": panel.title,
        "kind": "panel",
        "version": str(panel.version),
        "starts_at": "9999-12-31T22:00",
        "ends_at": "9999-12-31T23:00",
    }
    response = post_form(client, path, data)
    assert response.status_code == 400
    assert "The start must be on a day of the festival (2026-12-12)." in response.get_data(as_text=True)
    after = _session(app, "panel")
    assert (after.starts_at, after.ends_at, after.version) == (panel.starts_at, panel.ends_at, panel.version)


def _running_order(app, session_id: int) -> list[tuple[str, int]]:
    from showcase.extensions import db
    from showcase.schedule.models import RunningOrderItem

    with app.app_context():
        rows = db.session.execute(
            select(RunningOrderItem.title, RunningOrderItem.planned_seconds)
            .where(RunningOrderItem.session_id == session_id)
            .order_by(RunningOrderItem.position)
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("25:00:00", "Item 1: “25:00:00” is longer than 24 hours"),
        ("9" * 30, "is longer than 24 hours"),
        ("١٢:٣٠:٠٠:٠٠", "is not a duration"),
    ],
)
def test_a_running_order_item_longer_than_a_day_is_refused(app, client, demo, login_as, typed, message):
    from werkzeug.datastructures import MultiDict

    from tests.conftest import csrf_token
    from tests.showcase.schedule.conftest import builder_form

    login_as("editor")
    ceremony = _session(app, "ceremony").id
    path = f"{DEMO}/sessions/{ceremony}/running-order"
    before = _running_order(app, ceremony)
    fields = builder_form(app, ceremony)
    first = next(n for n, (name, _) in enumerate(fields) if name == "item_duration")
    fields[first] = ("item_duration", typed)
    response = client.post(path, data=MultiDict([("csrf_token", csrf_token(client, path)), *fields, ("op", "save")]))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _running_order(app, ceremony) == before


def test_a_nul_character_is_refused_with_a_clear_message(app, client, demo, login_as):
    from showcase.festivals.models import Festival

    login_as("editor")
    before = _count(app, Festival)
    response = post_form(client, "/staff/festivals/new", {**FESTIVAL, "name": "测试\x00电影节"})
    assert response.status_code == 400
    assert "U+0000" in response.get_data(as_text=True)
    assert _count(app, Festival) == before
    for path in (
        "/festivals/ai-shorts%00-2026",
        "/festivals/ai-shorts-2026/schedule?films=a%00b",
        f"{DEMO}/films/?q=%00",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "U+0000" in response.get_data(as_text=True), path


@pytest.mark.parametrize("film_id", ["9" * 30, str(2**63), str(2**31), "٣", "²"])
def test_ids_that_cannot_be_a_database_row_answer_404(app, client, demo, login_as, film_id):
    login_as("viewer")
    assert client.get(f"{DEMO}/films/{film_id}").status_code == 404
    assert client.get(f"/festivals/ai-shorts-2026/sessions/{film_id}/calendar.ics").status_code == 404


@pytest.mark.parametrize("query", ["award=²", "award=" + "9" * 30, "page=٣", "page=" + "9" * 30])
def test_film_list_filters_that_are_not_numbers_are_ignored(client, demo, login_as, query):
    login_as("viewer")
    assert client.get(f"{DEMO}/films/?{query}").status_code == 200


@pytest.mark.parametrize("placement", ["²", "٣", "9" * 30, "-1"])
def test_a_placement_that_is_not_a_plain_number_is_refused(app, client, demo, login_as, placement):
    from showcase.awards.models import Award
    from showcase.extensions import db

    login_as("editor")
    with app.app_context():
        award = db.session.scalars(select(Award).order_by(Award.id)).first()
        award_id, placement_before = award.id, award.placement
    response = post_form(client, f"{DEMO}/awards/winners/{award_id}/edit", {"placement": placement})
    assert response.status_code == 400
    assert "Placement must be a whole number from 1 (first prize) to 99." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Award, award_id).placement == placement_before


def test_a_kiosk_playlist_that_is_not_an_id_changes_nothing(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    login_as("editor")
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk).order_by(Kiosk.id)).first()
        kiosk_id, playlist_before = kiosk.id, kiosk.playlist_id
    response = post_form(
        client,
        f"/staff/kiosks/{kiosk_id}/playlist",
        {"playlist_id": "9" * 30},
        token_from="/staff/kiosks/",
        follow_redirects=True,
    )
    assert "That is not one of the playlists." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Kiosk, kiosk_id).playlist_id == playlist_before


def test_error_pages_never_show_a_traceback(app, client, demo, login_as):
    """A bug answers a plain 500 page, also when the failure left the database transaction broken."""
    from showcase.auth.access import requires
    from showcase.extensions import db
    from showcase.festivals.models import Festival

    def broken_flush():
        db.session.add(Festival(name=None, slug="broken"))  # NOT NULL: the flush fails, the session is spoilt
        db.session.flush()

    def broken_code():
        raise RuntimeError("secret detail of the bug")

    app.add_url_rule("/staff/broken-flush", "broken_flush", requires("viewer")(broken_flush))
    app.add_url_rule("/staff/broken-code", "broken_code", requires("viewer")(broken_code))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as("viewer")
    for path in ("/staff/broken-flush", "/staff/broken-code"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 500, path
        assert "Something went wrong" in body and "The error was logged" in body
        assert "Traceback" not in body and "secret detail" not in body and ".py" not in body
    assert client.get(f"{DEMO}/films/").status_code == 200  # the next request is served as usual
