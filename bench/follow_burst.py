"""Benchmark: a publication followed by 10,000 addresses.

Run by hand, never by pytest:

    .venv/bin/python bench/follow_burst.py                       # 10,000 followers, SQLite
    .venv/bin/python bench/follow_burst.py --followers 1000
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_follows \\
        .venv/bin/python bench/follow_burst.py

It builds a fresh database (a SQLite file in a temporary directory, or the PostgreSQL
database of BENCH_DATABASE_URL, whose application tables are DROPPED first), migrated,
with one published committee followed by N confirmed addresses (half French, half
English). It then times what the publishing request does (publish the agenda and commit:
one event row, whatever N), and the fan-out that ``flask send-mail`` / ``flask follows
dispatch`` runs afterwards (N outbox rows in batches). It checks that every follower got
exactly one message with its own unsubscribe address; exit status 1 if not.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine_line, recreate_postgres_database, reset_schema  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-follows-"))
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        recreate_postgres_database(url)
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    from committees import create_app

    app = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(tmp / "uploads"),
        }
    )
    print(machine_line())
    print(f"database: {url.split('@')[-1]}; followers: {args.followers:,}")
    reset_schema(app)
    with app.app_context():
        meeting = _setup(args.followers)
        publish_seconds = _publish(meeting)
        dispatch_seconds, report = _dispatch(args.batch_size)
        ok = _check(args.followers)
    print(f"publishing request (publish agenda + commit): {publish_seconds * 1000:.1f} ms")
    print(
        f"fan-out: {report.queued:,} e-mails queued in {dispatch_seconds:.2f} s "
        f"({report.queued / dispatch_seconds:,.0f}/s, batches of {args.batch_size})"
    )
    print("check:", "every follower has exactly one message" if ok else "FAILED")
    return 0 if ok else 1


def _setup(count: int):
    from sqlalchemy import insert

    from committees.bodies.models import CommitteeKind
    from committees.bodies.services import create_committee
    from committees.common.timeutils import utcnow
    from committees.extensions import db
    from committees.follows.models import Follower, committee_scope
    from committees.meetings.agenda.services import add_item
    from committees.meetings.models import ItemKind, MeetingFormat
    from committees.meetings.rules import paris_to_utc
    from committees.meetings.scheduling.services import create_meeting

    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture en France du cannabis à usage médical",
        start_date=date(2021, 8, 2),
        end_date=date(2030, 12, 31),
        published_at=datetime(2021, 8, 2, tzinfo=UTC),
    )
    meeting = create_meeting(
        committee,
        title="Séance du 4 mai 2022",
        starts_at=paris_to_utc(date(2022, 5, 4), clock(9, 30)),
        ends_at=paris_to_utc(date(2022, 5, 4), clock(17, 0)),
        format=MeetingFormat.VIDEOCONFERENCE.value,
    )
    add_item(meeting, title="Introduction", kind=ItemKind.INFORMATION.value)
    now = utcnow()
    rows = [
        {
            "email": f"follower{n:06d}@example.org",
            "scope": committee_scope(committee.id),
            "committee_id": committee.id,
            "locale": "en" if n % 2 else "fr",
            "frequency": "immediate",
            "confirmed_at": now,
            "digest_until": now,
            "unsubscribe_token": secrets.token_urlsafe(32),
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Follower), rows)
    db.session.commit()
    return meeting


def _publish(meeting) -> float:
    from committees.extensions import db
    from committees.meetings.agenda.services import publish_agenda

    started = time.perf_counter()
    publish_agenda(meeting)
    db.session.commit()
    return time.perf_counter() - started


def _dispatch(batch_size: int):
    from committees.follows.dispatch import dispatch_pending

    started = time.perf_counter()
    report = dispatch_pending(batch_size=batch_size)
    return time.perf_counter() - started, report


def _check(count: int) -> bool:
    from sqlalchemy import func, select

    from committees.extensions import db
    from committees.mail.models import OutboxMessage

    total, recipients, links = db.session.execute(
        select(
            func.count(),
            func.count(OutboxMessage.recipient.distinct()),
            func.count(OutboxMessage.unsubscribe_url.distinct()),
        )
    ).one()
    return total == recipients == links == count


if __name__ == "__main__":
    sys.exit(main())
