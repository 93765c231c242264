"""The application factory."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, text
from werkzeug.middleware.proxy_fix import ProxyFix

from showcase import config as config_module
from showcase import unit_of_work
from showcase.extensions import csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _asset_dir(name: str) -> str:
    """templates/, static/ and migrations/ beside the package in a checkout, inside it in a wheel."""
    checkout = PROJECT_ROOT / name
    if checkout.is_dir():
        return str(checkout)
    return str(resources.files("showcase") / f"_{name}")


def _instance_path(overrides: dict[str, Any]) -> str:
    path = overrides.get("INSTANCE_PATH") or os.environ.get("SHOWCASE_INSTANCE_PATH")
    return str(Path(path).resolve()) if path else str(Path.cwd() / "instance")


class ShowcaseApp(Flask):
    """Flask with one unit of work per request (showcase/unit_of_work.py): the view's normal response
    commits it, any exception — in a before_request hook or the view — rolls it back first."""

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        unit_of_work.finish(response)
        return response

    def handle_user_exception(self, e: Exception):
        unit_of_work.abandon()
        return super().handle_user_exception(e)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build a configured app: config → extensions → auth → blueprints → errors → commands."""
    overrides = dict(overrides or {})
    instance_path = _instance_path(overrides)
    os.makedirs(instance_path, exist_ok=True)
    app = ShowcaseApp(
        "showcase",
        instance_path=instance_path,
        template_folder=_asset_dir("templates"),
        static_folder=_asset_dir("static"),
        static_url_path="/static",
    )
    app.config.update(config_module.load(instance_path, overrides))
    _init_extensions(app)
    from showcase.i18n import init_app as init_i18n

    init_i18n(app)
    from showcase.films.posters import init_app as init_posters

    init_posters(app)
    _init_auth(app)
    _register_blueprints(app)
    _init_security_headers(app)
    from showcase.templating import register_filters

    register_filters(app)
    from showcase.errors import register_error_handlers

    register_error_handlers(app)
    _register_commands(app)
    _init_jobs(app)
    from showcase import live

    live.init_app(app)
    return app


def _sqlite_pragmas(app: Flask):
    busy = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _init_extensions(app: Flask) -> None:
    import showcase.models  # noqa: F401 - every table on the metadata before anything reflects it

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas(app))
        elif db.engine.dialect.name == "postgresql":
            from showcase.auth.access import access_of
            from showcase.timeouts import install as install_timeouts

            install_timeouts(app, db.engine, access_of=access_of)
    migrate.init_app(app, db, directory=_asset_dir("migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from showcase.guests.caching import SharedPageSessions

    # Public (cacheable) responses never carry the session cookie nor `Vary: Cookie`.
    app.session_interface = SharedPageSessions()
    from showcase.guests.render_cache import ReadyResponses

    app.wsgi_app = ReadyResponses(app, app.wsgi_app)  # innermost: what it replays is Flask's own answer
    app.wsgi_app = OverHttps(app.wsgi_app, hsts=app.config["STRICT_TRANSPORT_SECURITY"])
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_auth(app: Flask) -> None:
    from showcase.auth.access import enforce_access
    from showcase.auth.services import user_from_cookie_id

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(user_from_cookie_id)
    from showcase.auth import throttle

    throttle.init_app(app)
    app.before_request(enforce_access)


BLUEPRINTS = (
    "auth",
    "festivals",
    "films",
    "awards",
    "schedule",
    "programmes",
    "guests",
    "kiosks",
    "shows",
    "workspace",
    "jobs",
    "jury",
)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from showcase.forms import refuse_nul
    from showcase.validation import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids beyond a database integer answer 404
    app.before_request(refuse_nul)
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"showcase.{name}.routes").bp)
    from showcase.kiosks.routes import api_bp

    csrf.exempt(api_bp)  # the kiosk API authenticates with bearer tokens, never cookies
    app.register_blueprint(api_bp)
    from showcase.shows.routes import api_bp as show_api_bp

    csrf.exempt(show_api_bp)  # show controllers authenticate with staff API tokens, never cookies
    app.register_blueprint(show_api_bp)

    from showcase.auth.access import requires

    @app.get("/healthz")
    @requires("public")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any database failure means "not healthy", never a 500
            app.logger.exception("health check: database unreachable")
            return {"status": "error", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def _init_security_headers(app: Flask) -> None:
    @app.after_request
    def harden(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class OverHttps:
    """WSGI middleware: over HTTPS every cookie we set is Secure, whatever the config says, and every
    response carries Strict-Transport-Security (`hsts`, unless empty); over plain HTTP neither.

    It wraps the whole app because Flask writes the session cookie after every after_request hook,
    and so that no response (an error page, a static file, a redirect) leaves without the header.
    ProxyFix wraps it in turn, so the scheme seen here is the one the client used.
    """

    def __init__(self, wsgi_app, *, hsts: str = "") -> None:
        self.wsgi_app = wsgi_app
        self.hsts = hsts

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "; secure" not in value.lower()
                else (name, value)
                for name, value in headers
                if name.lower() != "strict-transport-security"
            ]
            if self.hsts:
                headers.append(("Strict-Transport-Security", self.hsts))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def _init_jobs(app: Flask) -> None:
    """The background jobs' runner (RQ or in-process threads) and every kind of job it runs."""
    from showcase.films.background import KIND as FILMS_IMPORT
    from showcase.films.background import SCAN as MEDIA_SCAN
    from showcase.films.background import import_films_job, scan_media_job
    from showcase.jobs.runners import init_app
    from showcase.kiosks.background import KIND as PLAYLIST_BUNDLE
    from showcase.kiosks.background import bundle_job
    from showcase.programmes.background import KIND as PROGRAMME
    from showcase.programmes.background import build_programme_job

    kinds = {PROGRAMME: build_programme_job, FILMS_IMPORT: import_films_job, MEDIA_SCAN: scan_media_job}
    init_app(app, {**kinds, PLAYLIST_BUNDLE: bundle_job})


def _register_commands(app: Flask) -> None:
    from showcase.auth.commands import tokens_cli, users_cli
    from showcase.demo.commands import demo_command, start_command
    from showcase.films.commands import films_cli, media_cli
    from showcase.jobs.commands import jobs_cli
    from showcase.jury.commands import jury_cli
    from showcase.kiosks.commands import kiosks_cli, playlists_cli
    from showcase.programmes.commands import programme_cli, qr_cli
    from showcase.shows.commands import show_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(start_command)
    app.cli.add_command(films_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(playlists_cli)
    app.cli.add_command(kiosks_cli)
    app.cli.add_command(programme_cli)
    app.cli.add_command(qr_cli)
    app.cli.add_command(show_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(jury_cli)
