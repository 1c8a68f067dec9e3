"""What the public may see of calls and contributions, decided here and nowhere else.

A call is public once published (never a draft). A contribution is public when its call
is public and allows publication, its authors consented, the secretariat published it and
it was not withdrawn: ``restrict_to_visible`` says it for queries, ``is_publicly_visible``
for one row. The public reads contributions as ``PublicContribution``, never the rows:
the contact person, the account and the secretariat's notes stay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import selectinload

from committees.calls.models import (
    Call,
    CallStatus,
    Contribution,
    ContributionAttachment,
    ContributionStatus,
)
from committees.calls.rules import PUBLIC_STATUSES, is_public
from committees.common.timeutils import utcnow
from committees.extensions import db

# --- calls ----------------------------------------------------------------------------


def public_calls_query(now: datetime | None = None) -> Select:
    """Published and closed calls: those still to close first (soonest deadline first),
    then past ones (latest first), with their committees."""
    now = now or utcnow()
    still_open = and_(Call.status == CallStatus.PUBLISHED.value, Call.closes_at > now)
    return (
        select(Call)
        .where(Call.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Call.committee))
        .order_by(
            case((still_open, 0), else_=1),
            case((still_open, Call.closes_at), else_=None).asc(),
            Call.closes_at.desc(),
            Call.id.desc(),
        )
    )


def public_call(call_id: int) -> Call | None:
    """The call if the public may see it (never a draft), else None."""
    call = db.session.execute(
        select(Call).where(Call.id == call_id).options(selectinload(Call.committee))
    ).scalar_one_or_none()
    return call if call is not None and is_public(call) else None


# --- contributions --------------------------------------------------------------------


@dataclass(frozen=True)
class PublicAttachment:
    """What the public sees of an attachment."""

    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class PublicContribution:
    """What the public sees of a contribution: never the contact person, their function,
    the contributor's account or the secretariat's notes."""

    id: int
    receipt: str
    organisation: str
    organisation_kind: str
    themes: tuple[str, ...]
    text: str
    published_at: datetime
    attachments: tuple[PublicAttachment, ...]


def is_publicly_visible(contribution: Contribution) -> bool:
    """Whether the public may read ``contribution`` (the rule of ``restrict_to_visible``,
    for one row)."""
    call = contribution.call
    return (
        is_public(call)
        and call.contributions_publishable
        and contribution.consent_publication
        and contribution.published_at is not None
        and contribution.status != ContributionStatus.WITHDRAWN
    )


def restrict_to_visible(query: Select) -> Select:
    """``query`` on contributions narrowed to those the public may read."""
    return query.join(Call, Call.id == Contribution.call_id).where(
        Call.status.in_(PUBLIC_STATUSES),
        Call.contributions_publishable.is_(True),
        Contribution.consent_publication.is_(True),
        Contribution.published_at.is_not(None),
        Contribution.status != ContributionStatus.WITHDRAWN.value,
    )


def _visible_contributions(call: Call) -> Select:
    return (
        restrict_to_visible(select(Contribution))
        .where(Contribution.call_id == call.id)
        .options(selectinload(Contribution.attachments))
        .order_by(Contribution.receipt_number, Contribution.id)
    )


def _public_view(contribution: Contribution) -> PublicContribution:
    return PublicContribution(
        id=contribution.id,
        receipt=contribution.receipt,
        organisation=contribution.organisation,
        organisation_kind=contribution.organisation_kind,
        themes=tuple(contribution.themes or ()),
        text=contribution.text,
        published_at=contribution.published_at,
        attachments=tuple(
            PublicAttachment(a.id, a.filename, a.content_type, a.size)
            for a in contribution.attachments
            if a.current
        ),
    )


def publicly_visible_contributions(call: Call) -> list[PublicContribution]:
    """The published contributions of ``call`` as the public may read them, by receipt
    number, current attachments included; two queries whatever their number."""
    rows = db.session.execute(_visible_contributions(call)).scalars()
    return [_public_view(c) for c in rows]


def publicly_visible_page(call: Call, page: int, per_page: int) -> Pagination:
    """One page of ``publicly_visible_contributions(call)``: same rule, same order, its
    items are ``PublicContribution``; three queries (count, page, attachments)."""
    pagination = db.paginate(
        _visible_contributions(call), page=page, per_page=per_page, error_out=False
    )
    pagination.items = [_public_view(c) for c in pagination.items]
    return pagination


def public_attachment(
    call: Call, contribution_id: int, attachment_id: int
) -> ContributionAttachment | None:
    """A current attachment of a publicly visible contribution of ``call``, or None."""
    return db.session.execute(
        restrict_to_visible(select(ContributionAttachment).join(Contribution)).where(
            Contribution.call_id == call.id,
            Contribution.id == contribution_id,
            ContributionAttachment.id == attachment_id,
            ContributionAttachment.current.is_(True),
        )
    ).scalar_one_or_none()
