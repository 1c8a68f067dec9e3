"""Flask extensions, created once and bound to the application in ``create_app``."""

from __future__ import annotations

import logging
import sqlite3

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names, so that Alembic can alter and drop them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


class _StorageNews(logging.Filter):
    """Flask-Limiter's warnings (storage lost: falling back to memory) and its storage
    recovering, not every breach."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or "storage recovered" in record.getMessage()


def log_limiter_storage() -> None:
    """Show when the rate limits fall back to each worker's memory (Redis unreachable) and
    when they go back to Redis: Flask-Limiter says the latter at INFO, which no handler
    shows by default. Once per process."""
    logger = logging.getLogger("flask-limiter")
    if any(isinstance(f, _StorageNews) for h in logger.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.addFilter(_StorageNews())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL for concurrent readers, enforced foreign keys, a wait instead of 'database is locked'."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def register_listeners() -> None:
    """Configure every new SQLite connection (from ``create_app``, before the engine is made;
    once, however many applications)."""
    if not event.contains(Engine, "connect", _configure_sqlite):
        event.listen(Engine, "connect", _configure_sqlite)


def client_address() -> str:
    """The address throttling is keyed on.

    A reverse proxy's ``X-Forwarded-For`` counts only through ProxyFix, which the factory
    installs when the ``PROXY_FIX`` setting is on; otherwise every visitor behind the proxy
    would share its address.
    """
    return request.remote_addr or "unknown"


def config_limit(key: str):
    """A rate limit read from the settings (``config.py``) at request time, so that tests
    and operators can tune it (Flask-Limiter accepts a callable)."""
    return lambda: current_app.config[key]
