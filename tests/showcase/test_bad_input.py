"""Bad input to every foundation form and command: a clear message, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, post_form

FESTIVAL = {"name": "测试电影节", "name_en": "Test Festival", "slug": "test-fest", "start_date": "2026-12-01",
            "end_date": "2026-12-03", "timezone": "Asia/Shanghai"}
SESSION = {"title": "展映", "kind": "screening", "starts_at": "2026-12-12T19:00", "ends_at": "2026-12-12T21:00",
           "screen_id": "None"}


def _count(app, model) -> int:
    from showcase.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("changes, message", [
    ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
    ({"timezone": "../../etc/passwd"}, "Unknown time zone"),
    ({"slug": "ai-shorts-2026"}, "already used"),
    ({"slug": "Has Spaces"}, "lower-case letters"),
    ({"name": ""}, "Name is required"),
    ({"end_date": "2026-11-30"}, "cannot end before it starts"),
    ({"start_date": ""}, "Start date is required"),
    ({"public_base_url": "ftp://x"}, "must start with https://"),
])
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


@pytest.mark.parametrize("changes, message", [
    ({"ends_at": "2026-12-12T18:00"}, "must end after it starts"),
    ({"ends_at": "2026-12-12T19:00"}, "must end after it starts"),
    ({"title": " "}, "Title is required"),
    ({"kind": "party"}, "Not a valid choice"),
    ({"starts_at": ""}, "Start time is required"),
])
def test_bad_session_input(app, client, demo, login_as, changes, message):
    from showcase.schedule.models import ScheduleSession

    login_as("editor")
    before = _count(app, ScheduleSession)
    response = post_form(client, "/staff/festivals/ai-shorts-2026/sessions/new", {**SESSION, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, ScheduleSession) == before


def test_a_time_skipped_by_a_clock_change_is_refused(app, client, login_as):
    from showcase.schedule.models import ScheduleSession

    login_as("editor")
    post_form(client, "/staff/festivals/new", {**FESTIVAL, "slug": "london", "timezone": "Europe/London",
                                               "start_date": "2027-03-27", "end_date": "2027-03-29"})
    response = post_form(client, "/staff/festivals/london/sessions/new",
                         {**SESSION, "starts_at": "2027-03-28T01:30", "ends_at": "2027-03-28T03:00"})
    assert response.status_code == 400
    assert "does not exist in Europe/London" in response.get_data(as_text=True)
    assert _count(app, ScheduleSession) == 0


@pytest.mark.parametrize("changes, message", [
    ({"email": "not-an-address"}, "valid e-mail"),
    ({"name": "  "}, "Name is required"),
    ({"password": "short"}, "at least 10 characters"),
    ({"role": "superuser"}, "Not a valid choice"),
])
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
    response = post_form(client, "/staff/users/new", {"email": email.upper(), "name": "Again", "role": "viewer",
                                                      "password": PASSWORD})
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)
    assert _count(app, User) == before


@pytest.mark.parametrize("args, stdin, message", [
    (["--email", "bad", "--name", "X"], PASSWORD, "valid e-mail"),
    (["--email", "ok@example.org", "--name", " "], PASSWORD, "Name is required"),
    (["--email", "ok@example.org", "--name", "X"], "short", "at least 10 characters"),
    (["--email", "ok@example.org", "--name", "X", "--role", "root"], PASSWORD, "Invalid value for '--role'"),
])
def test_users_create_command_refuses_bad_input(app, args, stdin, message):
    from showcase.auth.models import User

    runner = app.test_cli_runner(mix_stderr=False) if _mix_stderr_supported() else app.test_cli_runner()
    result = runner.invoke(args=["users", "create", *args, "--password-stdin"], input=stdin + "\n")
    assert result.exit_code != 0
    assert message in (result.output + (result.stderr if hasattr(result, "stderr") else ""))
    assert _count(app, User) == 0


def test_users_create_command_creates_an_admin_who_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "Boss@Example.org", "--name", "Boss", "--role", "admin",
              "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created admin boss@example.org" in result.output
    response = post_form(client, "/login", {"email": "boss@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/users").status_code == 200


def _mix_stderr_supported() -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters
