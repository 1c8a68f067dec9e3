"""What the meetings domain holds about a person (registered from its ``init_app``): their
attendances, recusals and ballots (through their mandates), their comments on draft
minutes and the minutes versions they saved. Erasure empties the comments and the
convocation answer links; attendance, recusals and votes stay (the public record)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from committees.common import personal_data
from committees.common.personal_data import ERASED, DataSubject, Erasure, Found, plain, row_of
from committees.extensions import db
from committees.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    MinutesComment,
    MinutesRevision,
    Recusal,
    Vote,
)


def _attendances(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.mandate_id.in_(subject.mandate_ids))
        .options(selectinload(Attendance.meeting))
        .order_by(Attendance.id)
    )
    return [
        {
            **row_of(a, "mandate_id", "convened_at", "response", "responded_at", "presence"),
            "meeting": a.meeting.title,
            "meeting_starts_at": plain(a.meeting.starts_at),
        }
        for a in rows
    ]


def _recusals(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Recusal)
        .where(Recusal.mandate_id.in_(subject.mandate_ids))
        .options(selectinload(Recusal.item).selectinload(AgendaItem.meeting))
        .order_by(Recusal.id)
    )
    return [
        {
            **row_of(r, "mandate_id", "status", "reason"),
            "item": r.item.title,
            "meeting": r.item.meeting.title,
        }
        for r in rows
    ]


def _ballots(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Ballot)
        .where(Ballot.mandate_id.in_(subject.mandate_ids))
        .options(selectinload(Ballot.vote).selectinload(Vote.item))
        .order_by(Ballot.id)
    )
    return [{**row_of(b, "mandate_id", "choice"), "item": b.vote.item.title} for b in rows]


def _comment_conditions(subject: DataSubject) -> list:
    # Written from their account, or on behalf of their mandate.
    conditions = []
    if subject.user is not None:
        conditions.append(MinutesComment.author_id == subject.user.id)
    if subject.mandate_ids:
        conditions.append(MinutesComment.mandate_id.in_(subject.mandate_ids))
    return conditions


def _comments(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    conditions = _comment_conditions(subject)
    if not conditions:
        return []
    rows = db.session.scalars(
        select(MinutesComment)
        .where(or_(*conditions))
        .options(selectinload(MinutesComment.item))
        .order_by(MinutesComment.id)
    )
    return [
        {
            **row_of(c, "minutes_id", "revision_number", "body", "created_at", "answer"),
            "item": c.item.title if c.item is not None else "",
        }
        for c in rows
    ]


def _revisions(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    # Staff write the minutes: which versions they saved (the text is the committee's).
    if subject.user is None:
        return []
    rows = db.session.scalars(
        select(MinutesRevision)
        .where(MinutesRevision.author_id == subject.user.id)
        .order_by(MinutesRevision.id)
    )
    return [row_of(r, "minutes_id", "number", "note", "created_at") for r in rows]


def _erase_comments(subject: DataSubject, erasure: Erasure) -> None:
    conditions = _comment_conditions(subject)
    if not conditions:
        return
    erasure.counts["minutes_comments"] += db.session.execute(
        update(MinutesComment)
        .where(or_(*conditions), MinutesComment.body != ERASED)
        .values(body=ERASED)
    ).rowcount


def _erase_answer_tokens(subject: DataSubject, erasure: Erasure) -> None:
    if not subject.mandate_ids:
        return
    erasure.counts["answer_tokens"] += db.session.execute(
        update(Attendance)
        .where(
            Attendance.mandate_id.in_(subject.mandate_ids),
            Attendance.response_token_hash.is_not(None),
        )
        .values(response_token_hash=None)
    ).rowcount


def register() -> None:
    """Declare attendance, recusals, ballots and minutes to the privacy operations."""
    personal_data.register_section("attendances", _attendances)
    personal_data.register_section("recusals", _recusals)
    personal_data.register_section("ballots", _ballots)
    personal_data.register_section("minutes_comments", _comments)
    personal_data.register_section("minutes_revisions", _revisions)
    personal_data.register_eraser("minutes_comments", _erase_comments)
    personal_data.register_eraser("answer_tokens", _erase_answer_tokens)
