"""Faults survived under gunicorn, as an operator would see them.

Two gunicorn workers (production settings) reach PostgreSQL and Redis through TCP proxies
on loopback that the test cuts and restores while the site serves:

- PostgreSQL cut: every page answers 503 with ``Retry-After`` and "Service momentanément
  indisponible", the API a problem document, ``/readyz`` names the database; the log has
  one warning per worker, no traceback; restored: every answer is 200 again, no restart;
- Redis cut: signing in still works (each worker counts in its own memory, with a
  warning), ``/readyz`` says Redis is unreachable; restored: the limits go back to Redis.

PostgreSQL on both passes of the suite (the machine's server when the suite runs on
SQLite); Redis as in ``test_several_workers.py`` (CI starts one).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from bench.common import free_port, server_environment, start_server, stop_server
from committees import create_app
from committees.auth.models import Role
from committees.auth.services import create_user
from committees.extensions import db as _db
from config import normalize_database_url
from tests.support.calls import form_data, make_call, make_committee, pdf_bytes
from tests.support.faults import postgresql_server_url
from tests.support.helpers import DEFAULT_PASSWORD
from tests.support.proxy import TcpProxy, tcp_proxy
from tests.support.workers import REDIS_URL, reachable_redis

WORKERS = 2
EMAIL = "membre.pannes@example.org"
CONTRIBUTOR = "claire.pannes@example.org"
#: gunicorn's access log line: worker pid, method, path, status
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s"
#: the file attached to the contribution a worker dies on
ATTACHMENT = pdf_bytes("analyse " * 2000)
LINE = re.compile(r"^<(\d+)> (\S+) (\S+) (\d{3})$")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Site:
    """A running gunicorn, its log files and the proxies in front of its servers."""

    port: int
    log: Path
    access_log: Path
    database: TcpProxy
    redis: TcpProxy
    #: a committee's calendar feed
    feed: str
    #: an open call for contributions
    call_id: int
    url: str = ""
    master: int = 0

    def request(self, method: str, path: str, headers=None, body=None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, {k.replace("_", "-"): v for k, v in headers.items()})

    def answers(self) -> list[tuple[int, str, str, int]]:
        found = [LINE.match(line) for line in self.access_log.read_text().splitlines()]
        return [(int(m[1]), m[2], m[3], int(m[4])) for m in found if m]

    def log_lines(self, words: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if words in line]

    def sign_in(self, password: str = DEFAULT_PASSWORD) -> Reply:
        page = self.get("/login")
        assert page.status == 200, page.status
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        form = urlencode({"email": EMAIL, "password": password, "csrf_token": token[1]})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", "/login", headers, form)


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still not {what} after {seconds} s")
        time.sleep(0.2)


def _redis_or_skip() -> None:
    reachable_redis().close()


def _build(url: str, tmp_path: Path) -> tuple[str, int]:
    """The schema, a member, a contributor, a published committee (its slug) and its open
    call (its id), on the scratch database."""
    application = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "MAIL_FILE_DIR": str(tmp_path / "mail"),
        }
    )
    with application.app_context():
        _db.create_all()
        create_user(EMAIL, "Membre Pannes", DEFAULT_PASSWORD, Role.MEMBER, confirmed=True)
        _db.session.commit()
        create_user(
            CONTRIBUTOR, "Claire Dupont", DEFAULT_PASSWORD, Role.CONTRIBUTOR, confirmed=True
        )
        call = make_call(make_committee("Surveillance des pannes"))
        slug, call_id = call.committee.slug, call.id
        _db.session.remove()
        _db.engine.dispose()
    return slug, call_id


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    _redis_or_skip()
    redis_target = urlsplit(REDIS_URL)
    with postgresql_server_url("faults_site") as url:
        slug, call_id = _build(url, tmp_path)
        target = make_url(normalize_database_url(url))
        with (
            tcp_proxy(target.host or "127.0.0.1", target.port or 5432) as database,
            tcp_proxy(redis_target.hostname or "127.0.0.1", redis_target.port or 6379) as cache,
        ):
            proxied = target.set(host="127.0.0.1", port=database.port)
            port = free_port()
            env = server_environment(
                tmp_path,
                proxied.render_as_string(hide_password=False),
                REDIS_URL=urlunsplit(redis_target._replace(netloc=f"127.0.0.1:{cache.port}")),
                PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                RATELIMIT_KEY_PREFIX=f"faults-{port}",
            )
            env.pop("RATELIMIT_STORAGE_URI", None)
            access, log = tmp_path / "access.log", tmp_path / "gunicorn.log"
            process = start_server(
                env,
                port,
                log,
                workers=WORKERS,
                options=["--access-logfile", str(access), "--access-logformat", ACCESS_FORMAT],
            )
            try:
                yield Site(
                    port,
                    log,
                    access,
                    database,
                    cache,
                    f"/committees/{slug}/calendar.ics",
                    call_id,
                    url,
                    process.pid,
                )
            finally:
                stop_server(process)


def test_database_cut_then_restored(site):
    assert site.get("/").status == 200
    site.database.cut()

    # Every worker meets the outage (the one that held a pooled connection included).
    replies: list[Reply] = []

    def every_worker_answered_503() -> bool:
        replies.append(site.get("/"))
        pids = {pid for pid, _, path, status in site.answers() if status == 503 and path == "/"}
        return len(pids) == WORKERS

    _until(every_worker_answered_503, 30, "503 from every worker")
    page, english = replies[-1], site.get("/", Accept_Language="en")
    api, ready = site.get("/api/v1/committees"), site.get("/readyz")
    feed = site.get(site.feed)
    sign_in = site.get("/login")

    assert {reply.status for reply in replies} == {503}
    assert page.headers["Retry-After"] == "30"
    assert "Service momentanément indisponible" in page.text
    assert english.status == 503
    assert "Service temporarily unavailable" in english.text
    assert api.status == 503
    assert api.headers["Content-Type"] == "application/problem+json"
    assert json.loads(api.body)["status"] == 503
    # The API's own rate-limit window may ask for longer.
    assert int(api.headers["Retry-After"]) >= 30
    assert ready.status == 503
    assert json.loads(ready.body)["checks"]["database"] == "unreachable"
    assert (feed.status, feed.headers["Retry-After"]) == (503, "30")  # calendar clients retry
    assert sign_in.status == 200  # the form itself needs no database

    site.database.restore()
    # No restart: every answer is 200 again.
    restored = [site.get("/") for _ in range(4 * WORKERS)]
    assert [reply.status for reply in restored] == [200] * len(restored)
    assert site.get("/api/v1/committees").status == 200
    assert site.get(site.feed).status == 200
    assert site.get("/readyz").status == 200
    assert site.sign_in().status == 302

    # The log: at most one warning per worker for the outage, and its end; no traceback.
    failed = len([a for a in site.answers() if a[3] == 503])
    assert failed > WORKERS
    assert 1 <= len(site.log_lines("Database unavailable")) <= WORKERS
    assert 1 <= len(site.log_lines("Database answers again")) <= WORKERS
    assert site.log_lines("Traceback") == []


def test_redis_cut_then_restored(site):
    assert site.sign_in().status == 302
    site.redis.cut()

    # Signing in (rate-limited) still works, wrong passwords are still told apart.
    assert site.sign_in("pas le bon mot de passe").status == 422
    assert site.sign_in().status == 302
    assert site.get("/").status == 200
    ready = site.get("/readyz")
    assert ready.status == 503
    assert json.loads(ready.body)["checks"]["redis"] == "unreachable"
    assert site.log_lines("falling back to in-memory storage")
    assert site.log_lines("Traceback") == []

    site.redis.restore()
    assert site.get("/readyz").status == 200
    assert site.sign_in().status == 302

    # Each worker goes back to Redis by itself (it checks with a growing delay, when it
    # checks a limit: on a page that is built, not one sent again from the kept pages).
    def recovered() -> bool:
        site.get("/login")
        return bool(site.log_lines("Rate limit storage recovered"))

    _until(recovered, 60, "back on Redis")
    assert site.sign_in().status == 302


# --- a worker killed in the middle of a submission ---------------------------------------


class _Browser:
    """requests with the session cookie carried by hand: in production it is marked
    Secure, which a cookie jar keeps off plain HTTP on loopback."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def send(self, method: str, path: str, **kwargs) -> requests.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            self.base + path,
            headers={"Cookie": cookie} if cookie else {},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response


def _contribution_form(browser: _Browser, call_id: int) -> dict:
    page = browser.send("GET", "/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    signed = browser.send(
        "POST",
        "/login",
        data={"email": CONTRIBUTOR, "password": DEFAULT_PASSWORD, "csrf_token": token[1]},
    )
    assert signed.status_code == 302, signed.status_code
    html = browser.send("GET", f"/calls/{call_id}/contribute").text
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert key, html[:300]
    assert csrf, html[:300]
    return {**form_data(), "csrf_token": unescape(csrf[1]), "idempotency_key": unescape(key[1])}


def _submit(browser: _Browser, call_id: int, fields: dict) -> requests.Response:
    return browser.send(
        "POST",
        f"/calls/{call_id}/contribute",
        data=fields,
        files={"attachments": ("analyse.pdf", ATTACHMENT, "application/pdf")},
    )


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_worker_killed_during_a_submission_leaves_nothing_half_written(site, tmp_path):
    browser = _Browser(f"http://127.0.0.1:{site.port}")
    fields = _contribution_form(browser, site.call_id)
    direct = normalize_database_url(site.url).replace("postgresql+psycopg://", "postgresql://")

    with psycopg.connect(direct) as holder, psycopg.connect(direct, autocommit=True) as watcher:
        # Hold the call's row: the submission stops at its receipt counter, files written.
        holder.execute("SELECT 1 FROM calls WHERE id = %s FOR UPDATE", (site.call_id,))
        sent = threading.Thread(target=_try_submit, args=(browser, site.call_id, fields))
        sent.start()

        def waiting() -> bool:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            return bool(row and row[0])

        _until(waiting, 30, "waiting for the row lock")
        workers = _workers(site.master)
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        holder.rollback()
        sent.join(timeout=60)
        count = "SELECT count(*) FROM contributions"
        assert watcher.execute(count).fetchone() == (0,)

    uploads = tmp_path / "uploads"
    # At worst a complete file that no row names (the retention rule deletes it), never a
    # half-written one.
    leftovers = [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []
    assert all(p.read_bytes() == ATTACHMENT for p in leftovers)

    # gunicorn replaces the workers; the contributor sends the same form again.
    _until(lambda: len(_workers(site.master)) == WORKERS, 30, "workers replaced")
    first = _submit(browser, site.call_id, fields)
    again = _submit(browser, site.call_id, fields)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    receipt = browser.send("GET", first.headers["Location"])
    assert receipt.status_code == 200
    with psycopg.connect(direct) as check:
        rows = check.execute("SELECT receipt FROM contributions").fetchall()
        assert len(rows) == 1
        assert rows[0][0] in receipt.text
        named = check.execute("SELECT sha256 FROM contribution_attachments").fetchall()
    stored = [p for p in uploads.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [named[0][0]]  # the one file, named by its row


def _try_submit(browser: _Browser, call_id: int, fields: dict) -> None:
    # The connection dies with the worker: whatever the client sees is not the point.
    with suppress(requests.RequestException):
        _submit(browser, call_id, fields)
