"""The "closes in 7 days" notice to the followers of the calls: ``flask follows closing-soon``
(the calls domain adds this command to following's group from its ``init_app``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from committees.calls.models import Call, CallStatus
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows import events as follow_events

#: how long before its closing a call is announced
CLOSING_NOTICE = timedelta(days=7)


def announce_closing_calls(*, now: datetime | None = None) -> int:
    """Record a "closes in 7 days" event for each published call closing within a week
    (once per call: run it daily). Returns how many were recorded (committed)."""
    now = now or utcnow()
    calls = (
        db.session.execute(
            select(Call).where(
                Call.status == CallStatus.PUBLISHED.value,
                Call.closes_at > now,
                Call.closes_at <= now + CLOSING_NOTICE,
            )
        )
        .scalars()
        .all()
    )
    recorded = sum(1 for call in calls if follow_events.call_closing(call))
    db.session.commit()
    current_app.logger.info("follows: %d closing call(s) announced", recorded)
    return recorded


@click.command("closing-soon")
@with_appcontext
def closing_soon_command() -> None:
    """Announce the calls that close within 7 days (run it daily; once per call)."""
    click.echo(f"closing calls announced {announce_closing_calls()}")


def register() -> None:
    """Add ``closing-soon`` to the ``flask follows`` commands (adding it again changes
    nothing)."""
    from committees.follows.cli import follows_cli

    follows_cli.add_command(closing_soon_command)
