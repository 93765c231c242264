"""The sign-in throttle under concurrency, over real HTTP, and the device cookie that spares a known browser."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.conftest import PASSWORD, app_config, login, post_form, serving

GUESSES = 60


@pytest.fixture(params=["memory", "redis"])
def store(request, app):
    """The app's throttle on the in-process store, or on a Redis server shared like several workers'."""
    from showcase.auth import throttle

    if request.param == "redis":
        app.config["RATELIMIT_STORAGE_URI"] = request.getfixturevalue("redis_url")
        app.config["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}:"
        throttle.init_app(app)
    return request.param


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the real password checks the server makes (each still runs the real check)."""
    from showcase.auth import services

    real = services.authenticate
    lock = threading.Lock()
    checks = {"count": 0}

    def counting(email, password):
        with lock:
            checks["count"] += 1
        return real(email, password)

    monkeypatch.setattr(services, "authenticate", counting)
    return checks


class Browser:
    """One browser: its own cookies, a sign-in form fetched from the real server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.opener.open(f"{base}/login", timeout=30).read().decode()
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)

    def sign_in(self, email: str, password: str) -> int:
        data = urllib.parse.urlencode({"csrf_token": self.token, "email": email, "password": password}).encode()
        try:
            with self.opener.open(f"{self.base}/login", data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def _all_at_once(bases: list[str], emails: list[str]) -> list[int]:
    """A wrong password for each e-mail, spread over the servers, every request released at the same instant."""
    browsers = [Browser(bases[n % len(bases)]) for n in range(len(emails))]
    barrier = threading.Barrier(len(emails))
    statuses: list[int] = [0] * len(emails)

    def guess(n: int) -> None:
        barrier.wait()
        statuses[n] = browsers[n].sign_in(emails[n], "a wrong guess!")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(emails))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_sixty_concurrent_guesses_for_one_account_get_at_most_five_checks(
    store, live_server, make_user, password_checks
):
    email = make_user("editor")
    statuses = _all_at_once([live_server.url], [email] * GUESSES)
    assert sorted(set(statuses)) == [401, 429]
    assert statuses.count(401) == password_checks["count"] == 5
    assert statuses.count(429) == GUESSES - 5


def test_sixty_concurrent_guesses_across_accounts_get_at_most_thirty_checks(
    store, live_server, make_user, password_checks
):
    emails = [f"nobody-{n}@example.org" for n in range(GUESSES)]  # unknown accounts cost a check too
    statuses = _all_at_once([live_server.url], emails)
    assert statuses.count(401) == password_checks["count"] == 30
    assert statuses.count(429) == GUESSES - 30


def _device_cookie(client) -> str | None:
    from showcase.auth.throttle import DEVICE_COOKIE, DEVICE_COOKIE_PATH

    cookie = client.get_cookie(DEVICE_COOKIE, path=DEVICE_COOKIE_PATH)
    return cookie.value if cookie else None


def test_a_browser_that_signed_in_before_is_not_locked_out_by_someone_elses_guesses(store, app, make_user):
    from showcase.auth.throttle import DEVICE_COOKIE

    email, other = make_user("editor"), make_user("viewer")
    known, attacker, new_browser, forger = (app.test_client() for _ in range(4))
    assert login(known, email).status_code == 302
    post_form(known, "/logout", {}, token_from="/staff/")  # the device cookie outlives the session
    assert _device_cookie(known)
    for _ in range(5):
        assert login(attacker, email, "a wrong guess!").status_code == 401
    assert login(attacker, email, PASSWORD).status_code == 429

    assert login(new_browser, email, PASSWORD).status_code == 429  # other browsers are locked out
    assert login(known, email, PASSWORD).status_code == 302  # the known one is not
    forger.set_cookie(DEVICE_COOKIE, _device_cookie(known)[:-2] + "xx", path="/login")
    assert login(forger, email, PASSWORD).status_code == 429  # a forged cookie is no cookie
    stranger = app.test_client()
    assert login(stranger, other).status_code == 302
    post_form(stranger, "/logout", {}, token_from="/staff/")
    stranger.set_cookie(DEVICE_COOKIE, _device_cookie(stranger), path="/login")
    assert login(stranger, email, PASSWORD).status_code == 429  # a cookie for another account neither


def test_a_device_cookie_has_its_own_small_allowance(store, app, make_user):
    email = make_user("editor")
    known = app.test_client()
    assert login(known, email).status_code == 302
    post_form(known, "/logout", {}, token_from="/staff/")
    for _ in range(5):
        assert login(known, email, "a wrong guess!").status_code == 401
    assert login(known, email, PASSWORD).status_code == 429
    assert login(app.test_client(), email, PASSWORD).status_code == 302  # the account itself is not locked


def test_a_success_gives_back_its_own_count_only(store, app, client, make_user):
    email = make_user("editor")
    browser = app.test_client()
    for _ in range(4):
        assert login(browser, email, "a wrong guess!").status_code == 401
    assert login(client, email).status_code == 302  # refunded: still four counted
    post_form(client, "/logout", {}, token_from="/staff/")
    assert login(browser, email, "a wrong guess!").status_code == 401
    assert login(browser, email, PASSWORD).status_code == 429


def test_the_refusal_says_when_to_try_again_and_the_cookie_is_locked_down(app, client, make_user):
    email = make_user("editor")
    response = login(client, email)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("showcase_device="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/login" in header
    browser = app.test_client()
    for _ in range(5):
        login(browser, email, "a wrong guess!")
    refused = login(browser, email, PASSWORD)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 900
    assert re.search(r"Too many sign-in attempts\. Try again in 1[45] minutes\.", refused.get_data(as_text=True))


def test_two_workers_sharing_redis_hold_the_limit_between_them(app, tmp_path, redis_url, make_user, password_checks):
    """Two app instances (two workers) served side by side on one Redis: sixty guesses, five checked."""
    from showcase.app import create_app
    from showcase.auth import throttle
    from showcase.extensions import db

    shared = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}:"}
    app.config.update(shared)
    throttle.init_app(app)
    second = create_app(
        app_config(tmp_path / "second", app.config["DATABASE_URL"], SECRET_KEY=app.config["SECRET_KEY"], **shared)
    )
    email = make_user("editor")
    try:
        with serving(app) as first_worker, serving(second) as second_worker:
            statuses = _all_at_once([first_worker.url, second_worker.url], [email] * GUESSES)
    finally:
        with second.app_context():
            db.session.remove()
            db.engine.dispose()
    assert statuses.count(401) == password_checks["count"] == 5
    assert statuses.count(429) == GUESSES - 5


def test_four_failures_a_success_and_four_more_lock_no_one_out(store, app, make_user):
    email = make_user("editor")
    browser = app.test_client()
    for _ in range(4):
        assert login(browser, email, "a wrong guess!").status_code == 401
    assert login(browser, email).status_code == 302  # refunded, and the browser now holds a device cookie
    post_form(browser, "/logout", {}, token_from="/staff/")
    for _ in range(4):
        assert login(browser, email, "a wrong guess!").status_code == 401  # counted on this device
    assert login(browser, email).status_code == 302
    assert login(app.test_client(), email).status_code == 302  # the account holds four: not locked


def test_a_refund_after_the_window_ended_gives_no_free_guess(store, app):
    """A success whose window ran out while it was checked must not start the next window below zero."""
    from showcase.auth import throttle

    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "1 per 1 second"
    with app.test_request_context("/login", method="POST"):
        attempt = throttle.count_attempt("late@example.org")
        assert attempt.allowed
        _, key = attempt.taken[-1]
        threading.Event().wait(1.2)  # the window ends before the success is known
        throttle.succeeded(attempt, app.response_class())
        assert throttle._storage().get(key) == 0
        assert throttle.count_attempt("late@example.org").allowed
        assert not throttle.count_attempt("late@example.org").allowed  # one per window, not two


def test_an_unreachable_store_refuses_sign_in_without_checking_a_password(app, client, make_user, password_checks):
    from showcase.auth import throttle

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{port}/0"
    throttle.init_app(app)
    response = login(client, make_user("editor"))
    assert response.status_code == 503
    assert "Sign-in is unavailable for a moment" in response.get_data(as_text=True)
    assert password_checks["count"] == 0
    assert _device_cookie(client) is None and client.get("/staff/").status_code == 302


def test_the_device_cookie_is_secure_over_https(client, make_user):
    email = make_user("editor")
    response = post_form(
        client,
        "/login",
        {"email": email, "password": PASSWORD},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )  # a browser's, for CSRF over HTTPS
    assert response.status_code == 302
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("showcase_device="))
    assert "; Secure" in header
