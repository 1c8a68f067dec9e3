"""Benchmark: ten years of data, 1x then 10x — queries per request and latency of every page.

Run by hand, never by pytest:

    .venv/bin/python bench/scale.py                          # SQLite, 1x then 10x, 10 s per page
    .venv/bin/python bench/scale.py --quick                  # 2 s per page
    .venv/bin/python bench/scale.py --database postgresql    # or: --database both
    .venv/bin/python bench/scale.py --scale 10               # one scale only (no comparison)

For each scale, a fresh database (a SQLite file in a temporary directory; PostgreSQL:
BENCH_DATABASE_URL, or postgresql://postgres@127.0.0.1:5432/bench_scale, dropped and
created afresh) migrated with ``flask db upgrade``, filled by bench/scale_data.py (Core
bulk inserts), then every page of PAGES requested in-process (test client, signed in where
needed, after one warm-up request) while its SQL statements are counted. At the largest
scale, gunicorn (4 sync workers, REDIS_URL=redis://127.0.0.1:6379/13, flushed first)
serves ``bench.floor_app:app`` and each page, beside the bare ``/floor.ics`` route, is
hammered by 16 client threads. Targets: queries per request equal at every scale; p95
under 100 ms at 16 clients at the largest scale; a page's body not growing with the data
(a list that grows is paginated). Exit status 1 if one is missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_POSTGRES,
    Client,
    analyze_postgres,
    counting_queries,
    fix_postgres_sequences,
    free_port,
    hammer,
    machine_line,
    percentile,
    print_table,
    recreate_postgres_database,
    reset_schema,
    run_engines,
    server_environment,
    start_server,
    stop_server,
)
from bench.scale_data import TABLES, Landmarks, Sizes, build

REDIS_URL = "redis://127.0.0.1:6379/13"
TARGET_P95_MS = 100.0
#: a body this many times larger at 10x is a list that is not paginated (a paginated one
#: may fill its page, e.g. 8 committees then 20 of 80, but does not grow tenfold)
GROWTH_LIMIT = 3.0

#: (page, path template, who is signed in); ``{token}`` is the member's feed token
PAGES = (
    ("home", "/", None),
    ("committees list", "/committees", None),
    ("committee page", "/committees/{lm.slug}", None),
    ("session page", "/meetings/{lm.past_meeting_id}", None),
    ("minutes page", "/meetings/{lm.past_meeting_id}/minutes", None),
    ("decisions list", "/decisions", None),
    ("decisions, year", "/decisions?year={lm.decision_year}", None),
    ("decisions, kind", "/api/v1/decisions?kind=nomination", None),
    ("decisions, committee", "/decisions?committee={lm.slug}", None),
    ("decisions, text", "/decisions?q=relative", None),
    ("decision page", "/decisions/{lm.decision_number}", None),
    ("calls list", "/calls", None),
    ("call page", "/calls/{lm.call_id}", None),
    ("search", "/search?q=cannabis", None),
    ("Atom feed", "/feeds/publications.atom", None),
    ("API committees", "/api/v1/committees", None),
    ("API committee", "/api/v1/committees/{lm.slug}", None),
    ("API meetings", "/api/v1/meetings", None),
    ("API meeting", "/api/v1/meetings/{lm.past_meeting_id}", None),
    ("API decisions", "/api/v1/decisions", None),
    ("API decision", "/api/v1/decisions/{lm.decision_number}", None),
    ("API calls", "/api/v1/calls", None),
    ("API call", "/api/v1/calls/{lm.call_id}", None),
    ("committee calendar", "/committees/{lm.slug}/calendar.ics", None),
    ("personal calendar", "/calendar/{token}.ics", None),
    ("secretariat dashboard", "/dashboard", "secretariat"),
    ("session edit", "/secretariat/meetings/{lm.future_meeting_id}/edit", "secretariat"),
    ("contributions review", "/secretariat/calls/{lm.call_id}/contributions", "secretariat"),
    ("contributions CSV", "/secretariat/calls/{lm.call_id}/export.csv", "secretariat"),
    ("member dashboard", "/dashboard", "member"),
)


@dataclass
class Measure:
    """One page at one scale, in-process."""

    status: int
    queries: int
    size: int
    ms: float


@dataclass
class Outcome:
    engine: str
    scales: list[int]
    build_s: dict[int, float] = field(default_factory=dict)
    measures: dict[int, dict[str, Measure]] = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    machine: str = ""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="2 s per page instead of 10")
    parser.add_argument("--scale", type=int, help="one scale only (default: 1 then 10)")
    parser.add_argument("--duration", type=float, help="seconds per page (default 10)")
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    return parser.parse_args()


# --- in-process -----------------------------------------------------------------------


def _signed_in_client(app, email: str):
    """A test client whose session names ``email``'s account (what /login would write)."""
    from sqlalchemy import select

    from committees.auth.models import User
    from committees.extensions import db

    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == email))
    client = app.test_client()
    with client.session_transaction(base_url="https://localhost") as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def feed_token(app, user_id: int) -> str:
    from committees.auth.models import User
    from committees.calendars.tokens import personal_token
    from committees.extensions import db

    with app.app_context():
        token = personal_token(db.session.get(User, user_id))
        db.session.commit()
    return token


def page_paths(lm: Landmarks, token: str) -> dict[str, tuple[str, str | None]]:
    return {name: (path.format(lm=lm, token=token), who) for name, path, who in PAGES}


def count_pages(app, lm: Landmarks, paths: dict) -> dict[str, Measure]:
    """Status, SQL statements and body size of each page, after one warm-up request."""
    from committees.calendars import cache as calendar_cache
    from committees.extensions import db

    clients = {
        None: app.test_client(),
        "secretariat": _signed_in_client(app, lm.secretariat_email),
        "member": _signed_in_client(app, lm.member_email),
    }
    with app.app_context():
        engine = db.engine
    measures = {}
    for name, (path, who) in paths.items():
        client = clients[who]
        client.get(path, base_url="https://localhost")
        # Calendars are counted built, not served from the process's cache: what grows.
        calendar_cache.clear()
        with counting_queries(engine) as statements:
            began = time.perf_counter()
            response = client.get(path, base_url="https://localhost")
            ms = (time.perf_counter() - began) * 1000
        measures[name] = Measure(response.status_code, len(statements), len(response.data), ms)
    return measures


# --- over HTTP ------------------------------------------------------------------------


def http_cookie(port: int, email: str, password: str) -> str:
    """Sign in through the real form; the Cookie header that carries the session.

    Production cookies are Secure: the client reads Set-Cookie and sends them itself.
    """
    client = Client(port)
    page = client.get("/login")
    cookie = _cookies(page.headers)
    csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.body)
    if not csrf:
        raise SystemExit("no CSRF token on /login")
    from urllib.parse import urlencode

    body = urlencode({"csrf_token": csrf.group(1).decode(), "email": email, "password": password})
    reply = client.request(
        "POST",
        "/login",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        body.encode(),
    )
    client.close()
    if reply.status != 302:
        raise SystemExit(f"sign-in of {email} over HTTP answered {reply.status}")
    return _cookies(reply.headers) or cookie


def _cookies(headers: dict) -> str:
    values = [v for k, v in headers.items() if k.lower() == "set-cookie"]
    # http.client folds repeated headers with ", "; each cookie starts "name=value;"
    pairs = re.findall(r"(?:^|, )([A-Za-z_][\w-]*=[^;,]*)", ", ".join(values))
    return "; ".join(p for p in pairs if not p.lower().startswith(("expires=", "path=")))


def load_pages(port: int, lm: Landmarks, paths: dict, threads: int, duration: float) -> dict:
    """Hammer the floor, then every page, with ``threads`` clients for ``duration`` s each."""
    cookies = {
        None: None,
        "secretariat": http_cookie(port, lm.secretariat_email, lm.password),
        "member": http_cookie(port, lm.member_email, lm.password),
    }
    results = {"floor /floor.ics": hammer(port, "floor", "/floor.ics", threads=threads,
                                          duration=duration)}  # fmt: skip
    for name, (path, who) in paths.items():
        headers = {"Cookie": cookies[who]} if cookies[who] else None
        results[name] = hammer(
            port, name, path, headers=headers, threads=threads, duration=duration
        )
    return results


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- one database ---------------------------------------------------------------------


def run(engine: str, args: argparse.Namespace, duration: float) -> Outcome:
    scales = [args.scale] if args.scale else [1, 10]
    outcome = Outcome(engine, scales)
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-scale-{engine}-"))
    print(f"\n=== {engine}: files and logs in {tmp}")
    for scale in scales:
        env, app, lm = _prepare(engine, tmp, scale, outcome)
        token = feed_token(app, lm.member_user_id)
        paths = page_paths(lm, token)
        outcome.measures[scale] = count_pages(app, lm, paths)
        if scale == scales[-1]:
            outcome.machine = machine_line()
            outcome.load = _serve_and_load(app, env, tmp, lm, paths, args, duration)
        from committees.extensions import db

        with app.app_context():
            db.engine.dispose()
    return outcome


def _prepare(engine: str, tmp: Path, scale: int, outcome: Outcome):
    if engine == "sqlite":
        url = f"sqlite:///{tmp / f'scale{scale}.sqlite3'}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL") or f"{DEFAULT_POSTGRES}/bench_scale"
        if not os.environ.get("BENCH_DATABASE_URL"):
            recreate_postgres_database(url)
    env = server_environment(
        tmp,
        url,
        PUBLIC_BASE_URL="https://comites.ansm.example",
        REDIS_URL=REDIS_URL,
        # Open data is limited to 600 requests a minute by default: not what is measured.
        API_RATE_LIMIT="1000000 per minute",
        BENCH_FLOOR_BODY=str(tmp / "floor.ics"),
        BENCH_FLOOR_HEADERS=str(tmp / "floor-headers.json"),
    )
    os.environ.update(env)
    from committees import create_app

    app = create_app()
    # One access-log line per in-process request would drown the figures.
    logging.getLogger("committees.access").disabled = True
    began = time.perf_counter()
    reset_schema(app)
    with app.app_context():
        lm = build(Sizes(), scale)
    fix_postgres_sequences(app, TABLES)
    analyze_postgres(app)
    outcome.build_s[scale] = time.perf_counter() - began
    print(f"  {scale}x built in {outcome.build_s[scale]:.1f} s (schema, inserts, search index)")
    return env, app, lm


def _serve_and_load(app, env, tmp: Path, lm: Landmarks, paths: dict, args, duration: float):
    # The floor serves the bytes and headers of the personal feed, as in calendar_feeds.py.
    response = app.test_client().get(paths["personal calendar"][0])
    (tmp / "floor.ics").write_bytes(response.data)
    keep = {k: v for k, v in response.headers.items() if k.lower() not in {"content-length",
            "date", "set-cookie"}}  # fmt: skip
    (tmp / "floor-headers.json").write_text(json.dumps(keep))
    flush_redis()
    port = free_port()
    server = start_server(env, port, tmp / "gunicorn.log", app="bench.floor_app:app",
                          workers=args.workers)  # fmt: skip
    try:
        return load_pages(port, lm, paths, args.threads, duration)
    finally:
        stop_server(server)


# --- report ---------------------------------------------------------------------------


def report(outcome: Outcome, args: argparse.Namespace) -> bool:
    """Print the table and a verdict per page; True when every target is met."""
    first, last = outcome.scales[0], outcome.scales[-1]
    print(f"\n[before the load: {outcome.machine}]")
    built = ", ".join(f"{s}x {t:.0f} s" for s, t in outcome.build_s.items())
    print(f"{outcome.engine}: data built in {built}; gunicorn {args.workers} sync workers, "
          f"{args.threads} client threads")  # fmt: skip
    floor = outcome.load["floor /floor.ics"]
    print(f"floor /floor.ics: p50 {floor.median_ms:.1f} ms, p95 "
          f"{percentile(floor.latencies, 0.95) * 1000:.1f} ms, {floor.rps:.0f} req/s")  # fmt: skip
    rows, all_ok = [], True
    for name, _path, _who in PAGES:
        m1, mn = outcome.measures[first][name], outcome.measures[last][name]
        stats = outcome.load[name]
        p95 = percentile(stats.latencies, 0.95) * 1000 if stats.latencies else float("nan")
        missed = _missed(m1, mn, p95, stats)
        all_ok &= not missed
        rows.append([name, m1.status, m1.queries, mn.queries, f"{m1.size / 1024:.0f}",
                     f"{mn.size / 1024:.0f}", mn.ms, stats.median_ms, p95, stats.rps,
                     "ok" if not missed else "MISSED: " + "; ".join(missed)])  # fmt: skip
    print_table(("page", "status", f"queries {first}x", f"{last}x", f"KiB {first}x", f"{last}x",
                 "alone ms", "p50 ms", "p95 ms", "req/s", "verdict"), rows)  # fmt: skip
    print(f"(alone: one in-process request at {last}x, calendars built; p50/p95/req/s: "
          f"{args.threads} clients over HTTP at {last}x)")  # fmt: skip
    return all_ok


def _missed(m1: Measure, mn: Measure, p95: float, stats) -> list[str]:
    missed = []
    if m1.status != 200 or mn.status != 200:
        missed.append(f"status {m1.status}/{mn.status}")
    if m1.queries != mn.queries:
        missed.append("queries grow")
    if mn.size > GROWTH_LIMIT * m1.size:
        missed.append(f"body x{mn.size / m1.size:.1f}: not paginated")
    if not p95 < TARGET_P95_MS:
        missed.append(f"p95 >= {TARGET_P95_MS:.0f} ms")
    if stats.errors:
        missed.append(stats.errors[0])
    return missed


def main() -> int:
    return run_engines(parse_args(), run, report, "page")


if __name__ == "__main__":
    sys.exit(main())
