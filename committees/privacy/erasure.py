"""Erasure (right to be forgotten) of someone's contact data and private content.

What the public record must keep stays: the names on a published composition or in
published minutes (the person record's names, mandates, declarations, votes). What goes:
addresses, the account's means of signing in, the contributions' private fields (and,
without consent to publication, the contributor's name, text and files), comments on
draft minutes, follows, the calendar address, the e-mails sent to them. Idempotent: a
second erasure finds nothing left and writes nothing.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from committees.audit.models import AuditEntry
from committees.auth.models import User, new_session_token
from committees.calendars.models import CalendarSubscription
from committees.calls.models import Contribution
from committees.common import filestore
from committees.extensions import db
from committees.follows.models import Follower
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.meetings.models import Attendance, MinutesComment
from committees.privacy import journal
from committees.privacy.export import followers_of
from committees.privacy.subjects import Subject

#: the contributor's name where they did not consent to publication
ANONYMISED_CONTRIBUTOR = "Contributeur anonymisé"
#: what stays of an erased text
ERASED = "[effacé]"
#: name of an erased account
ERASED_ACCOUNT = "Compte effacé"
#: the fields of a contribution that are always private (never published)
PRIVATE_FIELDS = ("contact_function",)
#: and those that go too when the contributor did not consent to publication
UNCONSENTED_FIELDS = ("organisation", "siren", "contact_name", "contact_function", "text")


def erased_address(user: User) -> str:
    """The unique, undeliverable address an erased account keeps (the column is unique)."""
    return f"erased-{user.id}@invalid"


def is_erased(user: User) -> bool:
    """Whether the account was already erased."""
    return user.email == erased_address(user)


class ErasureError(ValueError):
    """An erasure that must not happen."""


@dataclass
class Erasure:
    """What an erasure changed, and the stored files to delete once it is committed."""

    counts: Counter = field(default_factory=Counter)
    digests: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def erase(subject: Subject, actor: User | None) -> Erasure:
    """Erase ``subject``'s contact data and private content (not committed).

    The caller commits, then calls ``remove_files(result.digests)``: a file leaves the
    disk only once no committed row names it. An administrator cannot erase their own
    account: that could leave nobody to manage the accounts.
    """
    if actor is not None and subject.user is not None and subject.user.id == actor.id:
        raise ErasureError(_("Vous ne pouvez pas effacer votre propre compte."))
    result = Erasure()
    # An erased account's placeholder address names nothing left to erase.
    emails = {email for email in subject.emails if not email.endswith("@invalid")}
    if subject.user is not None:
        _erase_contributions(subject.user, result)
    _erase_comments(subject, result)
    result.counts["follows"] += _delete(Follower, followers_of(subject))
    if subject.user is not None:
        condition = CalendarSubscription.user_id == subject.user.id
        result.counts["calendar_subscription"] += _delete(CalendarSubscription, condition)
    result.counts["outbox_messages"] += _erase_outbox(emails, subject)
    if subject.mandate_ids:
        result.counts["answer_tokens"] += db.session.execute(
            update(Attendance)
            .where(
                Attendance.mandate_id.in_(subject.mandate_ids),
                Attendance.response_token_hash.is_not(None),
            )
            .values(response_token_hash=None)
        ).rowcount
    if subject.person is not None and subject.person.email is not None:
        subject.person.email = None
        result.counts["person_email"] += 1
    if subject.user is not None and not is_erased(subject.user):
        _erase_account(subject.user)
        result.counts["account"] += 1
    db.session.flush()
    _scrub_audit(subject, result)
    if result.changed:
        journal.record("erase", subject, actor, {k: v for k, v in result.counts.items() if v})
    return result


def _delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition)).rowcount


def _erase_contributions(user: User, result: Erasure) -> None:
    contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.contributor_id == user.id)
        .options(selectinload(Contribution.attachments), selectinload(Contribution.versions))
    ).all()
    for contribution in contributions:
        if _erase_contribution(contribution, result):
            result.counts["contributions"] += 1


def _erase_contribution(contribution: Contribution, result: Erasure) -> bool:
    consented = contribution.consent_publication
    targets = {
        "organisation": ANONYMISED_CONTRIBUTOR,
        "siren": None,
        "contact_name": ANONYMISED_CONTRIBUTOR,
        "contact_function": "",
        "text": ERASED,
    }
    keys = PRIVATE_FIELDS if consented else UNCONSENTED_FIELDS
    changed = False
    for key in keys:
        if getattr(contribution, key) != targets[key]:
            setattr(contribution, key, targets[key])
            changed = True
    if not consented and contribution.attachments:
        result.digests.update(a.sha256 for a in contribution.attachments)
        result.counts["files"] += len(contribution.attachments)
        contribution.attachments.clear()
        changed = True
    for version in contribution.versions:
        snapshot = {**version.snapshot, **{key: targets[key] for key in keys}}
        if not consented:
            snapshot["attachments"] = []
        if snapshot != version.snapshot:
            version.snapshot = snapshot
            changed = True
    return changed


def _erase_comments(subject: Subject, result: Erasure) -> None:
    conditions = []
    if subject.user is not None:
        conditions.append(MinutesComment.author_id == subject.user.id)
    if subject.mandate_ids:
        conditions.append(MinutesComment.mandate_id.in_(subject.mandate_ids))
    if conditions:
        result.counts["minutes_comments"] += db.session.execute(
            update(MinutesComment)
            .where(or_(*conditions), MinutesComment.body != ERASED)
            .values(body=ERASED)
        ).rowcount


def _erase_outbox(emails: set[str], subject: Subject) -> int:
    if not emails:
        return 0
    ids = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.recipient.in_(emails))
    ).all()
    if not ids:
        return 0
    placeholder = erased_address(subject.user) if subject.user else "erased@invalid"
    db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(
            recipient=placeholder,
            body_text="",
            body_html=None,
            last_error=None,
            unsubscribe_url=None,
        )
    )
    return len(ids)


def _erase_account(user: User) -> None:
    user.email = erased_address(user)
    user.full_name = ERASED_ACCOUNT
    # A password nobody knows, a new session token: every session and reset link dies.
    user.password_hash = generate_password_hash(
        secrets.token_urlsafe(32), method=current_app.config["PASSWORD_HASH_METHOD"]
    )
    user.session_token = new_session_token()
    user.is_enabled = False
    user.email_confirmed_at = None
    user.last_login_at = None
    user.locale = None


def _scrub_audit(subject: Subject, result: Erasure) -> None:
    """The audit trail keeps who changed what, not the erased values themselves."""
    if subject.user is not None:
        result.counts["audit_entries"] += db.session.execute(
            update(AuditEntry)
            .where(
                AuditEntry.actor_user_id == subject.user.id,
                AuditEntry.actor_label != _erased_actor(subject.user),
            )
            .values(actor_label=_erased_actor(subject.user))
            .execution_options(synchronize_session=False)
        ).rowcount
    if subject.person is not None:
        result.counts["audit_entries"] += scrub_audit("persons", [subject.person.id], {"email"})
    keys = set(UNCONSENTED_FIELDS)
    result.counts["audit_entries"] += scrub_audit("contributions", _contribution_ids(subject), keys)


def _erased_actor(user: User) -> str:
    return f"{ERASED_ACCOUNT} n°{user.id}"


_HARMLESS = (None, "", ERASED, ANONYMISED_CONTRIBUTOR)


def scrub_audit(entity_type: str, ids: list[int], keys: set[str]) -> int:
    """Replace by ERASED the values of ``keys`` in the audit entries of these rows (flushed
    first, so that the change being made is scrubbed too); the number of entries changed."""
    if not ids:
        return 0
    db.session.flush()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(ids)
        )
    ).all()
    changed = 0
    for entry in entries:
        scrubbed = {
            key: [v if v in _HARMLESS else ERASED for v in values]
            if key in keys and isinstance(values, list)
            else values
            for key, values in entry.changes.items()
        }
        if scrubbed != entry.changes:
            entry.changes = scrubbed
            changed += 1
    return changed


def _contribution_ids(subject: Subject) -> list[int]:
    if subject.user is None:
        return []
    return list(
        db.session.scalars(
            select(Contribution.id).where(Contribution.contributor_id == subject.user.id)
        )
    )


def remove_files(digests: Iterable[str]) -> int:
    """Delete from disk the erased files no committed row names any more (call after the
    commit: a rollback must find its files intact)."""
    from committees.models import digest_in_use

    removed = 0
    for digest in digests:
        if not digest_in_use(digest):
            filestore.path_for(digest).unlink(missing_ok=True)
            removed += 1
    return removed
