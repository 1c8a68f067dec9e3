"""Benchmark: concurrent submissions in the last minute before a call's deadline.

Run by hand, never by pytest:

    .venv/bin/python bench/submissions.py                       # 1,000 x 50 on SQLite
    .venv/bin/python bench/submissions.py --contributions 100 --clients 10
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_calls \\
        .venv/bin/python bench/submissions.py

It builds a fresh database (a SQLite file in a temporary directory, or the PostgreSQL
database named by BENCH_DATABASE_URL, whose application tables are DROPPED first),
migrates it, creates one call closing in about 90 seconds and one confirmed contributor
account per client, starts gunicorn with several workers, and lets the clients sign in,
wait for the last minute before the deadline, then submit contributions, each with a
unique 1 MB PDF, until the requested number is accepted. It prints the throughput and
the p50/p99 latency of the submissions, then checks that none was lost or duplicated,
that receipt numbers are unique and gap-free, and that every stored file's SHA-256
(recomputed from disk) matches what was sent. The exit status is 1 if a check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-not-secret"  # noqa: S105 - throwaway accounts of a throwaway database
PDF_SIZE = 1024 * 1024
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_KEY = re.compile(
    r'name="idempotency_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotency_key"'
)
_RECEIPT = re.compile(r"/my/contributions/(\d+)/receipt")


# --- settings -------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contributions", type=int, default=1000, help="how many to submit")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)"
    )
    parser.add_argument(
        "--deadline", type=int, default=90, help="seconds from setup to the call's closing"
    )
    parser.add_argument(
        "--window", type=int, default=60, help="clients start this many seconds before closing"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(tmp: Path, database_url: str) -> dict[str, str]:
    """The application's settings, all through environment variables."""
    env = dict(os.environ)
    env.update(
        {
            "APP_ENV": "development",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp / "instance"),
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "SECRET_KEY": secrets.token_hex(32),
            "MAIL_BACKEND": "file",
            "MAIL_FILE_DIR": str(tmp / "mail"),
            "MAX_CONTENT_LENGTH": str(8 * 1024 * 1024),
            "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt:1024:8:1"),
            "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
            "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
            "LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS": "100000 per minute",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


# --- database -------------------------------------------------------------------------


def prepare_database(env: dict[str, str], clients: int, deadline: int):
    """A fresh, migrated database with one open call and ``clients`` contributors.

    Returns (app, call id, closing instant, e-mail addresses).
    """
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import inspect, text

    from committees import create_app
    from committees.auth.models import Role
    from committees.auth.services import create_user
    from committees.bodies.models import CommitteeKind
    from committees.bodies.services import create_committee
    from committees.calls.administration.services import create_call, publish_call
    from committees.common.timeutils import paris_today, utcnow
    from committees.extensions import db

    app = create_app()
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        try:
            upgrade()
        except Exception as error:
            # Migrations are generated by the lead as models settle; measure anyway, loudly.
            print(f"WARNING: flask db upgrade failed ({type(error).__name__}); using create_all()")
            db.session.rollback()
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        missing = {t.name for t in db.metadata.sorted_tables} - set(
            inspect(db.engine).get_table_names()
        )
        if missing:
            # The lead generates migrations once models settle; until then say so loudly.
            print(f"WARNING: migrations lack {sorted(missing)}; creating them with create_all()")
            db.create_all()
        today = paris_today()
        committee = create_committee(
            kind=CommitteeKind.PERMANENT, name_fr="Comité du banc d'essai", start_date=today
        )
        now = utcnow()
        closes = now.replace(microsecond=0) + timedelta(seconds=deadline)
        call = create_call(
            committee=committee,
            reference="BENCH-2022",
            title="Appel du banc d'essai",
            opens_at=now - timedelta(hours=1),
            closes_at=closes,
            themes="Thème unique",
            max_attachments=1,
            max_attachment_bytes=2 * PDF_SIZE,
            allowed_types=["pdf"],
        )
        publish_call(call)
        emails = [f"client{n:03d}@bench.example" for n in range(clients)]
        for email in emails:
            create_user(email, email.split("@")[0], PASSWORD, Role.CONTRIBUTOR)
        db.session.commit()
        return app, call.id, closes, emails


# --- gunicorn -------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int, args: argparse.Namespace, log: Path):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--keep-alive",
        "30",
        "--chdir",
        str(ROOT),
        "wsgi:app",
    ]
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    for _attempt in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- one client -----------------------------------------------------------------------


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]):
    """A multipart/form-data body: (name, value) fields and (name, filename, bytes) files."""
    boundary = secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, data in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def unique_pdf() -> bytes:
    """1 MB that is a PDF by its content, and unlike any other (random bytes)."""
    header = b"%PDF-1.4\n"
    return header + os.urandom(PDF_SIZE - len(header))


def _first(pattern: re.Pattern, html: str, what: str) -> str:
    match = pattern.search(html)
    if not match:
        raise RuntimeError(f"no {what} in the page (after the deadline the form is not offered)")
    return unescape(match.group(1) or match.group(2))


class Browser:
    """One person: a keep-alive connection and the session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, data

    def sign_in(self, email: str) -> None:
        _response, page = self.request("GET", "/login")
        token = _first(_CSRF, page.decode(), "CSRF token")
        body = urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
        response, _data = self.request("POST", "/login", body, "application/x-www-form-urlencoded")
        if response.status != 302:
            raise RuntimeError(f"sign-in of {email} answered {response.status}")


@dataclass
class Results:
    """What the clients saw, shared between their threads."""

    target: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: int = 0
    accepted: dict[int, str] = field(default_factory=dict)  # contribution id -> sent SHA-256
    accepted_count: int = 0
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    first_post: float = float("inf")  # wall-clock instants (time.time())
    last_answer: float = 0.0

    def take_ticket(self) -> bool:
        with self.lock:
            if self.started >= self.target:
                return False
            self.started += 1
            return True

    def give_back(self) -> None:
        with self.lock:
            self.started -= 1


def submit_once(browser: Browser, call_id: int, results: Results, n: int) -> None:
    _response, page = browser.request("GET", f"/calls/{call_id}/contribute")
    html = page.decode()
    data = unique_pdf()
    body, content_type = multipart(
        [
            ("csrf_token", _first(_CSRF, html, "CSRF token")),
            ("idempotency_key", _first(_KEY, html, "idempotency key")),
            ("organisation", f"Organisation n°{n}"),
            ("organisation_kind", "farmer"),
            ("contact_name", "Personne à contacter"),
            ("contact_function", "Gérante"),
            ("themes", "Thème unique"),
            ("text", "Contribution du banc d'essai."),
            ("consent_publication", "y"),
            ("wants_hearing", "y"),
        ],
        [("attachments", f"contribution-{n}.pdf", data)],
    )
    start, clock = time.time(), time.perf_counter()
    response, answer = browser.request("POST", f"/calls/{call_id}/contribute", body, content_type)
    end, latency = time.time(), time.perf_counter() - clock
    match = _RECEIPT.search(response.headers.get("Location", ""))
    with results.lock:
        results.first_post = min(results.first_post, start)
        results.last_answer = max(results.last_answer, end)
        results.latencies.append(latency)
        if response.status == 302 and match:
            contribution_id = int(match.group(1))
            if contribution_id in results.accepted:
                results.errors.append(f"contribution {contribution_id} answered twice")
            results.accepted[contribution_id] = hashlib.sha256(data).hexdigest()
            results.accepted_count += 1
        else:
            results.refused.append(f"{response.status}: {answer[:200]!r}")
    if not (response.status == 302 and match):
        results.give_back()
        if response.status != 422:
            raise RuntimeError(f"submission answered {response.status}")


def client(port, email, call_id, start_at, results: Results, ready: threading.Barrier) -> None:
    browser = Browser(port)
    try:
        browser.sign_in(email)
    except Exception as error:
        results.errors.append(f"{email}: {error}")
    ready.wait()
    time.sleep(max(0.0, start_at - time.time()))
    browser.connection.close()  # the server dropped it while idle; reopened on next request
    n = 0
    while results.take_ticket():
        n += 1
        try:
            submit_once(browser, call_id, results, n)
        except Exception as error:
            results.errors.append(f"{email}: {error}")
            return
        if len(results.refused) > results.target:
            return  # the deadline passed: everything is refused now


# --- checks ---------------------------------------------------------------------------


def check(app, call_id: int, results: Results, expected: int) -> list[str]:
    """Compare what the clients were told with the database and the file store."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from committees.calls.models import Contribution
    from committees.common import filestore
    from committees.extensions import db

    failures = []
    with app.app_context():
        rows = (
            db.session.execute(
                select(Contribution)
                .where(Contribution.call_id == call_id)
                .options(selectinload(Contribution.attachments))
            )
            .scalars()
            .all()
        )
        ids = {row.id for row in rows}
        numbers = sorted(row.receipt_number for row in rows)
        print(f"  accepted responses: {results.accepted_count}; rows: {len(rows)}")
        if results.accepted_count != expected:
            failures.append(f"{results.accepted_count} accepted instead of {expected}")
        if set(results.accepted) - ids:
            failures.append(f"lost: {len(set(results.accepted) - ids)} accepted but not stored")
        if ids - set(results.accepted):
            failures.append(f"duplicated: {len(ids - set(results.accepted))} rows nobody was told")
        if len(results.accepted) != results.accepted_count:
            failures.append("one contribution was answered to two submissions")
        if numbers != list(range(1, len(rows) + 1)):
            failures.append("receipt numbers are not unique and gap-free from 1")
        if len({row.receipt for row in rows}) != len(rows):
            failures.append("receipts are not unique")
        bad_files = 0
        for row in rows:
            current = [a for a in row.attachments if a.current]
            sent = results.accepted.get(row.id)
            if len(current) != 1 or current[0].sha256 != sent:
                bad_files += 1
                continue
            digest = hashlib.sha256()
            with filestore.path_for(current[0].sha256).open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != sent:
                bad_files += 1
        print(f"  files checked against what was sent: {len(rows) - bad_files}/{len(rows)}")
        if bad_files:
            failures.append(f"{bad_files} stored files differ from what was sent")
    return failures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-calls-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = server_environment(tmp, database_url)
    print(f"Database: {engine}; files and logs in {tmp}")
    app, call_id, closes, emails = prepare_database(env, args.clients, args.deadline)
    port = free_port()
    server = start_server(env, port, args, tmp / "gunicorn.log")
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads "
        f"on port {port}; {os.cpu_count()} CPUs, load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )
    results = Results(target=args.contributions)
    start_at = closes.timestamp() - args.window
    ready = threading.Barrier(args.clients)
    threads = [
        threading.Thread(target=client, args=(port, email, call_id, start_at, results, ready))
        for email in emails
    ]
    try:
        for thread in threads:
            thread.start()
        print(f"{args.clients} clients signed in; submitting {args.window} s before the deadline")
        for thread in threads:
            thread.join()
    finally:
        stop_server(server)
    finished_before_deadline = 0 < results.last_answer < closes.timestamp()
    elapsed = results.last_answer - results.first_post if results.latencies else 0.0
    print(f"Submitted: {results.accepted_count} accepted, {len(results.refused)} refused")
    if results.latencies:
        rate = results.accepted_count / elapsed
        print(f"  throughput: {rate:.1f} contributions/s ({elapsed:.1f} s)")
        print(
            f"  POST latency: p50 {percentile(results.latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(results.latencies, 0.99) * 1000:.0f} ms, "
            f"mean {statistics.fmean(results.latencies) * 1000:.0f} ms"
        )
    print(f"  all answered before the deadline: {'yes' if finished_before_deadline else 'no'}")
    failures = [*results.errors[:5], *check(app, call_id, results, args.contributions)]
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("OK: none lost, none duplicated, receipts gap-free, every file's SHA-256 matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
