"""The kiosk API (bearer token, no cookies, no CSRF): the contract in playlists/README.md."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g, jsonify, request, send_file
from flask_limiter.util import get_remote_address

from showcase.auth.access import requires
from showcase.auth.tokens import bearer_token, hash_token
from showcase.errors import ShowcaseError, ValidationFailed
from showcase.extensions import limiter
from showcase.kiosks import payloads, services
from showcase.kiosks.exporting import media_file
from showcase.kiosks.publishing import latest_version
from showcase.unit_of_work import attempt, end_read

SHA256 = re.compile(r"^[0-9a-f]{64}$")
COMMANDS_CHECK = 0.1  # how often a long poll for commands looks again (seconds)
# A heartbeat a second, a long poll for commands and a thumbnail every 5 s: about 80 requests a minute.
DEFAULT_LIMIT = "600 per minute"


def _bearer() -> str | None:
    return bearer_token(request.headers.get("Authorization"))


def _limit_key() -> str:
    token = _bearer()
    # one bucket per token (hashed: raw tokens never reach the limiter's storage), else per address
    return "kiosk:" + hash_token(token) if token else "kiosk-anon:" + get_remote_address()


_shared_limit = limiter.shared_limit(
    lambda: current_app.config.get("KIOSK_API_LIMIT", DEFAULT_LIMIT), scope="kiosk-api", key_func=_limit_key
)


def _error(status: int, error: str, message: str, **extra) -> Response:
    response = jsonify({"error": error, "message": message, **extra})
    response.status_code = status
    return response


def kiosk_api(view: Callable) -> Callable:
    """Authenticate the bearer token (401 JSON otherwise) and turn domain errors into JSON (the error
    status rolls the request back; a normal answer commits it: showcase/unit_of_work.py)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        kiosk = services.kiosk_for_token(_bearer())
        if kiosk is None:
            response = _error(401, "unauthorized", "A valid kiosk bearer token is required.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="showcase-kiosk"'
            return response
        g.kiosk = kiosk
        try:
            return attempt(lambda: view(*args, **kwargs))
        except ValidationFailed as exc:
            return _error(400, "invalid", exc.message, fields=exc.errors)
        except ShowcaseError as exc:
            return _error(exc.status, "error", exc.message)

    return requires("kiosk")(_shared_limit(wrapper))


def _json_body() -> object:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes; silent= covers only ValueError
        data = None
    if data is None:
        raise ValidationFailed({"body": "expected a JSON object (Content-Type: application/json)"})
    return data


@kiosk_api
def manifest():
    version = latest_version(g.kiosk.playlist_id)
    if version is None:
        return Response(status=204)
    if request.if_none_match.contains(version.etag):
        response = Response(status=304)
    else:
        response = Response(version.manifest, mimetype="application/json")
    response.set_etag(version.etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@kiosk_api
def media(sha256: str):
    version = latest_version(g.kiosk.playlist_id)
    wanted = {info.get("sha256") for info in version.items.values()} if version else set()
    # only the files of the kiosk's own published playlist: a token is not a key to the whole media root
    path = media_file(sha256) if SHA256.match(sha256) and sha256 in wanted else None
    if path is None:
        return _error(404, "not_found", "No such media in this kiosk's playlist.")
    response = send_file(path, mimetype="application/octet-stream", conditional=True, etag=sha256, max_age=0)
    response.headers["Accept-Ranges"] = "bytes"
    return response


@kiosk_api
def heartbeat():
    services.record_heartbeat(g.kiosk, _json_body())
    return jsonify({"ok": True})


@kiosk_api
def thumbnail():
    if (request.content_length or 0) > payloads.THUMBNAIL_MAX_BYTES:
        return _error(413, "too_large", f"A thumbnail is at most {payloads.THUMBNAIL_MAX_BYTES // 1024} KB.")
    services.record_thumbnail(g.kiosk, request.get_data(cache=False), request.content_type)
    return jsonify({"ok": True})


@kiosk_api
def preflight():
    services.record_preflight(g.kiosk, _json_body())
    return jsonify({"ok": True})


@kiosk_api
def commands():
    # ?wait=SECONDS holds the answer until a command is queued (a long poll): the kiosk hears a command
    # within a tenth of a second instead of at its next poll
    wait = min(_seconds_arg("wait"), current_app.config["KIOSK_COMMANDS_WAIT_MS"] / 1000)
    ends = time.monotonic() + wait
    pending = services.pending_commands(g.kiosk)
    while not pending and time.monotonic() < ends:
        time.sleep(COMMANDS_CHECK)
        end_read()  # the next look sees the commands staff queued meanwhile
        pending = services.pending_commands(g.kiosk)
    return jsonify({"commands": [{"id": c.id, "command": c.command, "args": c.args or {}} for c in pending]})


def _seconds_arg(name: str) -> float:
    raw = request.args.get(name, "0")
    try:
        value = float(raw)
    except ValueError:
        raise ValidationFailed({name: "expected a number of seconds"}) from None
    if not math.isfinite(value) or value < 0:
        raise ValidationFailed({name: "expected a number of seconds, 0 or more"})
    return value


@kiosk_api
def ack_command(command_id: int):
    payloads.empty_object(_json_body())
    services.ack_command(g.kiosk, command_id)
    return jsonify({"ok": True})
