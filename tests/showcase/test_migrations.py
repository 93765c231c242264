"""One linear Alembic history that builds exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.conftest import BACKENDS, app_config


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    from showcase.app import create_app

    url = (
        request.getfixturevalue("new_pg_database")
        if request.param == "postgresql"
        else f"sqlite:///{tmp_path / 'migrate.db'}"
    )
    application = create_app(app_config(tmp_path, url))
    yield application
    with application.app_context():
        from showcase.extensions import db

        db.engine.dispose()


def _diff(app) -> list:
    from showcase.extensions import db

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_the_history_has_a_single_head(empty_app):
    with empty_app.app_context():
        config = empty_app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_downgrade_upgrade_and_no_autogenerate_diff(empty_app):
    from showcase.extensions import db

    with empty_app.app_context():
        upgrade()
        assert _diff(empty_app) == []
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert _diff(empty_app) == []
        assert {"film", "festival", "user", "running_order_item"} <= set(inspect(db.engine).get_table_names())


def test_a_migration_run_in_process_leaves_the_apps_loggers_working(empty_app, caplog):
    """Alembic's logging set-up must not silence loggers that exist already (a job's failure log)."""
    import logging

    from showcase.jobs import services

    with empty_app.app_context():
        upgrade()
    assert not services.log.disabled
    with caplog.at_level(logging.ERROR):
        services.log.error("still heard after a migration")
    assert "still heard after a migration" in caplog.text


def test_a_migration_that_rebuilds_the_user_table_keeps_every_row_that_refers_to_a_user(empty_app):
    """SQLite alters a table by rebuilding it; with foreign keys on, dropping the old user table would delete
    every API token (ON DELETE CASCADE) and forget every audit entry's author (SET NULL)."""
    from sqlalchemy import text

    from showcase.extensions import db

    with empty_app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, password_hash, role, active, session_token, created_at)'
                    " VALUES (1, 'a@example.org', 'A', 'x', 'admin', true, 't', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO api_token (id, user_id, name, token_hash, created_at)"
                    " VALUES (1, 1, 'deck', 'h', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO audit_log (id, user_id, at, action, entity_type, entity_id)"
                    " VALUES (1, 1, CURRENT_TIMESTAMP, 'create', 'festival', 1)"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM api_token")).scalar() == 1
            assert conn.execute(text("SELECT user_id FROM audit_log")).scalar() == 1
        downgrade(revision="0008")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM api_token")).scalar() == 1
            assert conn.execute(text('SELECT role FROM "user"')).scalar() == "admin"
