"""What the home page shows: upcoming public sessions, open calls, the latest published
decisions and minutes. One query per block, whatever the amount of data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from committees.bodies.models import Committee
from committees.calls.models import Call, CallStatus
from committees.calls.rules import is_open
from committees.common.timeutils import utcnow
from committees.decisions.models import Decision
from committees.extensions import db
from committees.meetings.minutes.services import can_view_publicly
from committees.meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus
from committees.meetings.queries import is_publicly_visible

#: items per block
PER_BLOCK = 5


@dataclass(frozen=True)
class HomeBlocks:
    """The four lists of the home page."""

    meetings: Sequence[Meeting]
    calls: Sequence[Call]
    decisions: Sequence[Decision]
    minutes: Sequence[Minutes]


def upcoming_public_meetings(now: datetime, limit: int = PER_BLOCK) -> list[Meeting]:
    """The next public sessions of published committees, soonest first, cancelled and
    postponed ones left out (one query)."""
    rows = db.session.scalars(
        select(Meeting)
        .join(Meeting.committee)
        .options(contains_eager(Meeting.committee))
        .where(
            Meeting.is_public.is_(True),
            Committee.published_at.is_not(None),
            Meeting.ends_at >= now,
            Meeting.status.not_in([MeetingStatus.CANCELLED.value, MeetingStatus.POSTPONED.value]),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    return [m for m in rows if is_publicly_visible(m)]


def open_calls(now: datetime, limit: int = PER_BLOCK) -> list[Call]:
    """The calls accepting contributions now, nearest deadline first (one query)."""
    rows = db.session.scalars(
        select(Call)
        .join(Call.committee)
        .options(contains_eager(Call.committee))
        .where(
            Call.status == CallStatus.PUBLISHED.value,
            Call.opens_at <= now,
            Call.closes_at > now,
        )
        .order_by(Call.closes_at, Call.id)
        .limit(limit)
    )
    return [call for call in rows if is_open(call, now)]


def latest_decisions(limit: int = PER_BLOCK) -> list[Decision]:
    """The last published decisions, latest publication first (one query)."""
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.published_at.is_not(None))
            .order_by(Decision.published_at.desc(), Decision.id.desc())
            .limit(limit)
        )
    )


def latest_minutes(limit: int = PER_BLOCK) -> list[Minutes]:
    """The last published minutes of public sessions, with their session and committee
    (one query)."""
    rows = db.session.scalars(
        select(Minutes)
        .join(Minutes.meeting)
        .join(Meeting.committee)
        .options(contains_eager(Minutes.meeting).contains_eager(Meeting.committee))
        .where(
            Minutes.status == MinutesStatus.PUBLISHED.value,
            Meeting.is_public.is_(True),
            Committee.published_at.is_not(None),
        )
        .order_by(Minutes.published_at.desc(), Minutes.id.desc())
        .limit(limit)
    )
    return [minutes for minutes in rows if can_view_publicly(minutes)]


def home_blocks(now: datetime | None = None) -> HomeBlocks:
    """Everything the home page lists (four queries)."""
    now = now or utcnow()
    return HomeBlocks(
        meetings=upcoming_public_meetings(now),
        calls=open_calls(now),
        decisions=latest_decisions(),
        minutes=latest_minutes(),
    )
