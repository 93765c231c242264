"""Migration 0008 (running_order_item_person) goes up and down on SQLite and PostgreSQL, and the table
it makes holds an item's people with the unique (item, person, role)."""

from __future__ import annotations

import pytest
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


def _tables(db) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_0008_adds_and_drops_the_item_people_table(empty_app):
    from showcase.extensions import db

    with empty_app.app_context():
        upgrade(revision="0007")
        assert "running_order_item_person" not in _tables(db)
        upgrade(revision="0008")
        assert "running_order_item_person" in _tables(db)
        columns = {c["name"] for c in inspect(db.engine).get_columns("running_order_item_person")}
        assert columns == {"id", "item_id", "person_id", "role", "display_order"}
        uniques = inspect(db.engine).get_unique_constraints("running_order_item_person")
        assert [sorted(u["column_names"]) for u in uniques] == [["item_id", "person_id", "role"]]
        downgrade(revision="0007")
        assert "running_order_item_person" not in _tables(db)
        assert "running_order_item" in _tables(db)
        upgrade()
        assert "running_order_item_person" in _tables(db)
