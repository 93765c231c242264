"""Layered configuration: defaults < instance/config.py < SHOWCASE_* environment < overrides."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENV_PREFIX = "SHOWCASE_"
MIN_SECRET_LENGTH = 32
WELL_KNOWN_SECRETS = frozenset(
    {
        "dev",
        "development",
        "secret",
        "secret-key",
        "secret_key",
        "changeme",
        "change-me",
        "password",
        "test",
        "testing",
        "default",
        "your-secret-key",
        "flask",
        "showcase",
    }
)


class ConfigError(RuntimeError):
    """The configuration cannot run a safe server."""


def defaults(instance_path: str) -> dict[str, Any]:
    """Built-in settings; every one can be overridden."""
    return {
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "showcase.db"),
        "MEDIA_ROOT": os.path.join(instance_path, "media"),
        "UPLOAD_ROOT": os.path.join(instance_path, "uploads"),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "POSTER_MAX_MEGAPIXELS": 50,  # any poster, by its header (a JPEG is decoded at 1/2, 1/4 or 1/8 of it)
        "POSTER_DECODE_MEGABYTES": 48,  # memory one poster's pixels may take: PNG up to 12 MP, WebP 3 MP
        "RATELIMIT_STORAGE_URI": "memory://",
        # how long one control-room event stream runs before the browser reconnects (a server thread each)
        "CONTROL_EVENTS_MS": 30_000,
        # the longest a kiosk's long poll for commands is held open (it asks for less)
        "KIOSK_COMMANDS_WAIT_MS": 25_000,
        # pushes to every worker's event streams: "" is in-process (one process); redis://host:6379/0 for several
        "PUBSUB_URL": "",
        # how long one show event stream runs before the browser reconnects (a server thread each)
        "SHOW_EVENTS_MS": 60_000,
        # requests a show controller's token may make (a Stream Deck polling twice a second uses 120)
        "SHOW_API_LIMIT": "600 per minute",
        "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug's scrypt, n=32768 r=8 p=1
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
        # A browser that signed in to the account before: its own allowance, not the shared lockout.
        "LOGIN_LIMIT_PER_DEVICE": "5 per 15 minutes",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        # The staff workspace speaks English; only guest pages follow the browser's language.
        "WTF_I18N_ENABLED": False,
        "PROXY_FIX": 0,
        # Absolute guest URLs: the festival's own public base URL, else this, else SERVER_NAME; never Host.
        "PUBLIC_BASE_URL": "",
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
        # PostgreSQL limits by kind of request, in milliseconds (0: none): a guest page gives up fast,
        # a staff save or a kiosk heartbeat waits longer; commands outside a request keep the server's.
        "DB_GUEST_LOCK_TIMEOUT_MS": 1000,
        "DB_GUEST_STATEMENT_TIMEOUT_MS": 2000,
        "DB_GUEST_IDLE_IN_TRANSACTION_TIMEOUT_MS": 10000,
        "DB_STAFF_LOCK_TIMEOUT_MS": 5000,
        "DB_STAFF_STATEMENT_TIMEOUT_MS": 15000,
        "DB_STAFF_IDLE_IN_TRANSACTION_TIMEOUT_MS": 30000,
        "BUSY_RETRY_AFTER_SECONDS": 5,  # Retry-After of the 503 answered when a limit ran out
        # Sent on every response served over HTTPS, never over plain HTTP; "" sends none.
        "STRICT_TRANSPORT_SECURITY": "max-age=31536000; includeSubDomains",
        "GUEST_PAGE_CACHE_SIZE": 4096,
        # With PUBSUB_URL, ready guest pages trust the pushed public version, reading it again at least this often
        "GUEST_VERSION_RECHECK_MS": 1000,
        "PROGRAMME_FONT_PATH": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        # Background jobs: "" runs them on threads of the web process (one process, `make run`);
        # redis://host:6379/0 queues them for `showcase jobs worker` processes (RQ) on any host.
        "JOBS_REDIS_URL": "",
        "JOBS_QUEUE": "showcase",
        "JOBS_THREADS": 2,  # jobs at once in one web process, when they run in-process
        "JOBS_TIMEOUT_SECONDS": 3600,  # an RQ worker stops a job running longer than this
    }


def _coerce(raw: str) -> Any:
    """Environment values are strings; accept JSON scalars so booleans and numbers work."""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return value if isinstance(value, bool | int | float) else raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """SHOWCASE_NAME=value becomes NAME=value."""
    environ = os.environ if environ is None else environ
    return {k[len(ENV_PREFIX) :]: _coerce(v) for k, v in environ.items() if k.startswith(ENV_PREFIX)}


def from_instance_file(instance_path: str) -> dict[str, Any]:
    """Upper-case names defined in instance/config.py, when the file exists."""
    path = Path(instance_path) / "config.py"
    if not path.is_file():
        return {}
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - operator's own file
    return {k: v for k, v in namespace.items() if k.isupper()}


def sqlalchemy_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> str:
    """The configured key, or one generated once into the instance folder; refuse weak keys."""
    key = config.get("SECRET_KEY")
    if not key:
        path = Path(instance_path) / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        key = path.read_text().strip()
    if not isinstance(key, str) or len(key) < MIN_SECRET_LENGTH:
        raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters long")
    if key.lower() in WELL_KNOWN_SECRETS or len(set(key)) < 8:
        raise ConfigError("SECRET_KEY is a well-known or trivial value: set a random one")
    return key


def check_durations(config: dict[str, Any]) -> None:
    """Every *_MS and *_SECONDS setting is a whole number, 0 or more (they reach SQL and headers as text)."""
    for key, value in config.items():
        if key.endswith(("_MS", "_SECONDS")) and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            unit = "milliseconds" if key.endswith("_MS") else "seconds"
            raise ConfigError(f"{key} must be a whole number of {unit}, 0 or more (got {value!r})")


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge all layers and derive the settings the extensions read."""
    config = defaults(instance_path)
    config.update(from_instance_file(instance_path))
    config.update(from_environment())
    config.update(overrides or {})
    config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(config["DATABASE_URL"])
    config["SECRET_KEY"] = ensure_secret_key(config, instance_path)
    check_durations(config)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    return config
