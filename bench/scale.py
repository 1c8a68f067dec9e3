"""Benchmark: ten years of data, 1x then 10x — queries, latency and throughput of every page
as a fraction of the floor measured on the same server in the same run.

Run by hand, never by pytest:

    .venv/bin/python bench/scale.py                          # SQLite, 1x then 10x, 10 s per page
    .venv/bin/python bench/scale.py --quick                  # 2 s per page
    .venv/bin/python bench/scale.py --database postgresql    # or: --database both
    .venv/bin/python bench/scale.py --scales 1,2 --quick     # a small smoke run
    .venv/bin/python bench/scale.py --scales 10              # one scale only (no comparison)
    .venv/bin/python bench/scale.py --save sqlite.json       # keep the figures, then:
    .venv/bin/python bench/scale.py --table sqlite.json postgresql.json   # one Markdown table

For each scale, a fresh database (a SQLite file in a temporary directory; PostgreSQL:
BENCH_DATABASE_URL, or postgresql://postgres@127.0.0.1:5432/bench_scale, dropped and
created afresh) migrated with ``flask db upgrade``, filled by bench/scale_data.py (Core
bulk inserts), then every page of PAGES requested in-process (test client, signed in where
needed, public page cache off, after one warm-up request) while its SQL statements are
counted. At the largest scale, two gunicorn servers in turn (4 sync workers,
REDIS_URL=redis://127.0.0.1:6379/13, flushed before each) serve ``bench.floor_app:app``:
*warm* (the application's defaults: the public page cache on) and *after a change*
(PUBLIC_CACHE_BYTES=0: every request renders, what the first request after a change
costs). On each, 16 client threads hammer the floor (``/floor.ics``, the personal feed's
bytes), then every page, with a floor round again after every ``--floor-every`` pages; a
page's fraction is its req/s over the mean of the two floor rounds around it.

Targets (issue 21; exit status 1 if one is missed): queries per request equal at every
scale; on the warm server every page's p95 under 100 ms and every anonymous public page
at 0.7 of the floor or more; a page's body not growing with the data (a list that grows is
paginated).
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Client,
    Stats,
    analyze_postgres,
    counting_queries,
    database_url,
    fix_postgres_sequences,
    floor_environment,
    free_port,
    hammer,
    machine_line,
    percentile,
    print_table,
    reset_schema,
    run_engines,
    start_server,
    stop_server,
)
from bench.scale_data import TABLES, Landmarks, Sizes, build

REDIS_URL = "redis://127.0.0.1:6379/13"
TARGET_P95_MS = 100.0
#: an anonymous public page's throughput, warm, over the floor's (issue 21)
TARGET_FRACTION = 0.7
#: a body this many times larger at 10x is a list that is not paginated (a paginated one
#: may fill its page, e.g. 8 committees then 20 of 80, but does not grow tenfold)
GROWTH_LIMIT = 3.0
#: the two servers: name, settings laid over the application's defaults
#: floor rounds of one server further apart than this (max / min): a busy machine
UNSTEADY = 1.5
SERVERS = (("warm", {}), ("after change", {"PUBLIC_CACHE_BYTES": "0"}))
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

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

#: the anonymous public pages held to TARGET_FRACTION (issue 21: home, committees, committee,
#: session, minutes, decisions — its filters included —, decision, calls, call, Atom, API lists
#: and details). Search and the calendar feeds are anonymous too but outside the page cache
#: (the feeds have their own): like signed-in pages, only their p95 is a target.
PUBLIC_PAGES = frozenset(
    name
    for name, _path, who in PAGES
    if who is None and name not in {"search", "committee calendar", "personal calendar"}
)


@dataclass
class Measure:
    """One page at one scale, in-process."""

    status: int
    queries: int
    size: int
    ms: float


@dataclass
class Load:
    """One server's runs: every page, the floor rounds, each page's floor (req/s)."""

    pages: dict[str, Stats] = field(default_factory=dict)
    floors: list[Stats] = field(default_factory=list)
    floor_rps: dict[str, float] = field(default_factory=dict)
    #: anonymous pages whose response sets a cookie or lacks an ETag (informative)
    set_cookie: list[str] = field(default_factory=list)
    no_etag: list[str] = field(default_factory=list)
    #: anonymous pages whose second answer did not come from the page cache (X-Page-Cache)
    uncached: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    engine: str
    scales: list[int]
    build_s: dict[int, float] = field(default_factory=dict)
    measures: dict[int, dict[str, Measure]] = field(default_factory=dict)
    loads: dict[str, Load] = field(default_factory=dict)
    machine: str = ""


@dataclass
class Row:
    """What the Markdown table says of one page on one engine (saved by --save)."""

    page: str
    public: bool
    queries: list[int]  # at each scale
    alone_ms: float
    p50_ms: float  # warm server
    p95_ms: float  # warm server
    fraction_warm: float
    fraction_after: float
    p95_after_ms: float

    @property
    def p95_ok(self) -> bool:
        return self.p95_ms < TARGET_P95_MS

    @property
    def fraction_ok(self) -> bool:
        return not self.public or self.fraction_warm >= TARGET_FRACTION


def _scales(text: str) -> list[int]:
    scales = sorted({int(part) for part in text.split(",") if part.strip()})
    if not scales or scales[0] < 1:
        raise argparse.ArgumentTypeError("scales are whole numbers from 1, e.g. 1,10")
    return scales


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="2 s per page instead of 10")
    parser.add_argument(
        "--scales", type=_scales, default=[1, 10], help="comma-separated, the largest loaded"
    )
    parser.add_argument("--scale", type=int, help="one scale only (same as --scales N)")
    parser.add_argument("--duration", type=float, help="seconds per page (default 10)")
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--floor-every", type=int, default=5,
                        help="a floor round after every N pages (default 5)")  # fmt: skip
    parser.add_argument("--save", type=Path, help="write each engine's rows to this JSON file")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON",
                        help="print the Markdown table of saved runs, run nothing")  # fmt: skip
    args = parser.parse_args()
    if args.scale:
        args.scales = [args.scale]
    return args


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
            response.get_data()  # a streamed body (the CSV export) is written, and queried, here
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


def load_pages(port: int, lm: Landmarks, paths: dict, args, duration: float) -> Load:
    """Hammer the floor, then the pages, a floor round again after every ``floor_every``
    pages and at the end; each page's floor is the mean of the two rounds around it."""
    cookies = {
        None: None,
        "secretariat": http_cookie(port, lm.secretariat_email, lm.password),
        "member": http_cookie(port, lm.member_email, lm.password),
    }
    load = Load()

    def floor_round() -> None:
        load.floors.append(hammer(port, "floor", "/floor.ics", threads=args.threads,
                                  duration=duration))  # fmt: skip

    floor_round()
    group: list[str] = []
    names = list(paths)
    for name in names:
        path, who = paths[name]
        headers = {"Cookie": cookies[who]} if cookies[who] else None  # anonymous: no cookie
        if who is None:
            _probe(port, name, path, load)
        load.pages[name] = hammer(
            port, name, path, headers=headers, threads=args.threads, duration=duration
        )
        group.append(name)
        if len(group) == args.floor_every or name == names[-1]:
            floor_round()
            mean = (load.floors[-2].rps + load.floors[-1].rps) / 2
            load.floor_rps.update(dict.fromkeys(group, mean))
            group = []
    return load


def _probe(port: int, name: str, path: str, load: Load) -> None:
    """Note an anonymous page that sets a cookie (a shared cache cannot keep it), carries
    no ETag (no 304 for a client that holds it) or is not served from the page cache."""
    client = Client(port)
    try:
        client.get(path)
        reply = client.get(path)  # the second: from the page cache if the page is kept
    finally:
        client.close()
    headers = {k.lower() for k in reply.headers}
    if "x-page-cache" not in headers:
        load.uncached.append(name)
    if cookies := _cookies(reply.headers):
        names = ", ".join(pair.split("=", 1)[0] for pair in cookies.split("; "))
        load.set_cookie.append(f"{name} ({names})")
    if "etag" not in headers:
        load.no_etag.append(name)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- one database ---------------------------------------------------------------------


def run(engine: str, args: argparse.Namespace, duration: float) -> Outcome:
    scales = args.scales
    outcome = Outcome(engine, scales)
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-scale-{engine}-"))
    print(f"\n=== {engine}: files and logs in {tmp}", flush=True)
    for scale in scales:
        env, app, lm = _prepare(engine, tmp, scale, outcome)
        token = feed_token(app, lm.member_user_id)
        paths = page_paths(lm, token)
        outcome.measures[scale] = count_pages(app, lm, paths)
        if scale == scales[-1]:
            outcome.machine = machine_line()
            _write_floor(app, tmp, paths)
            for server, settings in SERVERS:
                began = time.perf_counter()
                outcome.loads[server] = _serve_and_load(
                    {**env, **settings}, tmp, server, lm, paths, args, duration
                )
                print(f"  {server} server: {time.perf_counter() - began:.0f} s", flush=True)
        from committees.extensions import db

        with app.app_context():
            db.engine.dispose()
    return outcome


def _prepare(engine: str, tmp: Path, scale: int, outcome: Outcome):
    url = database_url(engine, tmp, "bench_scale", f"scale{scale}.sqlite3")
    env = floor_environment(
        tmp,
        url,
        REDIS_URL=REDIS_URL,
        # Open data is limited to 600 requests a minute by default: not what is measured.
        API_RATE_LIMIT="1000000 per minute",
    )
    env.pop("PUBLIC_CACHE_BYTES", None)  # the warm server runs the application's default
    os.environ.update(env)
    from committees import create_app

    # In-process, pages are counted and timed rendered, never served from the page cache.
    app = create_app({"PUBLIC_CACHE_BYTES": 0})
    began = time.perf_counter()
    reset_schema(app)
    # One access-log line per in-process request would drown the figures (after the
    # migrations: their logging configuration enables the existing loggers again).
    logging.getLogger("committees.access").disabled = True
    with app.app_context():
        lm = build(Sizes(), scale)
    fix_postgres_sequences(app, TABLES)
    analyze_postgres(app)
    outcome.build_s[scale] = time.perf_counter() - began
    print(f"  {scale}x built in {outcome.build_s[scale]:.1f} s (schema, inserts, search index)",
          flush=True)  # fmt: skip
    return env, app, lm


def _write_floor(app, tmp: Path, paths: dict) -> None:
    """The floor serves the bytes and headers of the personal feed, as in calendar_feeds.py."""
    response = app.test_client().get(paths["personal calendar"][0])
    (tmp / "floor.ics").write_bytes(response.data)
    keep = {k: v for k, v in response.headers.items() if k.lower() not in {"content-length",
            "date", "set-cookie"}}  # fmt: skip
    (tmp / "floor-headers.json").write_text(json.dumps(keep))


def _serve_and_load(env, tmp: Path, server: str, lm, paths: dict, args, duration: float) -> Load:
    flush_redis()  # nothing shared survives from the other server or an earlier run
    port = free_port()
    log = tmp / f"gunicorn-{server.replace(' ', '-')}.log"
    process = start_server(env, port, log, app="bench.floor_app:app", workers=args.workers)
    try:
        return load_pages(port, lm, paths, args, duration)
    finally:
        stop_server(process)


# --- report ---------------------------------------------------------------------------


def rows_of(outcome: Outcome) -> list[Row]:
    """Each page's figures: queries per scale, in-process ms, warm p50/p95, fractions."""
    last = outcome.scales[-1]
    warm, after = outcome.loads["warm"], outcome.loads["after change"]
    rows = []
    for name, _path, _who in PAGES:
        rows.append(
            Row(
                page=name,
                public=name in PUBLIC_PAGES,
                queries=[outcome.measures[s][name].queries for s in outcome.scales],
                alone_ms=outcome.measures[last][name].ms,
                p50_ms=warm.pages[name].median_ms,
                p95_ms=_p95(warm.pages[name]),
                fraction_warm=_fraction(warm, name),
                fraction_after=_fraction(after, name),
                p95_after_ms=_p95(after.pages[name]),
            )
        )
    return rows


def _p95(stats: Stats) -> float:
    return percentile(stats.latencies, 0.95) * 1000 if stats.latencies else float("nan")


def _fraction(load: Load, name: str) -> float:
    floor = load.floor_rps[name]
    return load.pages[name].rps / floor if floor else float("nan")


def report(outcome: Outcome, args: argparse.Namespace) -> bool:
    """Print the engine's plain table and a verdict per page; True when every target is met."""
    first, last = outcome.scales[0], outcome.scales[-1]
    print(f"\n[before the load: {outcome.machine}]")
    built = ", ".join(f"{s}x {t:.0f} s" for s, t in outcome.build_s.items())
    print(f"{outcome.engine}: data built in {built}; gunicorn {args.workers} sync workers, "
          f"{args.threads} client threads")  # fmt: skip
    for server, load in outcome.loads.items():
        rates = ", ".join(f"{f.rps:.0f}" for f in load.floors)
        print(f"floor /floor.ics, {server} server, req/s per round: {rates}")
    rows, all_ok = [], True
    for row in rows_of(outcome):
        m1, mn = outcome.measures[first][row.page], outcome.measures[last][row.page]
        warm = outcome.loads["warm"].pages[row.page]
        after = outcome.loads["after change"].pages[row.page]
        missed = _missed(m1, mn, row, [*warm.errors, *after.errors])
        all_ok &= not missed
        rows.append([row.page + (" *" if row.public else ""), mn.status, m1.queries, mn.queries,
                     f"{m1.size / 1024:.0f}", f"{mn.size / 1024:.0f}", mn.ms, row.p50_ms,
                     row.p95_ms, warm.rps, f"{row.fraction_warm:.2f}", row.p95_after_ms,
                     after.rps, f"{row.fraction_after:.2f}",
                     "ok" if not missed else "MISSED: " + "; ".join(missed)])  # fmt: skip
    print_table(("page", "status", f"queries {first}x", f"{last}x", f"KiB {first}x", f"{last}x",
                 "alone ms", "p50 ms", "p95 ms", "req/s", "floor×", "after: p95",
                 "req/s", "floor×", "verdict"), rows)  # fmt: skip
    print(f"(alone: one in-process request at {last}x, rendered, calendars built; p50/p95/req/s/"
          f"floor×: {args.threads} clients over HTTP at {last}x on the warm server, then on "
          f"the after-change server; * an anonymous public page, held to "
          f"{TARGET_FRACTION:g} of the floor warm)")  # fmt: skip
    for server, load in outcome.loads.items():
        if load.set_cookie:
            print(
                f"{server} server: anonymous pages setting a cookie: {', '.join(load.set_cookie)}"
            )
        if load.no_etag:
            print(f"{server} server: anonymous pages without ETag: {', '.join(load.no_etag)}")
        if server == "warm" and load.uncached:
            names = ", ".join(load.uncached)
            print(f"warm server: anonymous pages not served from the page cache: {names}")
    return all_ok


def _missed(m1: Measure, mn: Measure, row: Row, errors: list[str]) -> list[str]:
    missed = []
    if m1.status != 200 or mn.status != 200:
        missed.append(f"status {m1.status}/{mn.status}")
    if len(set(row.queries)) > 1:
        missed.append("queries grow")
    if mn.size > GROWTH_LIMIT * m1.size:
        missed.append(f"body x{mn.size / m1.size:.1f}: not paginated")
    if not row.p95_ok:
        missed.append(f"p95 >= {TARGET_P95_MS:.0f} ms")
    if not row.fraction_ok:
        missed.append(f"floor× < {TARGET_FRACTION:g}")
    if errors:
        missed.append(errors[0])
    return missed


def markdown(engines: dict[str, list[Row]], scales: list[int]) -> str:
    """The table for README.md: one row per page, one column per engine."""
    names = [ENGINE_NAMES.get(e, e) for e in engines]
    head = ["page", "queries " + "=".join(f"{s}×" for s in scales)]
    head += [f"{name}: alone ms · p50 / p95 ms · floor× warm / after change" for name in names]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by_engine = [{row.page: row for row in rows} for rows in engines.values()]
    for page, _path, _who in PAGES:
        rows = [rows[page] for rows in by_engine]
        label = page if not rows[0].public else f"{page} (public)"
        cells = [label, _queries_cell(rows, names)]
        for row in rows:
            p95 = f"{row.p95_ms:.0f}" + ("" if row.p95_ok else " ✗")
            warm = f"{row.fraction_warm:.2f}" + ("" if row.fraction_ok else " ✗")
            cells.append(f"{row.alone_ms:.0f} · {row.p50_ms:.0f} / {p95} · "
                         f"{warm} / {row.fraction_after:.2f}")  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _queries_cell(rows: list[Row], names: list[str]) -> str:
    cells = ["=".join(map(str, r.queries)) + (" ✗" if len(set(r.queries)) > 1 else "")
             for r in rows]  # fmt: skip
    if len(set(cells)) == 1:
        return cells[0]
    return "; ".join(f"{n} {c}" for n, c in zip(names, cells, strict=True))


def summary(engines: dict[str, list[Row]]) -> str:
    """Pages meeting p95, anonymous public pages meeting the fraction, per engine."""
    parts = []
    for engine, rows in engines.items():
        public = [r for r in rows if r.public]
        parts.append(
            f"{ENGINE_NAMES.get(engine, engine)}: pages meeting p95 < {TARGET_P95_MS:.0f} ms "
            f"{sum(r.p95_ok for r in rows)}/{len(rows)}, anonymous public pages meeting "
            f"{TARGET_FRACTION:g} of the floor {sum(r.fraction_ok for r in public)}/{len(public)}"
        )
    return "; ".join(parts) + "."


def print_markdown(saved: dict) -> None:
    engines = {e: [Row(**r) for r in rows] for e, rows in saved["engines"].items()}
    scales = saved["scales"]
    print(f"\nMarkdown ({', '.join(f'{s}×' for s in scales)}; {saved['how']}):\n")
    print(markdown(engines, scales))
    print()
    print(summary(engines))
    print("(floor× of a page: its req/s over the mean of the floor rounds just before and after "
          "it on the same server; ✗ a target missed on the warm server)")  # fmt: skip
    for engine, servers in saved["floors"].items():
        rounds = "; ".join(
            f"{server} {min(rates):.0f}-{max(rates):.0f} (mean {sum(rates) / len(rates):.0f})"
            for server, rates in servers.items()
        )
        name = ENGINE_NAMES.get(engine, engine)
        print(f"{name} floor req/s over {len(next(iter(servers.values())))} rounds: {rounds}; "
              f"at the start of the load: {saved['machine'][engine]}")  # fmt: skip
        if any(max(rates) > UNSTEADY * min(rates) for rates in servers.values()):
            print(f"  WARNING: {name}'s floor varied more than {UNSTEADY:g}x between rounds: "
                  "the machine was busy, its fractions are rough; run again when idle")  # fmt: skip


def finish(outcomes: list[Outcome], args: argparse.Namespace, duration: float) -> None:
    """After every engine: the Markdown table of all of them (and the JSON of --save)."""
    saved = {
        "scales": outcomes[0].scales,
        "how": f"{duration:g} s per page, {args.threads} clients, {args.workers} sync workers",
        "engines": {o.engine: [asdict(r) for r in rows_of(o)] for o in outcomes},
        "floors": {
            o.engine: {server: [f.rps for f in load.floors] for server, load in o.loads.items()}
            for o in outcomes
        },
        "machine": {o.engine: o.machine for o in outcomes},
    }
    if args.save:
        args.save.write_text(json.dumps(saved, indent=1))
        print(f"\nfigures saved to {args.save}")
    print_markdown(saved)


def combine(files: list[Path]) -> int:
    """--table: one Markdown table of saved runs (e.g. SQLite and PostgreSQL run apart)."""
    saved = [json.loads(f.read_text()) for f in files]
    merged = {
        "scales": saved[0]["scales"],
        "how": " / ".join(dict.fromkeys(s["how"] for s in saved)),
    }
    for part in ("engines", "floors", "machine"):
        merged[part] = {e: value for s in saved for e, value in s[part].items()}
    print_markdown(merged)
    return 0


def main() -> int:
    args = parse_args()
    if args.table:
        return combine(args.table)
    return run_engines(args, run, report, "page", finish=finish)


if __name__ == "__main__":
    sys.exit(main())
