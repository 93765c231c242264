"""Login, cookies, logout, next= and throttling."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.conftest import PASSWORD, app_config, csrf_token, login, post_form


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        found[name] = header
    return found


def test_login_page_renders_for_anonymous_users(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_clear_message(client, make_user):
    email = make_user("viewer")
    response = login(client, email, "wrong password!")
    assert response.status_code == 401
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_session_cookie_attributes(client, make_user):
    email = make_user("viewer")
    response = login(client, email, remember="y")
    cookies = _cookies(response)
    session = cookies["session"].lower()
    assert "httponly" in session and "samesite=lax" in session and "secure" not in session
    remember = cookies["remember_token"]
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    expires = parsedate_to_datetime(remember.split("Expires=")[1].split(";")[0])
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)


def test_cookies_are_secure_over_https(app, make_user):
    client = app.test_client()
    email = make_user("viewer")
    token = csrf_token(client, "https://localhost/login")
    response = client.post(
        "https://localhost/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "remember": "y"},
        headers={"Referer": "https://localhost/login"},
    )  # Flask-WTF checks the referrer over HTTPS
    assert response.status_code == 302
    cookies = _cookies(response)
    assert "; Secure" in cookies["session"] and "; Secure" in cookies["remember_token"]


def test_the_session_changes_at_login(client, make_user):
    email = make_user("viewer")
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, email)
    after = client.get_cookie("session").value
    assert before != after


def test_a_cookie_replayed_after_logout_is_refused(app, client, make_user):
    email = make_user("editor")
    login(client, email, remember="y")
    stolen_session = client.get_cookie("session").value
    stolen_remember = client.get_cookie("remember_token").value
    assert client.get("/staff/").status_code == 200
    response = post_form(client, "/logout", {}, token_from="/staff/")
    assert response.status_code == 302
    for name, value in (("session", stolen_session), ("remember_token", stolen_remember)):
        thief = app.test_client()
        thief.set_cookie(name, value)
        response = thief.get("/staff/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), name


def test_a_password_change_ends_other_sessions(app, client, make_user):
    email = make_user("viewer")
    other = app.test_client()
    login(other, email)
    login(client, email)
    response = post_form(client, "/account/password", {"current": PASSWORD, "new": "a brand new password"})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200  # this browser stays signed in
    assert other.get("/staff/").status_code == 302  # the other one is signed out


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "http://evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "///evil.example",
        "/\\/evil.example",
    ],
)
def test_unsafe_next_values_stay_on_site(client, make_user, target):
    email = make_user("viewer")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", query_string={"next": target}, data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/staff/", location


def test_a_safe_next_is_followed(client, make_user):
    email = make_user("viewer")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": "/staff/festivals/x"},
        data={"csrf_token": token, "email": email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/staff/festivals/x"


def test_the_sixth_failed_login_is_refused_even_with_the_right_password(client, make_user):
    email = make_user("viewer")
    for _ in range(5):
        assert login(client, email, "not the password").status_code == 401
    response = login(client, email, PASSWORD)
    assert response.status_code == 429
    assert "Too many" in response.get_data(as_text=True)


def test_successful_logins_do_not_count_against_the_limit(client, make_user):
    email = make_user("viewer")
    for _ in range(7):
        assert login(client, email).status_code == 302
        post_form(client, "/logout", {}, token_from="/staff/")


def test_failed_logins_are_counted_per_address_across_accounts(app, client, make_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    emails = [make_user("viewer") for _ in range(4)]
    for email in emails[:3]:
        assert login(client, email, "nope nope nope").status_code == 401
    assert login(client, emails[3], PASSWORD).status_code == 429


def test_the_throttle_store_is_shared_between_workers(tmp_path, redis_url):
    """Two app instances (two workers) with a Redis store see the same failure count."""
    from showcase.app import create_app
    from showcase.extensions import db

    prefix = f"test-{uuid.uuid4().hex}"
    config = app_config(
        tmp_path, f"sqlite:///{tmp_path / 'shared.db'}", RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix
    )
    first = create_app(config)
    with first.app_context():
        db.create_all()
        from showcase.auth.services import create_user

        create_user(email="shared@example.org", name="Shared", role="viewer", password=PASSWORD)
        db.session.commit()
    worker_a = first.test_client()
    for _ in range(5):
        assert login(worker_a, "shared@example.org", "wrong wrong").status_code == 401
    second = create_app(config)
    worker_b = second.test_client()
    assert login(worker_b, "shared@example.org", PASSWORD).status_code == 429


def test_logout_needs_post(client, login_as):
    login_as("viewer")
    assert client.get("/logout").status_code == 405
    assert client.get("/staff/").status_code == 200
