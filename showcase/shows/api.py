"""The show-controller API (staff API tokens as bearer, JSON, no cookies, no CSRF): the README's contract.

A Stream Deck (Bitfocus Companion's generic HTTP module) or a script reads a session's show, follows it as
Server-Sent Events, and sends GO, back, end, reset and rehearse. A token acts with its user's role: reading
needs a viewer, commands an editor. A GO names the cue it was pressed on, so a double press or a second
controller's GO answers 409 and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, jsonify, request
from flask_limiter.util import get_remote_address

from showcase.auth import tokens
from showcase.auth.access import requires
from showcase.auth.models import User
from showcase.db import utcnow
from showcase.errors import ShowcaseError, ValidationFailed
from showcase.extensions import db, limiter
from showcase.schedule.models import ScheduleSession
from showcase.shows import services
from showcase.shows.present import show_state
from showcase.shows.streams import event_stream
from showcase.unit_of_work import attempt

# A controller polling twice a second, its button presses and its stream's reconnects, with room to spare.
DEFAULT_LIMIT = "600 per minute"
# What each command's JSON body may hold: field → required. Anything else is refused (a typo is not ignored).
FIELDS: dict[str, dict[str, bool]] = {
    "go": {"from_cue": True},
    "back": {"from_cue": True},
    "rehearse": {},
    "end": {},
    "reset": {"confirm": False},
}
ERRORS = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}


def _token() -> str | None:
    return tokens.bearer_token(request.headers.get("Authorization"))


def _limit_key() -> str:
    token = _token()
    # one bucket per token (hashed: raw tokens never reach the limiter's storage), else per address
    return "show-api:" + tokens.hash_token(token) if token else "show-api-anon:" + get_remote_address()


_shared_limit = limiter.shared_limit(
    lambda: current_app.config.get("SHOW_API_LIMIT", DEFAULT_LIMIT), scope="show-api", key_func=_limit_key
)


def _error(status: int, message: str, **extra: Any) -> Response:
    response = jsonify({"error": ERRORS.get(status, "error"), "message": message, **extra})
    response.status_code = status
    return response


def show_api(role: str) -> Callable:
    """A view of the API: token → user (401), role (403), session (404), domain errors as JSON with their
    status (an error rolls the request back, an answer commits it: showcase/unit_of_work.py), no-store.

    The view is called as view(user, session, **other route values)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(session_id: int, **kwargs: Any) -> Response:
            response = _answer(view, role, session_id, kwargs)
            response.headers["Cache-Control"] = "no-store"
            return response

        limited = _shared_limit(wrapper)
        limited.token_role = role  # the role a token's user needs: the access sweeps read it
        return requires("token")(limited)

    return decorate


def _answer(view: Callable, role: str, session_id: int, kwargs: dict[str, Any]) -> Response:
    user = tokens.user_for_token(_token())
    if user is None:
        response = _error(401, "A valid staff API token is required (Authorization: Bearer <token>).")
        response.headers["WWW-Authenticate"] = 'Bearer realm="showcase"'
        return response
    if not user.has_role(role):
        return _error(403, f"This needs the {role} role; this token's account has the {user.role} role.")
    session = db.session.get(ScheduleSession, session_id)
    if session is None:
        return _error(404, f"No session with id {session_id}.")
    try:
        return attempt(lambda: view(user, session, **kwargs))
    except ValidationFailed as exc:
        return _error(400, exc.message, fields=exc.errors)
    except ShowcaseError as exc:
        extra = {}
        if exc.status == 409:  # the show as it is now, so a controller can catch up without asking again
            extra["show"] = show_state(services.show_for(session), now=utcnow())
        return _error(exc.status, exc.message, **extra)


def _body(command: str) -> dict[str, Any]:
    """The command's JSON object (an empty body is {}), checked against FIELDS; ValidationFailed names the field."""
    raw = request.get_data(cache=True)
    data: object = {}
    if raw.strip():
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            data = None
    if not isinstance(data, dict):
        raise ValidationFailed({"body": "expected a JSON object (or an empty body)"})
    allowed = FIELDS[command]
    errors = {name: f"unknown field (allowed: {', '.join(allowed) or 'none'})" for name in data if name not in allowed}
    for name, required in allowed.items():
        if required and name not in data:
            errors[name] = "required"
    if "from_cue" in data and not (data["from_cue"] is None or _is_int(data["from_cue"])):
        errors["from_cue"] = "must be an integer (the id of the current cue) or null (at standby)"
    if "confirm" in data and not isinstance(data["confirm"], bool):
        errors["confirm"] = "must be a boolean (true or false)"
    if errors:
        raise ValidationFailed(errors)
    return data


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@show_api("viewer")
def get_show(user: User, session: ScheduleSession):
    return jsonify(show_state(services.show_for(session), now=utcnow()))


@show_api("viewer")
def show_events(user: User, session: ScheduleSession):
    # the show row is made (and committed with this request) before the stream's first look reads it
    show = services.show_for(session)
    session_id = session.id

    def look(now):
        found = db.session.get(ScheduleSession, session_id)
        if found is None:  # the session was deleted while the stream ran
            return {"session_id": session_id, "state": "deleted"}
        return show_state(services.show_for(found), now=now)

    return event_stream(current_app._get_current_object(), services.topic(show), look, every_tick=False)


@show_api("editor")
def command_show(user: User, session: ScheduleSession, command: str):
    body = _body(command)
    show, now = services.show_for(session), utcnow()
    if command == "go":
        services.go(show, actor=user, from_cue=body["from_cue"], now=now)
    elif command == "back":
        services.back(show, actor=user, from_cue=body["from_cue"], now=now)
    elif command == "rehearse":
        services.rehearse(show, actor=user, now=now)
    elif command == "end":
        services.end(show, actor=user, now=now)
    else:
        services.reset(show, actor=user, confirm=body.get("confirm", False), now=now)
    return jsonify(show_state(show, now=now))
