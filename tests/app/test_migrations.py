"""The migrations build exactly the schema the models describe, and undo it completely."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from committees import create_app
from committees.extensions import db
from committees.search.schema import include_object
from tests.support.helpers import new_postgresql_database


@contextmanager
def empty_database(tmp_path) -> Iterator[str]:
    """A brand-new empty database on the engine under test; dropped afterwards."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    with new_postgresql_database(server_url, "migrations") as url:
        yield url


@pytest.fixture
def migrated_app(tmp_path):
    with empty_database(tmp_path) as url:
        application = create_app({"PROFILE": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with application.app_context():
            yield application
            db.session.remove()
            db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_builds_exactly_the_models(migrated_app):
    flask_migrate.upgrade()
    assert schema_differences() == []
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables


def test_downgrade_to_base_removes_every_table(migrated_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    db.engine.dispose()
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_upgrade_on_an_empty_database_then_models_accept_data(migrated_app):
    from committees.auth.models import Role
    from committees.auth.services import authenticate, create_user

    flask_migrate.upgrade()
    create_user("Someone@Example.org", "Some One", "a long enough password", Role.MEMBER)
    db.session.commit()
    assert authenticate("SOMEONE@example.org", "a long enough password") is not None
