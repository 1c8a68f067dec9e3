"""The contributor's side of a call: submit, edit and withdraw a contribution.

A submission is one unit: the row, its receipt number (``receipts``), its files
(checked in ``attachments``) and its receipt e-mail are written together or not at
all. ``submit_contribution`` and ``edit_contribution`` therefore commit (or roll back)
themselves: removing the files of a failed attempt and recognising a resent form both
depend on the commit's outcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.calls.models import (
    Call,
    Contribution,
    ContributionAttachment,
    ContributionStatus,
    ContributionVersion,
    ContributorKind,
)
from committees.calls.rules import (
    CallError,
    call_themes,
    clean_siren,
    ensure_open,
    format_receipt,
    is_open,
)
from committees.calls.submission.attachments import Upload, check_attachments, download_name
from committees.calls.submission.receipts import next_receipt_number, queue_receipt, writers_queue
from committees.common import filestore
from committees.common.filetypes import FileKind
from committees.common.timeutils import utcnow
from committees.extensions import db

_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass
class ContributionData:
    """What the contributor typed (files apart)."""

    organisation: str
    organisation_kind: str
    contact_name: str
    text: str
    contact_function: str = ""
    siren: str | None = None
    themes: list[str] = field(default_factory=list)
    consent_publication: bool = False
    wants_hearing: bool = False


# --- checks ---------------------------------------------------------------------------


def _clean(call: Call, data: ContributionData) -> dict[str, Any]:
    """The contribution's columns from ``data``, after the rules that forms cannot know."""
    organisation = (data.organisation or "").strip()
    if not organisation:
        raise CallError(_("Indiquez le nom de l'organisation."), field="organisation")
    if data.organisation_kind not in {kind.value for kind in ContributorKind}:
        raise CallError(
            _("Choisissez un type d'organisation dans la liste."), field="organisation_kind"
        )
    contact_name = (data.contact_name or "").strip()
    if not contact_name:
        raise CallError(_("Indiquez la personne à contacter."), field="contact_name")
    # Browsers send a textarea's line breaks as CRLF: kept as plain "\n", so that paragraphs
    # ("\n\n") and single line breaks show as typed.
    text = (data.text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise CallError(_("Rédigez le texte de la contribution."), field="text")
    offered = call_themes(call)
    unknown = [theme for theme in data.themes if theme not in offered]
    if unknown:
        raise CallError(_("Choisissez les thèmes parmi ceux de l'appel."), field="themes")
    return {
        "organisation": organisation,
        "organisation_kind": data.organisation_kind,
        "siren": clean_siren(data.siren),
        "contact_name": contact_name,
        "contact_function": (data.contact_function or "").strip(),
        "themes": [theme for theme in offered if theme in data.themes],
        "text": text,
        # Consent means nothing for a call whose contributions are never published.
        "consent_publication": bool(data.consent_publication and call.contributions_publishable),
        "wants_hearing": bool(data.wants_hearing),
    }


def ensure_can_contribute(user: User) -> None:
    """Refuse an account whose e-mail address is not confirmed yet."""
    if user.email_confirmed_at is None:
        raise CallError(
            _(
                "Confirmez d'abord votre adresse électronique : ouvrez le lien que nous vous "
                "avons envoyé par courriel, puis revenez déposer votre contribution."
            )
        )


# --- submission -----------------------------------------------------------------------


def _existing(contributor_id: int, idempotency_key: str) -> Contribution | None:
    return db.session.execute(
        select(Contribution).where(
            Contribution.contributor_id == contributor_id,
            Contribution.idempotency_key == idempotency_key,
        )
    ).scalar_one_or_none()


def _store(contribution: Contribution, checked: Iterable[tuple[Upload, FileKind]]) -> None:
    for upload, kind in checked:
        contribution.attachments.append(
            ContributionAttachment(
                sha256=filestore.store_bytes(upload.data),
                filename=download_name(upload.filename),
                content_type=kind.content_type,
                size=len(upload.data),
            )
        )


def submit_contribution(
    call: Call,
    contributor: User,
    data: ContributionData,
    files: Sequence[Upload],
    idempotency_key: str,
    now: datetime | None = None,
) -> Contribution:
    """Record a contribution with its files and queue its receipt e-mail; commits.

    The server's clock (``now``, default the current instant) decides whether the call
    is still open. A form sent again with the same ``idempotency_key`` (double click,
    reload) returns the contribution it created the first time. If anything fails, no
    row and no file remain and the error propagates (CallError for the person).
    """
    if not _IDEMPOTENCY_KEY.fullmatch(idempotency_key or ""):
        raise CallError(_("Le formulaire est incomplet : rechargez la page puis recommencez."))
    existing = _existing(contributor.id, idempotency_key)
    if existing is not None:
        return existing
    now = now or utcnow()
    ensure_can_contribute(contributor)
    ensure_open(call, now)
    fields = _clean(call, data)
    checked = check_attachments(call, files)
    try:
        with filestore.staged_files():
            contribution = Contribution(
                # The id, not the object: linking the Call would mark it changed and have
                # the search index rebuild its document on every submission.
                call_id=call.id,
                contributor=contributor,
                idempotency_key=idempotency_key,
                submitted_at=now,
                status=ContributionStatus.SUBMITTED.value,
                version=1,
                **fields,
            )
            # Files are written (and synced) before the receipt counter is raised: its lock
            # is then held only for the counter, the INSERTs, the receipt e-mail and commit.
            _store(contribution, checked)
            with writers_queue():
                number = next_receipt_number(call)
                contribution.receipt_number = number
                contribution.receipt = format_receipt(call.reference, number)
                db.session.add(contribution)
                db.session.flush()
                queue_receipt(contribution)
                db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # Two identical posts raced: the other one won, and its contribution is the answer.
        existing = _existing(contributor.id, idempotency_key)
        if existing is None:
            raise
        return existing
    except BaseException:
        db.session.rollback()
        raise
    return contribution


# --- the contributor's space ----------------------------------------------------------


def can_change(contribution: Contribution, now: datetime | None = None) -> bool:
    """Whether the contributor may still edit or withdraw: not withdrawn, call still open."""
    return contribution.status != ContributionStatus.WITHDRAWN.value and is_open(
        contribution.call, now
    )


def _ensure_changeable(contribution: Contribution, now: datetime) -> None:
    if contribution.status == ContributionStatus.WITHDRAWN.value:
        raise CallError(_("Cette contribution a été retirée : elle ne peut plus être modifiée."))
    ensure_open(contribution.call, now)


def snapshot(contribution: Contribution) -> dict[str, Any]:
    """The contribution's fields and current files, as kept in a ContributionVersion."""
    return {
        "organisation": contribution.organisation,
        "organisation_kind": contribution.organisation_kind,
        "siren": contribution.siren,
        "contact_name": contribution.contact_name,
        "contact_function": contribution.contact_function,
        "themes": list(contribution.themes or []),
        "text": contribution.text,
        "consent_publication": contribution.consent_publication,
        "wants_hearing": contribution.wants_hearing,
        "status": contribution.status,
        "attachments": [
            {
                "id": a.id,
                "filename": a.filename,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
            }
            for a in contribution.attachments
            if a.current
        ],
    }


def _new_version(contribution: Contribution, now: datetime) -> None:
    """Freeze the current state, then number the coming state one higher."""
    contribution.versions.append(
        ContributionVersion(
            number=contribution.version, snapshot=snapshot(contribution), created_at=now
        )
    )
    contribution.version += 1


def edit_contribution(
    contribution: Contribution,
    data: ContributionData,
    files: Sequence[Upload] = (),
    remove: Iterable[int] = (),
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Contribution:
    """Change a contribution before the deadline, keeping the previous version; commits.

    ``remove`` names attachments (ids) to drop: they stop being current but their
    files stay, since earlier versions name them. ``expected_version`` is the version
    the form was opened on: an edit made meanwhile in another tab is not overwritten.
    """
    now = now or utcnow()
    _ensure_changeable(contribution, now)
    if expected_version is not None and expected_version != contribution.version:
        raise CallError(
            _(
                "La contribution a été modifiée entre-temps (version %(version)d) : "
                "rechargez la page avant de recommencer.",
                version=contribution.version,
            )
        )
    fields = _clean(contribution.call, data)
    removed = set(remove)
    current = [a for a in contribution.attachments if a.current]
    kept = [a for a in current if a.id not in removed]
    checked = check_attachments(contribution.call, files, kept=len(kept))
    try:
        with filestore.staged_files():
            _new_version(contribution, now)
            for attachment in current:
                if attachment.id in removed:
                    attachment.current = False
            for key, value in fields.items():
                setattr(contribution, key, value)
            _store(contribution, checked)
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return contribution


def withdraw_contribution(contribution: Contribution, now: datetime | None = None) -> None:
    """Withdraw a contribution before the deadline (not committed).

    The receipt number stays taken: it is never given to anyone else.
    """
    now = now or utcnow()
    _ensure_changeable(contribution, now)
    _new_version(contribution, now)
    contribution.status = ContributionStatus.WITHDRAWN.value
    db.session.flush()


def contributions_of(contributor: User) -> Select:
    """The contributor's contributions, newest first, with their calls."""
    return (
        select(Contribution)
        .where(Contribution.contributor_id == contributor.id)
        .options(selectinload(Contribution.call))
        .order_by(Contribution.submitted_at.desc(), Contribution.id.desc())
    )


def own_contribution(contributor: User, contribution_id: int) -> Contribution | None:
    """The contribution if it belongs to ``contributor``; None otherwise (even if it exists)."""
    return db.session.execute(
        select(Contribution)
        .where(Contribution.id == contribution_id, Contribution.contributor_id == contributor.id)
        .options(
            selectinload(Contribution.call),
            selectinload(Contribution.attachments),
            selectinload(Contribution.versions),
        )
    ).scalar_one_or_none()


def own_attachment(
    contributor: User, contribution_id: int, attachment_id: int
) -> ContributionAttachment | None:
    """A file of one of the contributor's contributions (earlier versions' files included)."""
    return db.session.execute(
        select(ContributionAttachment)
        .join(Contribution)
        .where(
            ContributionAttachment.id == attachment_id,
            Contribution.id == contribution_id,
            Contribution.contributor_id == contributor.id,
        )
    ).scalar_one_or_none()
