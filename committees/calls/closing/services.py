"""Closing a published call before its deadline.

The call keeps when and why (``closed_early_at``, ``closing_reason``): its pages say « Clos le
… (avant la date limite du …) », its synthesis « ouvert du … au <closing day> », and each
contributor with a contribution not withdrawn gets one e-mail, in their language, queued in
the transaction of the closing.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.calls.models import Call, CallStatus, Contribution, ContributionStatus
from committees.calls.rules import CallError
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email

#: the longest reason kept (it is quoted in every e-mail)
REASON_MAX = 1000


def contributions_to_tell(call: Call) -> list[Contribution]:
    """The contributions whose authors hear of the closing: one per contributor, not
    withdrawn (one query)."""
    rows = db.session.execute(
        select(Contribution)
        .where(
            Contribution.call_id == call.id,
            Contribution.status != ContributionStatus.WITHDRAWN.value,
        )
        .options(selectinload(Contribution.contributor))
        .order_by(Contribution.id)
    ).scalars()
    seen: dict[int, Contribution] = {}
    for contribution in rows:
        seen.setdefault(contribution.contributor_id, contribution)
    return list(seen.values())


def close_early(call: Call, reason: str, *, now: datetime | None = None) -> int:
    """Close a published call now, before its deadline, for ``reason``; returns how many
    contributors are told. Flushes; the caller commits (or rolls back on ``CallError``)."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if call.status != CallStatus.PUBLISHED.value:
        raise CallError(_("Seul un appel publié peut être clos."))
    if now >= call.closes_at:
        raise CallError(_("La date limite de cet appel est déjà passée : il est clos."))
    if not reason:
        raise CallError(_("Indiquez pourquoi l'appel est clos avant sa date limite."), "reason")
    call.status = CallStatus.CLOSED.value
    call.closed_early_at = now
    call.closing_reason = reason[:REASON_MAX]
    db.session.flush()
    told = contributions_to_tell(call)
    for contribution in told:
        queue_email(
            contribution.contributor.email,
            lambda: _("L'appel « %(title)s » est clos avant sa date limite", title=call.title),
            "calls/closed_early",
            locale=contribution.contributor.locale,
            kind="calls_closed_early",
            contribution=contribution,
            call=call,
            follow_url=public_url("contributions.detail", contribution_id=contribution.id),
        )
    return len(told)
