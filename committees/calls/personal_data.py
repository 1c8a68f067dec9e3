"""What the calls domain holds about a person (registered from its ``init_app``): the
contributions they sent, with their versions and files.

Erasure always removes a contribution's private fields; without consent to publication it
also removes the contributor's name, text and files (the published ones stay as
consented).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.audit.services import scrub_audit
from committees.calls.models import Contribution, ContributionAttachment
from committees.common import personal_data
from committees.common.personal_data import (
    ANONYMISED_CONTRIBUTOR,
    ERASED,
    DataSubject,
    Erasure,
    Found,
    plain,
    row_of,
)
from committees.extensions import db

#: the fields of a contribution that are always private (never published)
PRIVATE_FIELDS = ("contact_function",)
#: and those that go too when the contributor did not consent to publication
UNCONSENTED_FIELDS = ("organisation", "siren", "contact_name", "contact_function", "text")
#: what each erased field becomes
_ERASED_VALUES = {
    "organisation": ANONYMISED_CONTRIBUTOR,
    "siren": None,
    "contact_name": ANONYMISED_CONTRIBUTOR,
    "contact_function": "",
    "text": ERASED,
}
_UNSAFE = re.compile(r"[^\w.\- ]+")


def attachment_path(contribution: Contribution, attachment: ContributionAttachment) -> str:
    """Where an attachment's bytes sit in the archive (never a name the sender chose alone)."""
    name = _UNSAFE.sub("_", attachment.filename).strip(". ") or "fichier"
    return f"fichiers/contributions/{contribution.receipt}/{attachment.id}-{name}"


def _contribution(c: Contribution) -> dict[str, Any]:
    fields = row_of(
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
                **row_of(a, "filename", "content_type", "size", "sha256", "current"),
                "path": attachment_path(c, a),
            }
            for a in c.attachments
        ],
        "versions": [
            {"number": v.number, "replaced_at": plain(v.created_at), "snapshot": v.snapshot}
            for v in c.versions
        ],
    }


def _contributions(subject: DataSubject, found: Found) -> list[dict[str, Any]]:
    """The contributions, their files in the archive, their audit entries in the export."""
    if subject.user is None:
        return []
    contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.contributor_id == subject.user.id)
        .options(
            selectinload(Contribution.call),
            selectinload(Contribution.attachments),
            selectinload(Contribution.versions),
        )
        .order_by(Contribution.id)
    ).all()
    for contribution in contributions:
        found.audited.append(("contributions", contribution.id))
        found.files += [
            (attachment_path(contribution, a), a.sha256) for a in contribution.attachments
        ]
    return [_contribution(c) for c in contributions]


def _erase_contributions(subject: DataSubject, erasure: Erasure) -> None:
    """Count the contributions changed and their files (without consent), left to delete
    after the commit."""
    if subject.user is None:
        return
    contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.contributor_id == subject.user.id)
        .options(selectinload(Contribution.attachments), selectinload(Contribution.versions))
    ).all()
    for contribution in contributions:
        if _erase_one(contribution, erasure):
            erasure.counts["contributions"] += 1


def _erase_one(contribution: Contribution, erasure: Erasure) -> bool:
    consented = contribution.consent_publication
    keys = PRIVATE_FIELDS if consented else UNCONSENTED_FIELDS
    changed = False
    for key in keys:
        if getattr(contribution, key) != _ERASED_VALUES[key]:
            setattr(contribution, key, _ERASED_VALUES[key])
            changed = True
    if not consented and contribution.attachments:
        erasure.digests.update(a.sha256 for a in contribution.attachments)
        erasure.counts["files"] += len(contribution.attachments)
        contribution.attachments.clear()
        changed = True
    for version in contribution.versions:
        snapshot = {**version.snapshot, **{key: _ERASED_VALUES[key] for key in keys}}
        if not consented:
            snapshot["attachments"] = []
        if snapshot != version.snapshot:
            version.snapshot = snapshot
            changed = True
    return changed


def _scrub_contributions(subject: DataSubject) -> int:
    # The audit trail keeps who changed a contribution, not the erased values.
    if subject.user is None:
        return 0
    ids = list(
        db.session.scalars(
            select(Contribution.id).where(Contribution.contributor_id == subject.user.id)
        )
    )
    return scrub_audit("contributions", ids, set(UNCONSENTED_FIELDS))


def register() -> None:
    """Declare the contributions to the privacy operations."""
    personal_data.register_section("contributions", _contributions)
    personal_data.register_eraser("contributions", _erase_contributions)
    personal_data.register_audit_scrub("contributions", _scrub_contributions)
