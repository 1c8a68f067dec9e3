"""Fixtures: the application on a real database, a client, accounts, a query counter.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
Each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from committees import create_app, layout
from committees.auth.models import Role, User
from committees.auth.services import create_user
from committees.extensions import db as _db
from committees.extensions import limiter
from committees.publication import http as kept_pages
from tests.support.helpers import DEFAULT_PASSWORD, login, text_of


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context.

    The suite keeps an application context pushed around each test; without this, every
    request would reuse it, sharing ``g`` (and the signed-in user Flask-Login caches
    there) and the database session between requests and clients, as no real
    server does.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    overrides = {
        "PROFILE": "testing",
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "MAIL_FILE_DIR": str(tmp / "mail"),
    }
    if not os.environ.get("TEST_DATABASE_URL"):
        # A file, not :memory:, so that a live server thread sees the same data.
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp / 'test.sqlite3'}"
    application = create_app(overrides)
    application.test_client_class = IsolatedClient
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(app) -> Iterator[None]:
    """Each test gets an app context, and leaves empty tables and a fresh rate limiter."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    try:
        yield
    finally:
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
        shutil.rmtree(app.config["UPLOAD_FOLDER"], ignore_errors=True)
        limiter.reset()
        # The rows went without the ORM: no revision moved for what this worker kept.
        kept_pages.forget_local()
        # A test may change settings that the frame of every page shows (monkeypatch).
        layout.forget(app)
        ctx.pop()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(db):
    """Create a confirmed, enabled account: ``make_user(Role.MEMBER, email=...)``."""
    counter = iter(range(1, 10_000))

    def factory(
        role: Role = Role.MEMBER,
        *,
        email: str | None = None,
        full_name: str | None = None,
        password: str = DEFAULT_PASSWORD,
        confirmed: bool = True,
    ) -> User:
        n = next(counter)
        user = create_user(
            email or f"{role.value}{n}@example.org",
            full_name or f"{role.value.title()} Person {n}",
            password,
            role,
            confirmed=confirmed,
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def signed_in(client, make_user):
    """``signed_in(role, **kwargs)`` creates an account and signs it in on ``client`` via /login."""

    def sign_in(role: Role = Role.MEMBER, **kwargs) -> User:
        user = make_user(role, **kwargs)
        response = login(client, user.email, DEFAULT_PASSWORD)
        assert response.status_code == 302, text_of(response)
        return user

    return sign_in


@pytest.fixture
def secretariat(signed_in) -> User:
    """Sam Secrétaire (secretariat@example.org), of the secretariat, signed in on ``client``."""
    return signed_in(Role.SECRETARIAT, email="secretariat@example.org", full_name="Sam Secrétaire")


@pytest.fixture
def count_queries(db, app, monkeypatch):
    """``with count_queries() as queries: ...`` then ``len(queries)`` statements ran.

    What a page costs to build: pages are not served from what was kept
    (PUBLIC_CACHE_BYTES=0) in a test that counts."""
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_BYTES", 0)

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counter
