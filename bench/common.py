"""Helpers shared by the benchmarks: databases, gunicorn, a keep-alive client, figures.

Nothing here knows a domain: a benchmark script builds its data, then uses these to
serve the application the way production does (gunicorn, settings from environment
variables) and to measure it from outside.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the PostgreSQL server the benchmarks use when no URL is given
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432"


# --- settings and databases -----------------------------------------------------------


def free_port() -> int:
    """A TCP port on the loopback that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(tmp: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """The application's settings, all through environment variables (production profile,
    a random SECRET_KEY, files under ``tmp``); ``overrides`` win."""
    env = dict(os.environ)
    env.update(
        {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp / "instance"),
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "MAIL_BACKEND": "file",
            "MAIL_FILE_DIR": str(tmp / "mail"),
            "PYTHONPATH": str(ROOT),
            # Production answers 400 to other hosts than PUBLIC_BASE_URL's (HOST_CHECK);
            # the benchmarks' clients ask 127.0.0.1, test clients localhost.
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
        }
    )
    env.update(overrides)
    return env


def database_url(
    engine: str, tmp: Path, postgres_name: str, sqlite_name: str = "bench.sqlite3"
) -> str:
    """A fresh database for ``engine``: a SQLite file in ``tmp``; on PostgreSQL,
    BENCH_DATABASE_URL as it is, or ``postgres_name`` on the local server, dropped and
    created afresh."""
    if engine == "sqlite":
        return f"sqlite:///{tmp / sqlite_name}"
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = f"{DEFAULT_POSTGRES}/{postgres_name}"
    recreate_postgres_database(url)
    return url


def floor_environment(tmp: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """``server_environment`` for ``bench.floor_app``: PUBLIC_BASE_URL, and the floor's
    body and headers read from ``tmp/floor.ics`` and ``tmp/floor-headers.json`` (which
    the script writes before it starts the server)."""
    return server_environment(
        tmp,
        database_url,
        PUBLIC_BASE_URL="https://comites.ansm.example",
        BENCH_FLOOR_BODY=str(tmp / "floor.ics"),
        BENCH_FLOOR_HEADERS=str(tmp / "floor-headers.json"),
        **overrides,
    )


def recreate_postgres_database(url: str) -> None:
    """Drop and create the PostgreSQL database named by ``url`` (connecting to ``postgres``)."""
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def reset_schema(app) -> None:
    """Drop the application's tables, then build them with ``flask db upgrade``.

    Tables and indexes the migrations do not create yet (the lead generates migrations
    once models settle) are created from the models, with a warning, so that a benchmark
    still runs; so is the whole schema if the migrations fail (a migration in progress).
    """
    from flask_migrate import upgrade
    from sqlalchemy import inspect, text

    from committees.extensions import db

    with app.app_context():
        _drop_everything(db, text)
        try:
            upgrade()
        except Exception as error:  # a half-written migration of someone else's
            first_line = str(error).splitlines()[0][:120]
            print(f"  WARNING: flask db upgrade failed ({first_line}); schema from the models")
            _drop_everything(db, text)
        missing = {t.name for t in db.metadata.sorted_tables} - set(
            inspect(db.engine).get_table_names()
        )
        if missing:
            print(f"  WARNING: migrations lack {sorted(missing)}; created from the models")
            db.create_all()
        _create_missing_indexes(db, inspect)


def _drop_everything(db, text) -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _create_missing_indexes(db, inspect) -> None:
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        present = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                print(f"  WARNING: migrations lack index {index.name}; created from the models")
                index.create(db.engine)


def fix_postgres_sequences(app, tables: Sequence[str]) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequences past them."""
    from sqlalchemy import text

    from committees.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.begin() as conn:
            for table in tables:
                # Table names come from the benchmark's code, never from input.
                last = f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1"  # noqa: S608
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                conn.execute(text(f"SELECT setval({sequence}, {last}, false)"))


def analyze_postgres(app) -> None:
    """Refresh PostgreSQL's planner statistics after bulk inserts, as autovacuum would
    shortly; without them the first plans are guesses."""
    from sqlalchemy import text

    from committees.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


@contextmanager
def counting_queries(engine) -> Iterator[list[str]]:
    """Collect the SQL statements ``engine`` runs inside the block."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- gunicorn -------------------------------------------------------------------------


def start_server(
    env: Mapping[str, str],
    port: int,
    log: Path,
    *,
    app: str = "wsgi:app",
    workers: int = 2,
    worker_class: str = "sync",
    threads: int = 1,
    timeout: float = 60.0,
    options: Sequence[str] = (),
) -> subprocess.Popen:
    """Start ``.venv/bin/gunicorn`` (or ``$VENV/bin/gunicorn``) on 127.0.0.1:``port`` and
    wait until /healthz answers 200.

    Output goes to ``log``; on failure the server is stopped and the script exits
    naming the log. ``options`` are more gunicorn command-line options.
    """
    venv = Path(os.environ.get("VENV") or ROOT / ".venv")  # a worktree shares main's
    command = [
        str(venv / "bin/gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--keep-alive",
        "30",
        "--chdir",
        str(ROOT),
        *options,
        app,
    ]
    handle = log.open("wb")
    process = subprocess.Popen(command, env=dict(env), stdout=handle, stderr=subprocess.STDOUT)
    if not wait_until_healthy(port, process, timeout):
        stop_server(process)
        raise SystemExit(f"gunicorn did not start; see {log}")
    return process


def wait_until_healthy(port: int, process: subprocess.Popen | None, timeout: float) -> bool:
    """Poll GET /healthz until it answers 200 (True), the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return True
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL after 30 seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- client ---------------------------------------------------------------------------


@dataclass
class Reply:
    """One HTTP answer, fully read."""

    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """One keep-alive connection to the server, reopened when the server closed it
    (gunicorn's sync workers close after every response; http.client reconnects)."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Reply:
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=dict(headers or {}))
                response = self.connection.getresponse()
                data = response.read()
                return Reply(response.status, dict(response.headers.items()), data)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # An idle keep-alive connection closed by the server: retry once on a new one.
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers)

    def close(self) -> None:
        self.connection.close()


# --- measuring ------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` 0.5 for the median)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Stats:
    """What a load run measured: per-request latencies (seconds) and the wall time."""

    name: str
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)
    bytes_received: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def median_ms(self) -> float:
        return percentile(self.latencies, 0.5) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000 if self.latencies else float("nan")

    @property
    def rps(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


def hammer(
    port: int,
    name: str,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    expect: int = 200,
    threads: int = 4,
    duration: float = 10.0,
    warmup: float = 1.0,
) -> Stats:
    """``threads`` clients, each on its own connection, GET ``path`` back to back for
    ``warmup`` seconds (not counted), then ``duration`` seconds (counted).

    A status other than ``expect`` is an error (the first few are kept in ``errors``).
    """
    stats = Stats(name)
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def one_client() -> None:
        client = Client(port)
        latencies, errors, received = [], [], 0
        try:
            until = time.perf_counter() + warmup
            while time.perf_counter() < until:
                client.get(path, headers)
            start.wait()
            until = time.perf_counter() + duration
            while (now := time.perf_counter()) < until:
                reply = client.get(path, headers)
                latencies.append(time.perf_counter() - now)
                received += len(reply.body)
                if reply.status != expect and len(errors) < 5:
                    errors.append(f"{path}: {reply.status} instead of {expect}")
        except Exception as error:  # reported with the figures
            errors.append(f"{path}: {error!r}")
            start.abort()
        finally:
            client.close()
        with lock:
            stats.latencies.extend(latencies)
            stats.errors.extend(errors)
            stats.bytes_received += received

    workers = [threading.Thread(target=one_client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    with suppress(threading.BrokenBarrierError):  # a client failed: its error says why
        start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    stats.elapsed = time.perf_counter() - began
    return stats


# --- printing -------------------------------------------------------------------------


def machine_line() -> str:
    """CPUs and load average, to print beside figures measured on a shared machine."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) {five:.1f} (5 min)"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        right = (value.rjust(width) for value, width in zip(rest, widths[1:], strict=True))
        return "  ".join([first.ljust(widths[0]), *right])

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return str(value)


def stats_rows(results: Sequence[Stats]) -> list[list[object]]:
    """One table row per load run: requests, median, p99, requests per second."""
    return [[s.name, s.count, s.median_ms, s.p99_ms, s.rps] for s in results]


STATS_HEADERS = ("run", "requests", "median ms", "p99 ms", "req/s")


def run_engines(args, run, report, what: str, finish=None) -> int:
    """Run a benchmark on the engines of ``--database`` (sqlite, postgresql or both), print
    each engine's report, then ``finish(outcomes, args, duration)`` if given (what compares
    the engines); the exit status is 1 when one of them misses a target."""
    duration = args.duration or (2.0 if args.quick else 10.0)
    engines = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; {machine_line()}")
    print(f"{duration:g} s per {what} after 1 s of warm-up")
    outcomes = [run(engine, args, duration) for engine in engines]
    verdicts = [report(outcome, args) for outcome in outcomes]
    if finish is not None:
        finish(outcomes, args, duration)
    return 0 if all(verdicts) else 1
