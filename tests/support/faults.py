"""What the fault tests share: a scratch PostgreSQL database on every pass of the suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from config import normalize_database_url
from tests.support.helpers import new_postgresql_database

#: the machine's PostgreSQL server, for the SQLite pass of the suite (CI runs one)
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test"


def postgresql_server() -> str:
    """The PostgreSQL server of TEST_DATABASE_URL, else the machine's."""
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRESQL
    if not make_url(normalize_database_url(url)).drivername.startswith("postgresql"):
        url = DEFAULT_POSTGRESQL
    return url


@contextmanager
def postgresql_server_url(prefix: str) -> Iterator[str]:
    """A new empty database on ``postgresql_server()`` (its URL), dropped afterwards: the
    faults that only a server shows (statement timeout, a cut connection) are tested on
    both passes of the suite."""
    with new_postgresql_database(postgresql_server(), prefix) as url:
        yield url
