"""Benchmark: one session's .ics against a bare route, and a personal feed built cold.

Run by hand, never by pytest:

    .venv/bin/python bench/calendar_session.py                        # SQLite, 5 s per run
    .venv/bin/python bench/calendar_session.py --database postgresql  # or --database both

The data of ``bench/calendar_feeds.py`` (40 committees, ten years of monthly sessions, a
member whose personal feed holds 605 VEVENTs). In-process (test client), the personal
feed is requested after a warm-up request with every per-process cache emptied: *cold
worker* (what a new worker or the first request after a change of every session costs:
VEVENTs read from ``calendar_event_pieces`` when the table exists) and, when it exists,
*nothing kept* (the table emptied too: every VEVENT built by icalendar). Then gunicorn
(2 sync workers) serves ``bench.floor_app:app`` with ``/floor.ics`` returning one public
session's bytes and headers, and the floor and ``/meetings/<id>.ics`` are hammered,
full and 304, by 4 client threads: the ratio to the floor is the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.calendar_feeds import (
    _PER_RESPONSE,
    FIRST_MONTH,
    MONTHS,
    Plan,
    feed_path,
    insert_bodies,
    insert_sessions,
)
from bench.common import (
    STATS_HEADERS,
    analyze_postgres,
    counting_queries,
    database_url,
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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="2 s per run instead of 5")
    parser.add_argument("--duration", type=float, help="seconds per run (default 5)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5, help="cold builds measured")
    return parser.parse_args()


def _empty_pieces(app) -> bool:
    """Empty the shared VEVENT pieces, if this version keeps them (False if not)."""
    from sqlalchemy import inspect

    from committees.extensions import db

    with app.app_context():
        if not inspect(db.engine).has_table("calendar_event_pieces"):
            return False
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM calendar_event_pieces")
    return True


def cold_builds(app, path: str, repeat: int, *, nothing_kept: bool) -> tuple[float, int, int]:
    """(median ms, queries, VEVENTs) of ``repeat`` requests, each after the per-process
    caches (and, with ``nothing_kept``, the shared pieces) were emptied."""
    from committees.calendars import cache
    from committees.extensions import db

    client = app.test_client()
    client.get(path)
    timings, queries, events = [], 0, 0
    for _ in range(repeat):
        with app.app_context():
            cache.clear()
            engine = db.engine
        if nothing_kept:
            _empty_pieces(app)
        with counting_queries(engine) as statements:
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (response.status_code, response.data[:500])
        queries, events = len(statements), response.data.count(b"BEGIN:VEVENT")
    return statistics.median(timings), queries, events


def _public_session(app) -> int:
    """A public session of the first committee, three months ahead."""
    client = app.test_client()
    from sqlalchemy import select

    from committees.extensions import db
    from committees.meetings.models import Meeting

    with app.app_context():
        ids = db.session.scalars(
            select(Meeting.id).where(Meeting.starts_at > datetime.now(UTC)).order_by(Meeting.id)
        ).all()
    for meeting_id in ids:
        if client.get(f"/meetings/{meeting_id}.ics").status_code == 200:
            return meeting_id
    raise SystemExit("no public session found")


def run(engine: str, args: argparse.Namespace, duration: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-session-{engine}-"))
    url = database_url(engine, tmp, "bench_calendar_session")
    print(f"\n=== {engine}: files and logs in {tmp}")
    body_file, headers_file = tmp / "floor.ics", tmp / "floor-headers.json"
    env = floor_environment(tmp, url)
    os.environ.update(env)
    from committees import create_app

    app = create_app()
    reset_schema(app)
    plan = Plan(now=datetime.now(UTC), this_month=datetime.now(UTC).date().replace(day=1))
    with app.app_context():
        insert_bodies(plan)
        insert_sessions(plan, range(FIRST_MONTH, FIRST_MONTH + MONTHS))
    analyze_postgres(app)
    path = feed_path(app, plan.member_user_id)
    cold = cold_builds(app, path, args.repeat, nothing_kept=False)
    kept = _empty_pieces(app)
    nothing = cold_builds(app, path, args.repeat, nothing_kept=True) if kept else None

    meeting_id = _public_session(app)
    session_path = f"/meetings/{meeting_id}.ics"
    response = app.test_client().get(session_path)
    body_file.write_bytes(response.data)
    headers_file.write_text(
        json.dumps({k: v for k, v in response.headers.items() if k.lower() not in _PER_RESPONSE})
    )
    etag = response.headers["ETag"]
    machine = machine_line()
    port = free_port()
    server = start_server(env, port, tmp / "gunicorn.log", app="bench.floor_app:app")
    results = []
    try:
        for name, target, revalidate in (
            ("floor full", "/floor.ics", False),
            ("session .ics full", session_path, False),
            ("floor 304", "/floor.ics", True),
            ("session .ics 304", session_path, True),
        ):
            headers = {"If-None-Match": etag} if revalidate else None
            results.append(
                hammer(port, name, target, headers=headers, expect=304 if revalidate else 200,
                       threads=args.threads, duration=duration)
            )  # fmt: skip
    finally:
        stop_server(server)
    return {"engine": engine, "cold": cold, "nothing": nothing, "results": results,
            "machine": machine, "bytes": len(response.data)}  # fmt: skip


def report(outcome: dict, args: argparse.Namespace) -> bool:
    print(f"\n[before the runs: {outcome['machine']}]")
    ms, queries, events = outcome["cold"]
    print(f"{outcome['engine']}: personal feed of {events} VEVENTs, in-process")
    print(f"  cold worker (per-process caches emptied): {ms:,.0f} ms median, {queries} queries")
    if outcome["nothing"] is not None:
        ms, queries, _ = outcome["nothing"]
        print(f"  nothing kept (shared pieces emptied too): {ms:,.0f} ms median, {queries} queries")
    r = {s.name: s for s in outcome["results"]}
    print(f"one session's .ics ({outcome['bytes']} bytes), gunicorn 2 sync workers:")
    print_table(STATS_HEADERS, stats_rows(outcome["results"]))
    full = r["session .ics full"].rps / r["floor full"].rps
    revalidated = r["session .ics 304"].rps / r["floor 304"].rps
    print(f"  session / floor throughput: full {full:.2f}, 304 {revalidated:.2f}")
    errors = [e for s in outcome["results"] for e in s.errors]
    for error in errors[:5]:
        print(f"  ERROR {error}")
    return not errors


def main() -> int:
    args = parse_args()
    if args.duration is None:
        args.duration = 2.0 if args.quick else 5.0
    return run_engines(args, run, report, "run")


if __name__ == "__main__":
    sys.exit(main())
