"""Retention: personal data kept no longer than the settings say (``flask retention run``).

Each rule counts the rows it would change and, when applied, changes exactly those; a
changed row no longer matches, so a second run finds nothing (idempotent). There is no
sign-in throttling record to purge: Flask-Limiter's counters live in memory or Redis
and expire by themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import selectinload

from committees.audit.services import scrub_audit
from committees.calls.models import Call, Contribution
from committees.common import filestore
from committees.common.personal_data import ANONYMISED_CONTRIBUTOR
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows.models import Follower
from committees.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from committees.meetings.models import Attendance, Meeting

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Rule:
    """One retention rule: its name, what it does in words, and its function."""

    name: str
    description: str
    apply: Callable[[datetime, bool], int]


def _contributor_contacts(now: datetime, apply: bool) -> int:
    years = current_app.config["RETENTION_CONTRIBUTOR_CONTACT_YEARS"]
    closed_before = now - timedelta(days=years * DAYS_PER_YEAR)
    contributions = db.session.scalars(
        select(Contribution)
        .join(Call)
        .where(
            Call.closes_at < closed_before,
            or_(
                Contribution.contact_name != ANONYMISED_CONTRIBUTOR,
                Contribution.contact_function != "",
            ),
        )
        .options(selectinload(Contribution.versions))
    ).all()
    if apply:
        for contribution in contributions:
            contribution.contact_name = ANONYMISED_CONTRIBUTOR
            contribution.contact_function = ""
            for version in contribution.versions:
                version.snapshot = {
                    **version.snapshot,
                    "contact_name": ANONYMISED_CONTRIBUTOR,
                    "contact_function": "",
                }
        ids = [contribution.id for contribution in contributions]
        scrub_audit("contributions", ids, {"contact_name", "contact_function"})
    return len(contributions)


def _outbox_bodies(now: datetime, apply: bool) -> int:
    days = current_app.config["RETENTION_OUTBOX_BODY_DAYS"]
    has_files = exists().where(OutboxAttachment.message_id == OutboxMessage.id)
    condition = (
        OutboxMessage.status == OutboxStatus.SENT.value,
        OutboxMessage.sent_at < now - timedelta(days=days),
        or_(OutboxMessage.body_text != "", OutboxMessage.body_html.is_not(None), has_files),
    )
    ids = db.session.scalars(select(OutboxMessage.id).where(*condition)).all()
    if apply and ids:
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(body_text="", body_html=None)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def _unconfirmed_follows(now: datetime, apply: bool) -> int:
    # The confirmation link has expired: the address serves nothing any more.
    max_age = current_app.config["EMAIL_CONFIRM_MAX_AGE"]
    condition = (
        Follower.confirmed_at.is_(None),
        Follower.created_at < now - timedelta(seconds=max_age),
    )
    ids = db.session.scalars(select(Follower.id).where(*condition)).all()
    if apply and ids:
        db.session.execute(
            delete(Follower)
            .where(Follower.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def _answer_tokens(now: datetime, apply: bool) -> int:
    days = current_app.config["RETENTION_ANSWER_TOKEN_DAYS"]
    ended = select(Meeting.id).where(Meeting.ends_at < now - timedelta(days=days))
    ids = db.session.scalars(
        select(Attendance.id).where(
            Attendance.response_token_hash.is_not(None), Attendance.meeting_id.in_(ended)
        )
    ).all()
    if apply and ids:
        db.session.execute(
            update(Attendance)
            .where(Attendance.id.in_(ids))
            .values(response_token_hash=None)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def _orphan_files(now: datetime, apply: bool) -> int:
    """Stored files that no row names any more (a replaced document, an erased
    contribution's attachment), untouched for RETENTION_ORPHAN_FILE_HOURS: younger ones
    may belong to an upload whose row is not committed yet."""
    older_than = (
        now - timedelta(hours=current_app.config["RETENTION_ORPHAN_FILE_HOURS"])
    ).timestamp()
    named = filestore.digests_in_use()
    orphans = [
        path
        for path in filestore.stored_files()
        if path.name not in named and path.stat().st_mtime < older_than
    ]
    if apply:
        for path in orphans:
            path.unlink(missing_ok=True)
    return len(orphans)


RULES: tuple[Rule, ...] = (
    Rule(
        "contributor_contacts",
        "contact person of contributions to calls closed RETENTION_CONTRIBUTOR_CONTACT_YEARS ago",
        _contributor_contacts,
    ),
    Rule(
        "outbox_bodies",
        "body and files of e-mails sent RETENTION_OUTBOX_BODY_DAYS ago",
        _outbox_bodies,
    ),
    Rule(
        "unconfirmed_follows",
        "follow requests never confirmed within EMAIL_CONFIRM_MAX_AGE",
        _unconfirmed_follows,
    ),
    Rule(
        "answer_tokens",
        "convocation answer links of sessions ended RETENTION_ANSWER_TOKEN_DAYS ago",
        _answer_tokens,
    ),
    Rule(
        "orphan_files",
        "stored files no row names, untouched for RETENTION_ORPHAN_FILE_HOURS",
        _orphan_files,
    ),
)


def run_retention(*, apply: bool = False, now: datetime | None = None) -> dict[str, int]:
    """How many rows each rule affects (would affect, unless ``apply``); not committed."""
    now = now or utcnow()
    report = {rule.name: rule.apply(now, apply) for rule in RULES}
    if apply:
        db.session.flush()
    return report


def format_report(report: dict[str, int], *, apply: bool) -> str:
    """The report printed by the command, one line per rule."""
    verb = "changed" if apply else "would change"
    lines = ["retention " + ("(applied)" if apply else "(dry run: nothing changed)")]
    for rule in RULES:
        lines.append(f"{rule.name}: {report[rule.name]} {verb} - {rule.description}")
    return "\n".join(lines)
