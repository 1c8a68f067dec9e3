"""Everything held about someone, as a ZIP: ``donnees.json`` and the files they sent."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import selectinload

from committees.audit.models import AuditEntry
from committees.auth.models import User
from committees.bodies.models import InterestDeclaration, Mandate
from committees.calendars.models import CalendarSubscription
from committees.calls.models import Contribution, ContributionAttachment
from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows.models import Follower
from committees.mail.models import OutboxMessage
from committees.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    MinutesComment,
    MinutesRevision,
    Recusal,
    Vote,
)
from committees.privacy import journal
from committees.privacy.subjects import Subject

#: name of the JSON document inside the archive
DOCUMENT_NAME = "donnees.json"
_UNSAFE = re.compile(r"[^\w.\- ]+")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, *keys: str) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in keys}


def _account(user: User | None) -> dict[str, Any] | None:
    # Never the password hash nor the session token: secrets, not data about the person.
    if user is None:
        return None
    return _row(
        user,
        "id",
        "email",
        "full_name",
        "role",
        "is_enabled",
        "email_confirmed_at",
        "locale",
        "last_login_at",
        "created_at",
        "updated_at",
    )


def _person(subject: Subject) -> dict[str, Any] | None:
    if subject.person is None:
        return None
    return _row(
        subject.person,
        "id",
        "civility",
        "title",
        "first_name",
        "last_name",
        "email",
        "affiliation",
        "qualification",
        "created_at",
        "updated_at",
    )


def _mandates(subject: Subject) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    rows = db.session.scalars(
        select(Mandate)
        .where(Mandate.person_id == subject.person.id)
        .options(selectinload(Mandate.committee))
        .order_by(Mandate.start_date)
    )
    return [
        {
            **_row(m, "id", "role", "voting", "start_date", "end_date", "end_reason"),
            "committee": m.committee.name_fr,
        }
        for m in rows
    ]


def _declarations(subject: Subject) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    rows = db.session.scalars(
        select(InterestDeclaration)
        .where(InterestDeclaration.person_id == subject.person.id)
        .options(selectinload(InterestDeclaration.links))
        .order_by(InterestDeclaration.declared_on)
    )
    return [
        {
            **_row(d, "id", "declared_on", "public_url"),
            "links": [
                _row(link, "organisation", "kind", "details", "started_on", "ended_on")
                for link in d.links
            ],
        }
        for d in rows
    ]


def _attendances(mandate_ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.mandate_id.in_(mandate_ids))
        .options(selectinload(Attendance.meeting))
        .order_by(Attendance.id)
    )
    return [
        {
            **_row(a, "mandate_id", "convened_at", "response", "responded_at", "presence"),
            "meeting": a.meeting.title,
            "meeting_starts_at": _plain(a.meeting.starts_at),
        }
        for a in rows
    ]


def _recusals(mandate_ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Recusal)
        .where(Recusal.mandate_id.in_(mandate_ids))
        .options(selectinload(Recusal.item).selectinload(AgendaItem.meeting))
        .order_by(Recusal.id)
    )
    return [
        {
            **_row(r, "mandate_id", "status", "reason"),
            "item": r.item.title,
            "meeting": r.item.meeting.title,
        }
        for r in rows
    ]


def _ballots(mandate_ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Ballot)
        .where(Ballot.mandate_id.in_(mandate_ids))
        .options(selectinload(Ballot.vote).selectinload(Vote.item))
        .order_by(Ballot.id)
    )
    return [{**_row(b, "mandate_id", "choice"), "item": b.vote.item.title} for b in rows]


def _contributions(user: User | None) -> list[Contribution]:
    if user is None:
        return []
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.contributor_id == user.id)
            .options(
                selectinload(Contribution.call),
                selectinload(Contribution.attachments),
                selectinload(Contribution.versions),
            )
            .order_by(Contribution.id)
        )
    )


def attachment_path(contribution: Contribution, attachment: ContributionAttachment) -> str:
    """Where an attachment's bytes sit in the archive (never a name the sender chose alone)."""
    name = _UNSAFE.sub("_", attachment.filename).strip(". ") or "fichier"
    return f"fichiers/contributions/{contribution.receipt}/{attachment.id}-{name}"


def _contribution(c: Contribution) -> dict[str, Any]:
    fields = _row(
        c,
        "id",
        "receipt",
        "organisation",
        "organisation_kind",
        "siren",
        "contact_name",
        "contact_function",
        "themes",
        "text",
        "consent_publication",
        "wants_hearing",
        "status",
        "version",
        "submitted_at",
        "published_at",
    )
    return {
        **fields,
        "call": c.call.title,
        "attachments": [
            {
                **_row(a, "filename", "content_type", "size", "sha256", "current"),
                "path": attachment_path(c, a),
            }
            for a in c.attachments
        ],
        "versions": [
            {"number": v.number, "replaced_at": _plain(v.created_at), "snapshot": v.snapshot}
            for v in c.versions
        ],
    }


def _comments(subject: Subject) -> list[dict[str, Any]]:
    conditions = []
    if subject.user is not None:
        conditions.append(MinutesComment.author_id == subject.user.id)
    if subject.mandate_ids:
        conditions.append(MinutesComment.mandate_id.in_(subject.mandate_ids))
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
            **_row(c, "minutes_id", "revision_number", "body", "created_at", "answer"),
            "item": c.item.title,
        }
        for c in rows
    ]


def _revisions(user: User | None) -> list[dict[str, Any]]:
    # Staff write the minutes: which versions they saved (the text is the committee's).
    if user is None:
        return []
    rows = db.session.scalars(
        select(MinutesRevision)
        .where(MinutesRevision.author_id == user.id)
        .order_by(MinutesRevision.id)
    )
    return [_row(r, "minutes_id", "number", "note", "created_at") for r in rows]


def _follows(subject: Subject) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Follower).where(followers_of(subject)).order_by(Follower.id))
    return [
        _row(f, "email", "scope", "frequency", "locale", "confirmed_at", "created_at") for f in rows
    ]


def followers_of(subject: Subject):
    """SQL condition: the follows made by the account or sent to one of their addresses."""
    conditions = [Follower.email.in_(subject.emails)]
    if subject.user is not None:
        conditions.append(Follower.user_id == subject.user.id)
    return or_(*conditions)


def _calendar(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    row = db.session.execute(
        select(CalendarSubscription).where(CalendarSubscription.user_id == user.id)
    ).scalar_one_or_none()
    # The address's token is a secret, not data: only when the address was made.
    return _row(row, "created_at", "updated_at") if row else None


def audit_condition(subject: Subject, contribution_ids: list[int]):
    """SQL condition: the audit entries about the person's records or made by the account."""
    entities = [("mandates", i) for i in subject.mandate_ids]
    entities += [("contributions", i) for i in contribution_ids]
    if subject.person is not None:
        entities.append(("persons", subject.person.id))
        entities += [("interest_declarations", d.id) for d in subject.person.declarations]
    if subject.user is not None:
        entities.append(("users", subject.user.id))
    conditions = []
    if entities:
        conditions.append(tuple_(AuditEntry.entity_type, AuditEntry.entity_id).in_(entities))
    if subject.user is not None:
        conditions.append(AuditEntry.actor_user_id == subject.user.id)
    return or_(*conditions) if conditions else None


def _audit(subject: Subject, contribution_ids: list[int]) -> list[dict[str, Any]]:
    condition = audit_condition(subject, contribution_ids)
    if condition is None:
        return []
    rows = db.session.scalars(select(AuditEntry).where(condition).order_by(AuditEntry.id))
    return [
        _row(e, "at", "actor_label", "action", "entity_type", "entity_id", "changes") for e in rows
    ]


def _outbox(subject: Subject) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient.in_(subject.emails))
        .order_by(OutboxMessage.id)
    )
    return [
        _row(m, "recipient", "subject", "kind", "status", "created_at", "sent_at", "body_text")
        for m in rows
    ]


def personal_data(subject: Subject) -> tuple[dict[str, Any], list[Contribution]]:
    """The JSON document of everything held about ``subject``, and their contributions."""
    contributions = _contributions(subject.user)
    mandate_ids = subject.mandate_ids
    document = {
        "generated_at": _plain(utcnow()),
        "account": _account(subject.user),
        "person": _person(subject),
        "mandates": _mandates(subject),
        "declarations_of_interests": _declarations(subject),
        "attendances": _attendances(mandate_ids),
        "recusals": _recusals(mandate_ids),
        "ballots": _ballots(mandate_ids),
        "contributions": [_contribution(c) for c in contributions],
        "minutes_comments": _comments(subject),
        "minutes_revisions": _revisions(subject.user),
        "follows": _follows(subject),
        "calendar_subscription": _calendar(subject.user),
        "audit_entries": _audit(subject, [c.id for c in contributions]),
        "outbox_messages": _outbox(subject),
    }
    return document, contributions


def export_archive(subject: Subject, actor: User | None) -> bytes:
    """The ZIP of ``subject``'s data and files; records the export in the audit trail
    (not committed: the caller commits before sending the file)."""
    document, contributions = personal_data(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, json.dumps(document, ensure_ascii=False, indent=2))
        for contribution in contributions:
            for attachment in contribution.attachments:
                try:
                    data = filestore.read_bytes(attachment.sha256)
                except filestore.FileStoreError:
                    continue  # erased from disk: the JSON still lists it
                archive.writestr(attachment_path(contribution, attachment), data)
    journal.record(
        "export", subject, actor, {"files": sum(len(c.attachments) for c in contributions)}
    )
    return buffer.getvalue()
