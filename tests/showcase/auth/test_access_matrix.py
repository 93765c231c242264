"""Every route declares who may use it; the matrix is generated from the app's URL map."""

from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from showcase.auth.models import ROLE_RANK, ROLES

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that check a bearer token in the view, never a cookie: the kiosk API and the show-controller API.
BEARER = ("kiosk", "token")


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def _url(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):  # one of a fixed list (a command): the first of them
            args[name] = values.get(name, sorted(converter.items)[0])
        else:
            args[name] = values.get(name, 1 if isinstance(converter, IntegerConverter) else "x")
    return rule.build(args, append_unknown=False)[1]


def _demo_values(app) -> dict:
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.models import Award, AwardCategory, Film, Playlist, ScheduleSession

    def first(model):
        return db.session.scalars(select(model).order_by(model.id.desc())).first()

    with app.app_context():
        film = first(Film)
        return {
            "slug": "ai-shorts-2026",
            "film_id": film.id,
            "code": film.code,
            "session_id": first(ScheduleSession).id,
            "category_id": first(AwardCategory).id,
            "award_id": first(Award).id,
            "playlist_id": first(Playlist).id,
            "job_id": 1,  # no background job yet: its pages answer 404 to every role allowed to ask
        }


def test_every_route_declares_its_access(app):
    undeclared = [
        rule.rule for rule in _routes(app) if getattr(app.view_functions[rule.endpoint], "access", None) is None
    ]
    assert undeclared == [], f"routes without a declared role: {undeclared}"


def test_an_undeclared_route_is_refused_to_everyone(app, client, login_as):
    app.add_url_rule("/staff/forgotten", "forgotten", lambda: "secret")
    login_as("admin")
    assert client.get("/staff/forgotten").status_code == 403


def test_staff_routes_send_anonymous_users_to_login(app, client):
    checked = 0
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access
        if access == "public" or access in BEARER:
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods & STATE_CHANGING)[0]
        if method != "GET":
            continue  # without a CSRF token a POST is refused before login is asked (next test)
        response = client.open(_url(rule, {}), method=method)
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/login?next="), rule.rule
        checked += 1
    assert checked >= 8


# Pages of something the demo has not got yet: the kiosk has sent no picture of its screen, the session's show
# has never run (so it has no as-run log).
NOTHING_YET = {
    "kiosks.control.thumbnail": 404,
    "shows.download_as_run": 404,
    "jobs.show_job": 404,
    "jobs.job_status": 404,
    "jobs.download_result": 404,
    # no judging round yet, and none the signed-in account sits on: a juror learns nothing of other rounds
    "jury.show_round": 404,
    "jury.score_film": 404,
    "jury.film_video": 404,
    "jury.show_results": 404,
}
# Pages that send some roles elsewhere: the staff home sends a juror to the films they judge.
ELSEWHERE = {("workspace.dashboard", "juror"): 302}
# Asked with nothing to search for: a clear 400 once the role may search at all.
NO_QUERY = {"workspace.search_films": 400}


@pytest.mark.parametrize("role", ROLES)
def test_roles_below_the_declared_one_get_403(app, client, demo, login_as, role):
    login_as(role)
    values = _demo_values(app)
    seen = 0
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access
        if access == "public" or access in BEARER or "GET" not in rule.methods:
            continue
        response = client.get(_url(rule, values))
        if ROLE_RANK[role] < ROLE_RANK[access]:
            assert response.status_code == 403, (rule.rule, role)
        else:
            expected = (
                ELSEWHERE.get((rule.endpoint, role))
                or NOTHING_YET.get(rule.endpoint)
                or NO_QUERY.get(rule.endpoint, 200)
            )
            assert response.status_code == expected, (rule.rule, role, response.status_code)
        seen += 1
    assert seen >= 8


def test_state_changing_requests_without_csrf_token_get_400(app, client, login_as):
    login_as("admin")
    checked = 0
    for rule in _routes(app):
        if app.view_functions[rule.endpoint].access in BEARER:
            continue  # bearer tokens, not cookies: covered by the next test and the kiosk and show API tests
        for method in sorted(rule.methods & STATE_CHANGING):
            response = client.open(_url(rule, {"slug": "x"}), method=method, data={"name": "x"})
            assert response.status_code == 400, (rule.rule, method)
            checked += 1
    assert checked >= 6


def test_bearer_routes_answer_401_json_to_anonymous_and_to_signed_in_staff(app, client, login_as):
    """A bearer route never falls back to the login cookie: without a token it is 401, as JSON, for everyone."""
    checked = 0
    for signed_in in (False, True):
        if signed_in:
            login_as("admin")
        for rule in _routes(app):
            if app.view_functions[rule.endpoint].access not in BEARER:
                continue
            for method in sorted(rule.methods & ({"GET"} | STATE_CHANGING)):
                response = client.open(_url(rule, {}), method=method, json={})
                assert response.status_code == 401, (rule.rule, method, signed_in)
                assert response.json["error"] == "unauthorized"
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
                checked += 1
    assert checked >= 2 * 10
