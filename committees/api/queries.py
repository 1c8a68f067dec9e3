"""The API's listing queries, built on the domains' own visibility rules.

Each listing is a ``Select`` that ``pagination.paginate`` counts and pages; what the
public may see is decided by the domains (committees.meetings.queries, the decisions and
calls services), never here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee
from committees.calls.models import Call, Contribution
from committees.calls.visibility import public_calls_query
from committees.calls.visibility import restrict_to_visible as _visible_contributions
from committees.extensions import db
from committees.meetings.minutes.services import can_view_publicly
from committees.meetings.models import Meeting, Vote
from committees.meetings.queries import restrict_to_public as _public_meetings
from committees.meetings.rules import paris_to_utc


def published_committees_query() -> Select:
    """Published committees by kind, then name."""
    return (
        select(Committee)
        .where(Committee.published_at.is_not(None))
        .order_by(Committee.kind, Committee.name_fr, Committee.id)
    )


def public_meetings_query(
    *,
    committee_id: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    status: str | None = None,
) -> Select:
    """Public sessions of published committees, in the order they take place, narrowed to a
    committee, to sessions starting between two Paris days (both included) and to a status."""
    query = _public_meetings(select(Meeting)).options(
        selectinload(Meeting.committee), selectinload(Meeting.minutes)
    )
    if committee_id is not None:
        query = query.where(Meeting.committee_id == committee_id)
    if first_day is not None:
        query = query.where(Meeting.starts_at >= paris_to_utc(first_day, time(0, 0)))
    if last_day is not None:
        query = query.where(
            Meeting.starts_at < paris_to_utc(last_day + timedelta(days=1), time(0, 0))
        )
    if status is not None:
        query = query.where(Meeting.status == status)
    return query.order_by(Meeting.starts_at, Meeting.id)


def published_votes(meeting: Meeting) -> dict[int, Vote]:
    """The votes of the session's public items by item id, once its minutes are published
    (the public learns the outcome from the minutes, not before); one query."""
    if not can_view_publicly(meeting.minutes):
        return {}
    item_ids = [item.id for item in meeting.items if item.is_public]
    if not item_ids:
        return {}
    votes = db.session.execute(select(Vote).where(Vote.item_id.in_(item_ids))).scalars()
    return {vote.item_id: vote for vote in votes}


def public_calls(now: datetime) -> Select:
    """Public calls (never drafts), those still open first, with committee and session."""
    return public_calls_query(now).options(
        selectinload(Call.meeting).selectinload(Meeting.committee)
    )


def published_contribution_counts(calls: Sequence[Call]) -> dict[int, int]:
    """How many contributions of each call the public may read; one query."""
    ids = [call.id for call in calls]
    if not ids:
        return {}
    rows = db.session.execute(
        _visible_contributions(select(Contribution.call_id, func.count(Contribution.id)))
        .where(Contribution.call_id.in_(ids))
        .group_by(Contribution.call_id)
    ).all()
    counts = dict.fromkeys(ids, 0)
    counts.update({call_id: count for call_id, count in rows})
    return counts
