"""Erasure (right to be forgotten) of someone's contact data and private content.

What the public record must keep stays: the names on a published composition or in
published minutes (the person record's names, mandates, declarations, votes). What goes:
addresses, the account's means of signing in, the contributions' private fields (and,
without consent to publication, the contributor's name, text and files), comments on
draft minutes, follows, the calendar address, the e-mails sent to them. Idempotent: a
second erasure finds nothing left and writes nothing.

Each domain registers its own steps (``committees.common.personal_data``); this module
adds the e-mails and the account (lower layers), runs the steps in order, then rewrites
the audit trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from werkzeug.security import generate_password_hash

from committees.audit.models import AuditEntry
from committees.auth.models import User, new_session_token
from committees.common import filestore
from committees.common.personal_data import (
    DataSubject,
    Erasure,
    audit_scrubs,
    erasers,
)
from committees.extensions import db
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.privacy import journal
from committees.privacy.subjects import Subject

#: name of an erased account
ERASED_ACCOUNT = "Compte effacé"
#: the order of the steps (a registered step not named here runs before the account's:
#: the follows and e-mails are found through the account's address)
STEPS = (
    "contributions",
    "minutes_comments",
    "follows",
    "calendar_subscription",
    "outbox_messages",
    "answer_tokens",
    "person_email",
    "account",
)


def erased_address(user: User) -> str:
    """The unique, undeliverable address an erased account keeps (the column is unique)."""
    return f"erased-{user.id}@invalid"


def is_erased(user: User) -> bool:
    """Whether the account was already erased."""
    return user.email == erased_address(user)


class ErasureError(ValueError):
    """An erasure that must not happen."""


def erase(subject: Subject, actor: User | None) -> Erasure:
    """Erase ``subject``'s contact data and private content (not committed).

    The caller commits, then calls ``remove_files(result.digests)``: a file leaves the
    disk only once no committed row names it. An administrator cannot erase their own
    account: that could leave nobody to manage the accounts.
    """
    if actor is not None and subject.user is not None and subject.user.id == actor.id:
        raise ErasureError(_("Vous ne pouvez pas effacer votre propre compte."))
    result = Erasure()
    steps = {**erasers(), "outbox_messages": _erase_outbox, "account": _erase_account}
    unnamed = [name for name in steps if name not in STEPS]
    for name in (*STEPS[:-1], *unnamed, STEPS[-1]):
        if name in steps:
            steps[name](subject, result)
    db.session.flush()
    _scrub_audit(subject, result)
    if result.changed:
        journal.record("erase", subject, actor, {k: v for k, v in result.counts.items() if v})
    return result


def _erase_outbox(subject: DataSubject, result: Erasure) -> None:
    # An erased account's placeholder address names nothing left to erase.
    emails = {email for email in subject.emails if not email.endswith("@invalid")}
    if not emails:
        return
    ids = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.recipient.in_(emails))
    ).all()
    if not ids:
        return
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
            sealed_secrets=None,
        )
    )
    result.counts["outbox_messages"] += len(ids)


def _erase_account(subject: DataSubject, result: Erasure) -> None:
    user = subject.user
    if user is None or is_erased(user):
        return
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
    result.counts["account"] += 1


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
    for scrub in audit_scrubs():
        result.counts["audit_entries"] += scrub(subject)


def _erased_actor(user: User) -> str:
    return f"{ERASED_ACCOUNT} n°{user.id}"


def remove_files(digests: Iterable[str]) -> int:
    """Delete from disk the erased files no committed row names any more (call after the
    commit: a rollback must find its files intact)."""
    removed = 0
    for digest in digests:
        if not filestore.digest_in_use(digest):
            filestore.path_for(digest).unlink(missing_ok=True)
            removed += 1
    return removed
