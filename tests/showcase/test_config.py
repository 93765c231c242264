"""Layered configuration, the secret key rules, SQLite pragmas and the health check."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from showcase.app import create_app
from showcase.config import ConfigError, from_environment, load, sqlalchemy_url
from tests.conftest import app_config


def test_layers_apply_in_order(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("MEDIA_ROOT = '/from/file'\nPROXY_FIX = 1\nlower = 'ignored'\n")
    monkeypatch.setenv("SHOWCASE_MEDIA_ROOT", "/from/env")
    monkeypatch.setenv("SHOWCASE_SQLITE_BUSY_TIMEOUT_MS", "9000")
    config = load(str(instance), {"PROXY_FIX": 2})
    assert config["MEDIA_ROOT"] == "/from/env"  # environment beats the instance file
    assert config["PROXY_FIX"] == 2  # overrides beat everything
    assert config["SQLITE_BUSY_TIMEOUT_MS"] == 9000  # environment values are typed
    assert "lower" not in config


def test_environment_values_keep_strings_that_look_like_json_objects():
    env = from_environment({"SHOWCASE_A": "true", "SHOWCASE_B": "[1]", "SHOWCASE_C": "x", "OTHER": "1"})
    assert env == {"A": True, "B": "[1]", "C": "x"}


def test_postgres_urls_use_psycopg_3():
    assert sqlalchemy_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert sqlalchemy_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert sqlalchemy_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = load(str(tmp_path))["SECRET_KEY"]
    second = load(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("key", ["short", "dev", "changeme", "a" * 40, "secret" * 1])
def test_weak_secret_keys_are_refused(tmp_path, key):
    with pytest.raises(ConfigError):
        load(str(tmp_path), {"SECRET_KEY": key})


def test_the_app_refuses_to_start_with_a_weak_key(tmp_path):
    with pytest.raises(ConfigError):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "password"})


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path):
    from showcase.extensions import db

    app = create_app(app_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}"))
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_health_check_says_when_the_database_is_unreachable(tmp_path):
    app = create_app(app_config(tmp_path, "postgresql://nobody@127.0.0.1:1/none"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_pages_get_a_friendly_404_without_traceback(client):
    response = client.get("/nothing/here")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_unexpected_errors_become_a_500_page_without_traceback(app, client):
    from showcase.auth.access import requires

    @requires("public")
    def boom():
        raise RuntimeError("internal detail")

    app.add_url_rule("/boom", "boom", boom)
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "internal detail" not in body and "Something went wrong" in body


def test_passwords_are_hashed_with_full_strength_scrypt_by_default(tmp_path):
    from showcase.auth.services import hash_password

    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"})
    with app.app_context():
        assert hash_password("a long enough password").startswith("scrypt:32768:8:1$")


def test_database_limits_have_defaults_and_are_overridable_like_every_setting(tmp_path, monkeypatch):
    defaults = load(str(tmp_path))
    assert (defaults["DB_GUEST_LOCK_TIMEOUT_MS"], defaults["DB_GUEST_STATEMENT_TIMEOUT_MS"]) == (1000, 2000)
    assert (
        defaults["DB_STAFF_LOCK_TIMEOUT_MS"],
        defaults["DB_STAFF_STATEMENT_TIMEOUT_MS"],
        defaults["DB_STAFF_IDLE_IN_TRANSACTION_TIMEOUT_MS"],
    ) == (5000, 15000, 30000)
    assert defaults["STRICT_TRANSPORT_SECURITY"] == "max-age=31536000; includeSubDomains"
    monkeypatch.setenv("SHOWCASE_DB_GUEST_STATEMENT_TIMEOUT_MS", "750")
    assert load(str(tmp_path))["DB_GUEST_STATEMENT_TIMEOUT_MS"] == 750


@pytest.mark.parametrize("key", ["DB_STAFF_LOCK_TIMEOUT_MS", "SQLITE_BUSY_TIMEOUT_MS", "BUSY_RETRY_AFTER_SECONDS"])
@pytest.mark.parametrize("bad", [-1, "5s", 1.5, True, "1; DROP TABLE film"])
def test_durations_must_be_whole_non_negative_numbers(tmp_path, key, bad):
    with pytest.raises(ConfigError, match=key):
        load(str(tmp_path), {key: bad})


def test_a_bad_limit_stops_the_app_before_it_serves(tmp_path):
    with pytest.raises(ConfigError, match="DB_GUEST_LOCK_TIMEOUT_MS"):
        create_app(app_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}", DB_GUEST_LOCK_TIMEOUT_MS="1s"))
