"""Withdrawing a contribution, and undoing it until the call's deadline; each tells the
contributor by e-mail. Functions flush and queue in the caller's transaction (not committed).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from committees.calls.models import Contribution, ContributionStatus
from committees.calls.rules import CallError, ensure_open, is_open
from committees.calls.submission.services import _new_version, withdraw_contribution
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email


def can_restore(contribution: Contribution, now: datetime | None = None) -> bool:
    """Whether a withdrawal can still be undone: withdrawn, and the call still open."""
    return contribution.status == ContributionStatus.WITHDRAWN.value and is_open(
        contribution.call, now
    )


def withdraw_and_notify(contribution: Contribution, now: datetime | None = None) -> None:
    """Withdraw the contribution and e-mail its author (undo possible until the deadline)."""
    withdraw_contribution(contribution, now)
    _notify(contribution, "calls/withdrawn", "calls_withdrawn")


def restore_contribution(contribution: Contribution, now: datetime | None = None) -> None:
    """Undo a withdrawal before the deadline: the contribution gets back the status it had
    (a new version records the change), and its author is told by e-mail."""
    now = now or utcnow()
    if contribution.status != ContributionStatus.WITHDRAWN.value:
        raise CallError(_("Cette contribution n'est pas retirée."))
    ensure_open(contribution.call, now)
    before = contribution.versions[-1].snapshot.get("status") if contribution.versions else None
    if before in (None, ContributionStatus.WITHDRAWN.value) or (
        before == ContributionStatus.SELECTED.value and contribution.hearing_id is None
    ):
        before = ContributionStatus.SUBMITTED.value
    _new_version(contribution, now)
    contribution.status = before
    db.session.flush()
    _notify(contribution, "calls/restored", "calls_restored")


def _notify(contribution: Contribution, template: str, kind: str) -> None:
    contributor = contribution.contributor
    subjects = {
        "calls/withdrawn": lambda: _(
            "Votre contribution %(receipt)s est retirée", receipt=contribution.receipt
        ),
        "calls/restored": lambda: _(
            "Le retrait de votre contribution %(receipt)s est annulé",
            receipt=contribution.receipt,
        ),
    }
    queue_email(
        contributor.email,
        subjects[template],
        template,
        locale=contributor.locale,
        kind=kind,
        contribution=contribution,
        call=contribution.call,
        follow_url=public_url("contributions.detail", contribution_id=contribution.id),
    )
