"""Four gunicorn workers with Redis, for the tests that must see several processes.

The application runs under gunicorn (production settings, the suite's database) with
``REDIS_URL`` set, and gunicorn's access log names the worker (pid) of each answer, so a
test can ask until every worker has answered. CI starts Redis; each pass of the suite has
its own Redis database number (``TEST_REDIS_URL``).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from bench.common import free_port, server_environment, start_server, stop_server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKERS = 4
#: gunicorn's access log line: worker pid (written "<pid>"), method, path, status
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s"
LINE = re.compile(r"^<(\d+)> (\S+) (\S+) (\d{3})$")


def reachable_redis() -> redis.Redis:
    """A client of the suite's Redis database; skips the test without Redis, but fails it
    in CI, which starts one."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
    return client


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    """A Redis database of its own, emptied; CI must have Redis running."""
    client = reachable_redis()
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


class Server:
    """A running gunicorn and what its access log says."""

    def __init__(self, port: int, access_log: Path):
        self.port = port
        self.access_log = access_log

    def pids(self, method: str, path: str, *, at_least: int, after: int = 0) -> list[int]:
        """The workers (pids) that answered ``method path`` since log line ``after``;
        waits a moment for ``at_least`` of them (a worker logs an answer once sent)."""
        deadline = time.monotonic() + 10
        while True:
            found = [a[0] for a in self.answers()[after:] if a[1:3] == (method, path)]
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def answers(self) -> list[tuple[int, str, str, int]]:
        """(pid, method, path, status) of every answer logged so far."""
        found = [LINE.match(line) for line in self.access_log.read_text().splitlines()]
        return [(int(m[1]), m[2], m[3], int(m[4])) for m in found if m]

    def request(self, method: str, path: str, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture
def gunicorn(app, tmp_path, shared_redis) -> Iterator[Callable[..., Server]]:
    """Start the application under gunicorn with 4 workers, Redis and the suite's database."""
    started = []

    def start(*options: str) -> Server:
        port, access = free_port(), tmp_path / f"access-{len(started)}.log"
        env = server_environment(
            tmp_path,
            app.config["SQLALCHEMY_DATABASE_URI"],
            REDIS_URL=REDIS_URL,
            RATELIMIT_KEY_PREFIX=f"test-{secrets.token_hex(4)}",
            UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
        )
        env.pop("RATELIMIT_STORAGE_URI", None)
        process = start_server(
            env,
            port,
            tmp_path / f"gunicorn-{len(started)}.log",
            workers=WORKERS,
            options=[
                "--access-logfile",
                str(access),
                "--access-logformat",
                ACCESS_FORMAT,
                *options,
            ],
        )
        started.append(process)
        return Server(port, access)

    yield start
    for process in started:
        stop_server(process)


def csrf_and_cookie(server: Server) -> tuple[str, str]:
    status, headers, body = server.request("GET", "/login")
    assert status == 200
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    assert token, body[:500]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    return token[1].decode(), cookie


def until_every_worker(server: Server, path: str, headers: dict, after: int) -> list[tuple]:
    """Send the request from 8 threads until each of the 4 workers has answered it since
    access-log line ``after``; the replies, all of them."""
    replies: list[tuple] = []
    for _ in range(25):
        batch: list[tuple] = []

        def ask(into: list = batch) -> None:
            into.append(server.request("GET", path, headers))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        replies += batch
        pids = set(server.pids("GET", path.split("?")[0], at_least=len(replies), after=after))
        if len(pids) == WORKERS:
            return replies
    pytest.fail(f"only workers {pids} answered {path}")
