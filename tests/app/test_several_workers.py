"""Four gunicorn workers with Redis behave as one application.

The application runs under gunicorn (production settings, the suite's database) with
``REDIS_URL`` set, and gunicorn's access log names the worker (pid) of each answer:

- the sign-in throttle counts across workers: with ``--max-requests 1`` every request
  is answered by a process that has never seen the earlier ones, so only a shared
  count can refuse the sixth wrong password;
- a change made anywhere is seen by the next feed answer of every worker, each of which
  had remembered the feed's validators before the change.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from bench.common import free_port, server_environment, start_server, stop_server
from committees.common.timeutils import paris_today
from tests.support.calendars import feed_url, make_committee, member_with_mandate, schedule

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKERS = 4
#: gunicorn's access log line: worker pid (written "<pid>"), method, path, status
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s"
LINE = re.compile(r"^<(\d+)> (\S+) (\S+) (\d{3})$")


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    """A Redis database of its own, emptied; CI must have Redis running."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
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


def _csrf_and_cookie(server: Server) -> tuple[str, str]:
    status, headers, body = server.request("GET", "/login")
    assert status == 200
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    assert token, body[:500]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    return token[1].decode(), cookie


def test_the_sign_in_throttle_counts_across_workers(gunicorn, make_user):
    make_user(email="membre.limite@example.org")
    # Every process answers one request, then gunicorn replaces it (forked from a master
    # that loaded the application once, so that replacing costs little).
    server = gunicorn("--max-requests", "1", "--preload")
    token, cookie = _csrf_and_cookie(server)
    form = urlencode(
        {"email": "membre.limite@example.org", "password": "mauvais", "csrf_token": token}
    )
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}

    replies = [server.request("POST", "/login", headers, form) for _ in range(8)]

    statuses = [status for status, _, _ in replies]
    # LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS: 5 wrong passwords per 15 minutes, whichever process
    # saw them.
    assert statuses == [422] * 5 + [429] * 3
    assert b"Trop de tentatives" in replies[-1][2]
    # Each worker logs its answer once sent: wait for the eight lines.
    posts = server.pids("POST", "/login", at_least=8)
    assert len(posts) == 8
    assert len(set(posts)) == 8  # eight processes, none of which counted alone


def _until_every_worker(server: Server, path: str, headers: dict, after: int) -> list[tuple]:
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


def test_a_change_is_seen_by_every_workers_next_feed_answer(gunicorn, db, make_user):
    committee = make_committee(db)
    member = member_with_mandate(db, make_user, committee)
    meeting = schedule(db, committee, paris_today() + timedelta(days=20))
    path = feed_url(db, member)
    server = gunicorn()

    # Every worker answers the feed and remembers its validators.
    before = _until_every_worker(server, path, {}, after=0)
    etags = {headers["ETag"] for status, headers, _ in before}
    assert [status for status, _, _ in before] == [200] * len(before)
    assert len(etags) == 1
    (old_etag,) = etags

    meeting.title = "Séance déplacée en salle B"
    db.session.commit()
    seen = len(server.answers())
    after = _until_every_worker(server, path, {"If-None-Match": old_etag}, after=seen)

    # No worker answers 304 from what it remembered: each sends the new feed.
    assert {status for status, _, _ in after} == {200}
    assert {headers["ETag"] for _, headers, _ in after} != {old_etag}
    assert all("Séance déplacée en salle B".encode() in body for _, _, body in after)
