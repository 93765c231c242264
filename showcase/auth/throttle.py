"""The sign-in throttle: every attempt is counted before its password is checked.

Counting first, in one atomic increment of a shared store, is what holds under concurrency: sixty
guesses sent at once for one account get the first five password checks and fifty-five refusals,
however the requests interleave. A successful sign-in refunds its own count.

A browser that signed in to an account before carries a signed device cookie for it (OWASP's
"device cookies"). Its attempts are counted against that device alone, so someone else's guesses
lock out every other browser, not the person who signs in from here every day. A forged or
foreign cookie is no cookie; a stolen one gives only its own small allowance.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string

from showcase.errors import ShowcaseError

DEVICE_COOKIE = "showcase_device"
DEVICE_COOKIE_PATH = "/login"
DEVICE_COOKIE_DAYS = 365
# A store that hangs must not hold a sign-in forever; RATELIMIT_STORAGE_OPTIONS or the URL's query wins.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}


class ThrottleUnavailable(ShowcaseError):
    """The attempt counter cannot be reached: refuse rather than check passwords uncounted."""

    status = 503


@dataclass
class Attempt:
    """The counts one sign-in attempt took, so that a success can give them back."""

    email: str
    device: str | None = None
    allowed: bool = True
    taken: list[tuple[RateLimitItem, str]] = field(default_factory=list)
    retry_after: int = 0


def init_app(app: Flask) -> None:
    """One counter store per app, shared by its workers when it is Redis."""
    uri = app.config["RATELIMIT_STORAGE_URI"]
    options = {
        **(REDIS_TIMEOUTS if uri.startswith(("redis", "valkey")) else {}),
        **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    }
    app.extensions["login_throttle"] = storage_from_string(uri, wrap_exceptions=True, **options)


def _storage() -> Storage:
    return current_app.extensions["login_throttle"]


def _key(scope: str, value: str) -> str:
    return f"{current_app.config.get('RATELIMIT_KEY_PREFIX', '')}login-{scope}:{value}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def trusted_device(email: str) -> str | None:
    """The id of this browser's device cookie when it was issued for this account, else None."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("email") != email or not isinstance(data.get("id"), str):
        return None
    return data["id"]


def _take(attempt: Attempt, limit_setting: str, key: str) -> bool:
    item = parse(current_app.config[limit_setting])
    try:
        count = _storage().incr(key, item.get_expiry(), amount=1)  # atomic: count first, then compare
    except StorageError as exc:
        current_app.logger.error("sign-in throttle store unreachable: %s", exc)
        raise ThrottleUnavailable("Sign-in is unavailable for a moment. Please try again shortly.") from exc
    if count > item.amount:
        attempt.retry_after = max(attempt.retry_after, _seconds_left(key, item))
        return False
    attempt.taken.append((item, key))
    return True


def _seconds_left(key: str, item: RateLimitItem) -> int:
    try:
        return max(1, int(_storage().get_expiry(key) - time.time()))
    except Exception:  # a store that cannot tell: say the whole window
        return item.get_expiry()


def count_attempt(email: str) -> Attempt:
    """Count a sign-in attempt before any password is checked; `allowed` says whether to check it."""
    email = (email or "").strip().lower()
    attempt = Attempt(email=email, device=trusted_device(email))
    if attempt.device:
        attempt.allowed = _take(attempt, "LOGIN_LIMIT_PER_DEVICE", _key("device", attempt.device))
    else:
        attempt.allowed = _take(attempt, "LOGIN_LIMIT_PER_ADDRESS", _key("address", get_remote_address())) and _take(
            attempt, "LOGIN_LIMIT_PER_ACCOUNT", _key("account", email)
        )
    return attempt


def succeeded(attempt: Attempt, response: Response) -> Response:
    """Give back the attempt's counts and (re)issue this browser's device cookie for the account."""
    for item, key in attempt.taken:
        _give_back(item, key)
    device = attempt.device or secrets.token_urlsafe(18)
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps({"email": attempt.email, "id": device}),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        path=DEVICE_COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
    return response


def _give_back(item: RateLimitItem, key: str) -> None:
    try:
        if _storage().incr(key, item.get_expiry(), amount=-1) < 0:
            # The window ended between count and success: the refund opened a new one at -1, a free guess.
            _storage().incr(key, item.get_expiry(), amount=1)
    except StorageError as exc:  # the sign-in stands; it only cost one attempt
        current_app.logger.warning("sign-in throttle refund lost: %s", exc)
