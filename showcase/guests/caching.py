"""Responses a reverse proxy may hold briefly, with ETags and 304 answers, and no cookie.

Guest pages are rendered straight from the Jinja environment, not through flask.render_template:
Flask-Login's context processor would load `current_user`, which reads the session, which makes
Flask add `Vary: Cookie` (and, for signed-in staff, a database query) to a page that is the same
for everyone.
"""

from __future__ import annotations

from functools import lru_cache, partial
from urllib.parse import urlencode

from flask import Flask, Response, current_app, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale, get_translations
from markupsafe import Markup

GUEST_MAX_AGE = 30  # seconds: short enough for the "now playing" badge, long enough to absorb a surge
FEED_MAX_AGE = 300


def lang() -> str:
    """The language of this request: 'zh' or 'en' (chosen by showcase.i18n.select_locale)."""
    return get_locale().language


def other_lang_url() -> str:
    """This page in the other language: the same path and query with ?lang= switched."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", "en" if lang() == "zh" else "zh"))
    return f"{request.path}?{urlencode(args)}"


def cacheable(
    body: str | bytes,
    *,
    mimetype: str,
    status: int = 200,
    max_age: int = GUEST_MAX_AGE,
    headers: dict[str, str] | None = None,
) -> Response:
    """A public response with a content ETag; answers 304 when the client already has it."""
    response = current_app.response_class(body, status=status, mimetype=mimetype, headers=headers)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Accept-Language")
    if status == 200:
        # A hash of the bytes, not of timestamps: reveals happen by the clock, and people,
        # screens and awards carry no updated_at, so only the content itself is a safe validator.
        response.add_etag()
        response.make_conditional(request)
    return response


def _template_gettext():
    """Jinja's new-style `_()` bound to this request's catalogue, looked up once per page, not per string."""
    lookup = get_translations().gettext

    def gettext(string: str, **variables) -> Markup:
        # The catalogue is ours (trusted); Markup escapes the variables, as Jinja's own gettext does.
        return Markup(lookup(string)) % variables  # noqa: S704

    return gettext


def public_base(festival_base: str = "") -> str:
    """Where guests reach us: the festival's public base URL, else PUBLIC_BASE_URL, else SERVER_NAME.

    Never the request's Host or X-Forwarded-Host: a page that shared caches keep must not carry a
    host someone sent. '' when nothing is configured, and absolute URLs then stay relative.
    """
    config = current_app.config
    base = festival_base or config.get("PUBLIC_BASE_URL") or ""
    if not base and config.get("SERVER_NAME"):
        root = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        base = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}{root}"
    return base.rstrip("/")


@lru_cache(maxsize=16384)
def _built_url(script_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))


def guest_url_for(endpoint: str, _base: str = "", **values) -> str:
    """url_for, remembered: a guest page builds the same dozen URLs for every reader.

    The key holds everything the result depends on: the app's mount point. `_external=True` puts
    the path under `_base` (from public_base; the base URL names the mount point itself).
    """
    external = values.pop("_external", False)
    path = _built_url(request.script_root, endpoint, tuple(sorted(values.items())))
    if not external or not _base:
        return path
    return _base + path.removeprefix(request.script_root)


def render_html(template: str, **context) -> str:
    """Render a guest template without Flask's context processors (no session, no current_user)."""
    base = public_base(getattr(context.get("festival"), "public_base_url", ""))
    return current_app.jinja_env.get_template(template).render(
        lang=lang(),
        other_lang_url=other_lang_url(),
        _=_template_gettext(),
        url_for=partial(guest_url_for, _base=base),
        public_base=public_base,
        **context,
    )


def render_guest(template: str, *, status: int = 200, max_age: int = GUEST_MAX_AGE, **context) -> Response:
    """A rendered guest page as a cacheable response (ETag from its bytes)."""
    return cacheable(render_html(template, **context), mimetype="text/html", status=status, max_age=max_age)


class SharedPageSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions, except that a response marked `Cache-Control: public` never saves one.

    A public response is the same for everyone and a shared cache may hand it to anyone, so it must
    carry neither Set-Cookie nor `Vary: Cookie`. Flask marks the session accessed whenever anything
    reads it (Flask-Login's after_request hook does on every request), and refreshes a permanent
    staff session's cookie on every response; both would otherwise reach guest pages.
    """

    def save_session(self, app: Flask, session, response: Response) -> None:
        if response.cache_control.public:
            return
        super().save_session(app, session, response)
