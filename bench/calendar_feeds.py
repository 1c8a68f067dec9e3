"""Benchmark: a member's personal calendar feed, against a bare route serving the same bytes.

Run by hand, never by pytest:

    .venv/bin/python bench/calendar_feeds.py                        # SQLite, 10 s per run
    .venv/bin/python bench/calendar_feeds.py --database postgresql  # or: --database both
    .venv/bin/python bench/calendar_feeds.py --quick                # 2 s per run
    .venv/bin/python bench/calendar_feeds.py --profile              # + cProfile of one feed

It builds ten years of monthly sessions (11 months back to 9 years ahead, so that all of
them fall in the default feed window) for 40 published committees with their mandates
and a few agenda items per session, and one member holding mandates in 5 of them plus a
mandate ended six months ago in a sixth: about 600 sessions in their feed. It counts
the SQL queries of one feed request in-process at 10 %, 50 % and 100 % of the sessions
(built cold, assembled from kept VEVENTs, cached, and 304), then serves the application
with gunicorn (2 sync workers, production settings) through ``bench.floor_app``, which
adds ``/floor.ics``: the same bytes and headers from a bare route. Three servers follow
(SERVERS: production settings; whole-feed cache off; nothing kept at all), each
hammered by N client threads for a fixed time per run, floor and feed on the same
server. It prints median and p99 latency, requests per second, the ratios to the floor,
and whether the targets of issues 5 and 14 are met (exit status 1 if not).

SQLite: a file in a temporary directory. PostgreSQL: BENCH_DATABASE_URL (its application
tables are DROPPED), or postgresql://postgres@127.0.0.1:5432/bench_calendars, dropped and
created afresh.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    STATS_HEADERS,
    Stats,
    analyze_postgres,
    counting_queries,
    database_url,
    fix_postgres_sequences,
    floor_environment,
    free_port,
    hammer,
    machine_line,
    print_table,
    reset_schema,
    run_engines,
    start_server,
    stats_rows,
    stop_server,
)

COMMITTEES = 40
MEMBER_COMMITTEES = 5
MONTHS = 120
FIRST_MONTH = -11  # sessions from 11 months back: all inside a 12-month past window
MEMBERS_PER_COMMITTEE = 12
ITEMS_PER_SESSION = 4
MEMBER_EMAIL = "membre.banc@bench.example"
STAGES = (0.1, 0.5, 1.0)  # shares of the months inserted before each query count

#: targets of issues 5 and 14
TARGET_304_RATIO = 0.8
TARGET_FULL_MEDIAN_MS = 50.0

#: response headers the floor does not copy: they belong to the connection or the moment
_PER_RESPONSE = {"content-length", "date", "server", "connection", "set-cookie"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="2 s per run instead of 10")
    parser.add_argument("--duration", type=float, help="seconds per run (default 10)")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--profile", action="store_true", help="cProfile one full feed")
    return parser.parse_args()


# --- data -----------------------------------------------------------------------------


def _month(first: date, offset: int) -> date:
    index = first.year * 12 + first.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _paris(day: date, hour: int) -> datetime:
    from committees.common.timeutils import PARIS

    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).astimezone(UTC)


@dataclass
class Plan:
    """What the benchmark builds, known before it is inserted."""

    now: datetime
    this_month: date
    member_user_id: int = 0
    ended_committee: int = MEMBER_COMMITTEES + 1
    ended_on: date | None = None

    def session_day(self, committee: int, offset: int) -> date:
        first = _month(self.this_month, offset)
        return first.replace(day=1 + committee % 20)


def insert_bodies(plan: Plan) -> None:
    """40 published committees, their members' mandates, and the benchmark's member."""
    from sqlalchemy import insert

    from committees.auth.models import User
    from committees.bodies.models import Committee, Mandate, Person
    from committees.extensions import db

    now = plan.now
    started = _month(plan.this_month, -36)
    db.session.execute(
        insert(Committee),
        [
            {
                "id": c,
                "kind": "permanent" if c % 3 else "temporary",
                "name_fr": f"Comité scientifique n°{c} — suivi des produits de santé",
                "name_en": f"Scientific committee no. {c}",
                "acronym": f"CSP{c}",
                "slug": f"comite-{c}",
                "mission_fr": "Rendre des avis sur les questions que lui soumet l'agence.",
                "start_date": started,
                "meeting_cadence": "mensuelle",
                "quorum_percent": 50,
                "published_at": now - timedelta(days=900),
                "created_at": now,
                "updated_at": now,
            }
            for c in range(1, COMMITTEES + 1)
        ],
    )
    roles = ["president", "vice_president"] + ["member"] * 8 + ["patient_representative"] * 2
    persons, mandates = [], []
    for c in range(1, COMMITTEES + 1):
        for role in roles[:MEMBERS_PER_COMMITTEE]:
            pid = len(persons) + 1
            persons.append(
                {
                    "id": pid,
                    "civility": "Mme" if pid % 2 else "M.",
                    "title": "Dr" if pid % 3 == 0 else "",
                    "first_name": f"Prénom{pid}",
                    "last_name": f"Nom{pid}",
                    "email": f"personne{pid}@bench.example",
                    "affiliation": "CHU de Nantes",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            mandates.append(_mandate(len(mandates) + 1, pid, c, role, started, None, now))
    db.session.execute(
        insert(User),
        [
            {
                "id": 1,
                "email": MEMBER_EMAIL,
                "full_name": "Membre du banc d'essai",
                "password_hash": "!bench: no password",
                "role": "member",
                "is_enabled": True,
                "email_confirmed_at": now,
                "session_token": uuid.uuid4().hex,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    plan.member_user_id = 1
    member_pid = len(persons) + 1
    persons.append(
        {
            "id": member_pid,
            "civility": "Mme",
            "title": "Pr",
            "first_name": "Claire",
            "last_name": "Banc",
            "email": MEMBER_EMAIL,
            "user_id": 1,
            "created_at": now,
            "updated_at": now,
        }
    )
    for c in range(1, MEMBER_COMMITTEES + 1):
        mandates.append(_mandate(len(mandates) + 1, member_pid, c, "member", started, None, now))
    # A past mandate: only the sessions it covered belong in the feed.
    plan.ended_on = _month(plan.this_month, -6) - timedelta(days=1)
    mandates.append(
        _mandate(
            len(mandates) + 1, member_pid, plan.ended_committee, "member", started,
            plan.ended_on, now,
        )
    )  # fmt: skip
    db.session.execute(insert(Person), persons)
    db.session.execute(insert(Mandate), mandates)
    db.session.commit()


def _mandate(mid, person_id, committee_id, role, start, end, now) -> dict:
    return {
        "id": mid,
        "person_id": person_id,
        "committee_id": committee_id,
        "role": role,
        "voting": True,
        "start_date": start,
        "end_date": end,
        "end_reason": "Fin de mandat" if end else "",
        "created_at": now,
        "updated_at": now,
    }


def insert_sessions(plan: Plan, months: range) -> None:
    """Monthly sessions of every committee for ``months`` (offsets from this month),
    with agenda items; ids are derived from (committee, month) so stages can follow."""
    from sqlalchemy import insert

    from committees.extensions import db
    from committees.meetings.models import AgendaItem, Meeting

    rng = random.Random(months.start)
    meetings, items = [], []
    for offset in months:
        for c in range(1, COMMITTEES + 1):
            number = offset - FIRST_MONTH + 1
            mid = (c - 1) * MONTHS + number
            meetings.append(_meeting(plan, rng, mid, c, number, offset))
            for position in range(1, ITEMS_PER_SESSION + 1):
                items.append(_item(plan.now, mid, position))
    db.session.execute(insert(Meeting), meetings)
    db.session.execute(insert(AgendaItem), items)
    db.session.commit()


_FORMATS = ("on_site", "videoconference", "hybrid")
_KINDS = ("information", "discussion", "opinion", "hearing")


def _meeting(plan: Plan, rng: random.Random, mid: int, c: int, number: int, offset: int) -> dict:
    day = plan.session_day(c, offset)
    starts = _paris(day, 14)
    past = starts < plan.now
    fmt = _FORMATS[mid % 3]
    if mid % 25 == 0:
        status = "cancelled"
    elif past:
        status = "minutes_adopted" if offset < -2 else "held"
    else:
        status = "convened" if offset <= 1 else "planned"
    return {
        "id": mid,
        "committee_id": c,
        "number": number,
        "title": f"Séance n°{number} du comité n°{c}",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "format": fmt,
        "place": "" if fmt == "videoconference" else "143-147 bd Anatole France, Saint-Denis",
        "remote_link": "" if fmt == "on_site" else f"https://visio.ansm.example/s/{mid}",
        "is_public": mid % 7 != 0,
        "recording_link": "",
        "status": status,
        "status_reason": "Quorum impossible à réunir" if status == "cancelled" else "",
        "uid": f"{uuid.uuid4()}@committees",
        "sequence": rng.randint(0, 3),
        "agenda_published_at": starts - timedelta(days=15) if offset <= 1 else None,
        "convened_at": starts - timedelta(days=20) if offset <= 1 else None,
        "created_at": plan.now - timedelta(days=400),
        "updated_at": plan.now - timedelta(days=rng.randint(1, 300)),
    }


def _item(now: datetime, meeting_id: int, position: int) -> dict:
    return {
        "id": (meeting_id - 1) * ITEMS_PER_SESSION + position,
        "meeting_id": meeting_id,
        "position": position,
        "title": f"Point {position} : examen du dossier n°{meeting_id}-{position}",
        "kind": _KINDS[position - 1],
        "rapporteur": "Direction des médicaments en neurologie",
        "duration_minutes": 30 + 15 * position,
        "is_public": position != ITEMS_PER_SESSION,
        "description": "Présentation, discussion puis avis du comité.",
        "created_at": now,
        "updated_at": now,
    }


def expected_events(plan: Plan) -> int:
    """Sessions the member's feed should hold: all those of their 5 committees, plus those
    of the sixth that fall inside the ended mandate."""
    ended = sum(
        1
        for offset in range(FIRST_MONTH, FIRST_MONTH + MONTHS)
        if plan.session_day(plan.ended_committee, offset) <= plan.ended_on
    )
    return MEMBER_COMMITTEES * MONTHS + ended


# --- in-process measures --------------------------------------------------------------


def feed_path(app, user_id: int) -> str:
    """The member's personal feed address (the token is created on first use)."""
    from committees.auth.models import User
    from committees.calendars.tokens import personal_token
    from committees.extensions import db

    with app.app_context():
        token = personal_token(db.session.get(User, user_id))
        db.session.commit()
    return f"/calendar/{token}.ics"


def _clear_feed_cache(*, events: bool = True) -> None:
    """Forget built feeds (and, with ``events``, the kept VEVENTs and headers too)."""
    from committees.calendars import cache

    if events:
        cache.clear()
    else:
        cache.feeds.clear()


def measure_queries(app, path: str, headers: dict | None = None, *, mode: str = "cached"):
    """(response, VEVENTs, queries, milliseconds) of one request, after a warm-up one.

    ``mode``: "built" forgets every kept feed and VEVENT first (a cold build), "assembled"
    the whole feeds only (the feed is assembled from kept VEVENTs, as after a change of
    one session), "cached" forgets nothing. Remembered validators are kept: the counts
    are those of a server already answering the feed (its revision lookup included).
    """
    from committees.extensions import db

    client = app.test_client()
    client.get(path, headers=headers)
    with app.app_context():
        engine = db.engine
    if mode != "cached":
        with app.app_context():
            _clear_feed_cache(events=mode == "built")
    with counting_queries(engine) as statements:
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        elapsed = (time.perf_counter() - began) * 1000
    return response, response.data.count(b"BEGIN:VEVENT"), len(statements), elapsed


def profile_feed(app, path: str, repeat: int = 10) -> None:
    """cProfile ``repeat`` feed builds (cache emptied each time); print the top functions."""
    client = app.test_client()
    client.get(path)
    profiler = cProfile.Profile()
    for _ in range(repeat):
        with app.app_context():
            _clear_feed_cache()
        profiler.enable()
        client.get(path)
        profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(35)
        print(f"\n--- cProfile of {repeat} feed builds, by {order} ---")
        print(out.getvalue()[:14000])


# --- one database ---------------------------------------------------------------------


def run(engine: str, args: argparse.Namespace, duration: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-calendars-{engine}-"))
    url = database_url(engine, tmp, "bench_calendars")
    print(f"\n=== {engine}: files and logs in {tmp}")
    body_file, headers_file = tmp / "floor.ics", tmp / "floor-headers.json"
    env = floor_environment(tmp, url)
    os.environ.update(env)
    from committees import create_app
    from committees.extensions import db

    app = create_app()
    began = time.perf_counter()
    reset_schema(app)
    plan = Plan(now=datetime.now(UTC), this_month=datetime.now(UTC).date().replace(day=1))
    with app.app_context():
        insert_bodies(plan)
    path = feed_path(app, plan.member_user_id)

    print("Queries per feed request (in-process, test client, after one warm-up request):")
    rows, inserted = [], FIRST_MONTH
    for share in STAGES:
        upto = FIRST_MONTH + round(MONTHS * share)
        with app.app_context():
            insert_sessions(plan, range(inserted, upto))
        analyze_postgres(app)
        inserted = upto
        response, events, queries, ms = measure_queries(app, path, mode="built")
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.data[:300]!r}")
        _, _, assembled, assembled_ms = measure_queries(app, path, mode="assembled")
        _, _, cached, cached_ms = measure_queries(app, path)
        etag = response.headers.get("ETag", "")
        _, _, queries_304, ms_304 = measure_queries(app, path, {"If-None-Match": etag})
        rows.append(
            [f"{share:.0%} of the sessions", events, queries, assembled, cached, queries_304, ms,
             assembled_ms, cached_ms, ms_304]
        )  # fmt: skip
    fix_postgres_sequences(app, ["committees", "persons", "mandates", "users", "meetings",
                                 "agenda_items"])  # fmt: skip
    print_table(
        ("sessions inserted", "VEVENTs", "queries built", "assembled", "cached", "304",
         "ms built", "assembled", "cached", "304"),
        rows,
    )  # fmt: skip
    with app.app_context():
        db.engine.dispose()
    print(f"Setup (schema, data, counts): {time.perf_counter() - began:.1f} s")
    expected = expected_events(plan)
    events = rows[-1][1]
    print(f"Feed holds {events} VEVENTs (expected {expected}: 5 x {MONTHS} + ended mandate)")
    if args.profile:
        profile_feed(app, path)

    response = app.test_client().get(path)
    body_file.write_bytes(response.data)
    headers_file.write_text(
        json.dumps({k: v for k, v in response.headers.items() if k.lower() not in _PER_RESPONSE})
    )
    machine = machine_line()  # before our own load adds to it
    results: dict[str, Stats] = {}
    for label, overrides, runs in SERVERS:
        server_env = {**env, **overrides}
        port = free_port()
        server = start_server(
            server_env,
            port,
            tmp / f"gunicorn-{label}.log",
            app="bench.floor_app:app",
            workers=args.workers,
            worker_class=args.worker_class,
        )
        try:
            results.update(load(port, path, args.threads, duration, runs))
        finally:
            stop_server(server)
    return {"engine": engine, "events": events, "bytes": len(response.data),
            "queries": [r[2] for r in rows], "queries_assembled": [r[3] for r in rows],
            "queries_cached": [r[4] for r in rows], "queries_304": [r[5] for r in rows],
            "built_ms": [r[6] for r in rows], "assembled_ms": [r[7] for r in rows],
            "results": results, "expected": expected, "machine": machine}  # fmt: skip


#: the servers the load runs hit, each with its settings and its runs:
#: (run name, what: floor / feed / healthz, If-None-Match or not)
SERVERS = (
    (
        "production",
        {},
        (
            ("floor full", "floor", False),
            ("feed full, cached", "feed", False),
            # Validators remembered under the calendar revision: exact, no clock.
            ("floor 304", "floor", True),
            ("feed 304", "feed", True),
            # A reference, not a target: the cost of one trivial query in the same server.
            ("/healthz (SELECT 1)", "healthz", False),
        ),
    ),
    (
        # Whole feeds are not kept, so each full answer is assembled from the kept
        # VEVENTs (what a change costs).
        "no-feed-cache",
        {"BENCH_CALENDAR_CACHE_BYTES": "0"},
        (
            ("floor full (no feed cache)", "floor", False),
            ("feed full, assembled", "feed", False),
        ),
    ),
    (
        # Nothing kept at all: every full answer builds all its VEVENTs with icalendar.
        "cold",
        {
            "BENCH_CALENDAR_CACHE_BYTES": "0",
            "BENCH_CALENDAR_EVENT_CACHE_BYTES": "0",
        },
        (
            ("floor full (cold server)", "floor", False),
            ("feed full, built cold", "feed", False),
        ),
    ),
)


def load(port: int, path: str, threads: int, duration: float, runs: tuple) -> dict[str, Stats]:
    """``runs`` one after the other against the server on ``port``."""
    from bench.common import Client

    client = Client(port)
    etags = {
        "feed": client.get(path).headers.get("ETag", ""),
        "floor": client.get("/floor.ics").headers.get("ETag", ""),
    }
    client.close()
    if not etags["feed"]:
        print("  WARNING: the feed sends no ETag; its 304 run will count errors")
    targets = {"feed": path, "floor": "/floor.ics", "healthz": "/healthz"}
    results = {}
    for name, what, revalidate in runs:
        headers = {"If-None-Match": etags[what]} if revalidate else None
        results[name] = hammer(
            port, name, targets[what], headers=headers, expect=304 if revalidate else 200,
            threads=threads, duration=duration,
        )  # fmt: skip
    return results


# --- report ---------------------------------------------------------------------------


def report(outcome: dict, args: argparse.Namespace) -> bool:
    """Print the table, the ratios and the verdict; True when every target is met."""
    r = outcome["results"]
    print(f"\n[before the runs: {outcome['machine']}]")
    print(
        f"{outcome['engine']}: personal feed of {outcome['events']} VEVENTs, "
        f"{outcome['bytes'] / 1024:.0f} KiB; gunicorn {args.workers} x {args.worker_class}, "
        f"{args.threads} client threads"
    )
    print_table(STATS_HEADERS, stats_rows(list(r.values())))
    for stats in r.values():
        for error in stats.errors[:3]:
            print(f"  ERROR {stats.name}: {error}")

    def ratio(feed: str, floor: str) -> float:
        return r[feed].rps / r[floor].rps if r[floor].rps else 0.0

    revalidation = ratio("feed 304", "floor 304")
    counts = {
        "built": outcome["queries"],
        "assembled": outcome["queries_assembled"],
        "cached": outcome["queries_cached"],
        "304": outcome["queries_304"],
    }
    constant = all(len(set(c)) == 1 for c in counts.values())
    cached, assembled = r["feed full, cached"], r["feed full, assembled"]
    checks = [
        (f"feed 304 / floor 304 throughput: {revalidation:.2f} (target >= {TARGET_304_RATIO}, "
     "validators exact at every instant)",
         revalidation >= TARGET_304_RATIO),
        (f"full feed median: {cached.median_ms:.1f} ms (target < {TARGET_FULL_MEDIAN_MS:.0f} ms)",
         cached.median_ms < TARGET_FULL_MEDIAN_MS),
        ("queries per request: " + ", ".join(f"{k} {v}" for k, v in counts.items())
         + " (target: constant)", constant),
        (f"VEVENTs: {outcome['events']} (expected {outcome['expected']})",
         outcome["events"] == outcome["expected"]),
        ("no errors", not any(s.errors for s in r.values())),
    ]  # fmt: skip
    print(
        f"  full feed / floor full throughput: {ratio('feed full, cached', 'floor full'):.2f} "
        f"cached; {ratio('feed full, assembled', 'floor full (no feed cache)'):.2f} "
        f"assembled from kept VEVENTs ({assembled.median_ms:.1f} ms median); "
        f"{ratio('feed full, built cold', 'floor full (cold server)'):.3f} built cold "
        f"({r['feed full, built cold'].median_ms:,.0f} ms median)"
    )
    print(
        "  /healthz (one SELECT 1 through the ORM session) / floor 304 throughput: "
        f"{ratio('/healthz (SELECT 1)', 'floor 304'):.2f}"
    )
    print(
        "  in-process, ms for a build cold / assembled at 10-50-100 %: "
        + " / ".join(f"{b:.0f}-{a:.0f}" for b, a in zip(outcome["built_ms"],
                                                        outcome["assembled_ms"], strict=True))
    )  # fmt: skip
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")
    return all(ok for _, ok in checks)


def main() -> int:
    return run_engines(parse_args(), run, report, "run")


if __name__ == "__main__":
    sys.exit(main())
