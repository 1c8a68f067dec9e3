"""The secretariat's review of contributions: the filtered list, eligible or off-topic,
selection for a hearing on the call's session, publication on the public site.

Functions change the session and flush; the caller commits, or rolls back on
``CallError``. Whether the public then sees a contribution is ``calls.visibility``'s rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Row, Select, Text, cast, func, select
from sqlalchemy.orm import selectinload

from committees.calls.administration.notices import notify_contributor
from committees.calls.models import (
    Call,
    Contribution,
    ContributionAttachment,
    ContributionStatus,
    ContributorKind,
)
from committees.calls.rules import CallError
from committees.common.search import LIKE_ESCAPE, contains_pattern
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.agenda.hearings import add_hearing
from committees.meetings.agenda.services import add_item
from committees.meetings.models import (
    AgendaItem,
    Hearing,
    HearingMode,
    HearingStatus,
    ItemKind,
    ItemOrganisation,
    Meeting,
    OrganisationKind,
)
from committees.meetings.scheduling.services import MeetingError

#: how a contributor's kind reads on a session's agenda
HEARING_KINDS = {
    ContributorKind.FARMER: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.RAW_MATERIAL_PRODUCER: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.PHARMACEUTICAL_ESTABLISHMENT: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.ECONOMIC_OPERATOR: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.PATIENT_ASSOCIATION: OrganisationKind.PATIENT_ASSOCIATION,
    ContributorKind.LEARNED_SOCIETY: OrganisationKind.LEARNED_SOCIETY,
    ContributorKind.INSTITUTION: OrganisationKind.INSTITUTION,
    ContributorKind.OTHER: OrganisationKind.INSTITUTION,
}


# --- review ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionFilter:
    """What the secretariat's list of contributions is narrowed to."""

    status: str | None = None
    kind: str | None = None
    wants_hearing: bool | None = None
    theme: str | None = None
    q: str = ""


def contributions_query(call: Call, criteria: ContributionFilter) -> Select:
    """The contributions of ``call`` matching ``criteria``, by receipt number, as rows of
    what the review list shows (not their text, contacts or versions), each with
    ``files``, its number of current attachments, counted in SQL."""
    files = (
        select(func.count(ContributionAttachment.id))
        .where(
            ContributionAttachment.contribution_id == Contribution.id,
            ContributionAttachment.current.is_(True),
        )
        .correlate(Contribution)
        .scalar_subquery()
    )
    query = select(
        Contribution.id,
        Contribution.receipt,
        Contribution.organisation,
        Contribution.organisation_kind,
        Contribution.submitted_at,
        Contribution.themes,
        Contribution.wants_hearing,
        Contribution.status,
        Contribution.published_at,
        files.label("files"),
    ).where(Contribution.call_id == call.id)
    if criteria.status in {s.value for s in ContributionStatus}:
        query = query.where(Contribution.status == criteria.status)
    if criteria.kind in {k.value for k in ContributorKind}:
        query = query.where(Contribution.organisation_kind == criteria.kind)
    if criteria.wants_hearing is not None:
        query = query.where(Contribution.wants_hearing.is_(criteria.wants_hearing))
    if criteria.theme:
        # Themes are a JSON list: its stored text holds the theme exactly as json.dumps
        # writes it (the serializer SQLAlchemy uses), quotes included, on both engines.
        needle = contains_pattern(json.dumps(criteria.theme))
        query = query.where(cast(Contribution.themes, Text).like(needle, escape=LIKE_ESCAPE))
    if criteria.q:
        query = query.where(
            Contribution.organisation.ilike(contains_pattern(criteria.q), escape="\\")
        )
    return query.order_by(Contribution.receipt_number)


class RowsPagination(SelectPagination):
    """A page of plain rows (``contributions_query``), counted without their columns."""

    def _query_items(self) -> list[Row]:
        select_ = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select_))

    def _query_count(self) -> int:
        select_ = self._query_args["select"].with_only_columns(func.count()).order_by(None)
        return self._query_args["session"].execute(select_).scalar_one()


def contributions_page(
    call: Call, criteria: ContributionFilter, *, page: int, per_page: int
) -> RowsPagination:
    """One page of the review list (two queries: the page's rows, then their count)."""
    return RowsPagination(
        select=contributions_query(call, criteria),
        session=db.session,
        page=page,
        per_page=per_page,
        error_out=False,
    )


def contribution_of(call: Call, contribution_id: int) -> Contribution | None:
    """One contribution of ``call`` with everything its page shows, or None."""
    return db.session.execute(
        select(Contribution)
        .where(Contribution.call_id == call.id, Contribution.id == contribution_id)
        .options(
            selectinload(Contribution.attachments),
            selectinload(Contribution.versions),
            selectinload(Contribution.contributor),
            selectinload(Contribution.hearing),
        )
    ).scalar_one_or_none()


def attachment_of(contribution: Contribution, attachment_id: int) -> ContributionAttachment | None:
    """One attachment of ``contribution`` (current or from an earlier version), or None."""
    return next((a for a in contribution.attachments if a.id == attachment_id), None)


def _check_reviewable(contribution: Contribution) -> None:
    if contribution.status == ContributionStatus.WITHDRAWN:
        raise CallError(_("Cette contribution a été retirée par son auteur."))
    if contribution.hearing_id is not None:
        raise CallError(
            _(
                "Cette contribution est retenue pour une audition : retirez d'abord l'audition "
                "de l'ordre du jour de la séance."
            )
        )


def mark_eligible(contribution: Contribution, note: str = "") -> None:
    """Mark a contribution eligible (recevable), with an optional note."""
    _check_reviewable(contribution)
    changed = contribution.status != ContributionStatus.ELIGIBLE
    contribution.status = ContributionStatus.ELIGIBLE.value
    contribution.review_note = " ".join((note or "").split())[:500]
    db.session.flush()
    if changed:
        notify_contributor(contribution, "eligible")


def mark_off_topic(contribution: Contribution, reason: str) -> None:
    """Set a contribution aside as off-topic; the reason is required."""
    _check_reviewable(contribution)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CallError(_("Indiquez pourquoi la contribution est hors sujet."), "reason")
    changed = contribution.status != ContributionStatus.OFF_TOPIC
    contribution.status = ContributionStatus.OFF_TOPIC.value
    contribution.review_note = reason[:500]
    db.session.flush()
    if changed:
        notify_contributor(contribution, "off_topic")


def _hearing_item(meeting: Meeting, call: Call) -> AgendaItem:
    """The session's hearing item, created at the end of the agenda when there is none."""
    item = next((i for i in meeting.items if i.kind == ItemKind.HEARING), None)
    if item is not None:
        return item
    return add_item(
        meeting,
        title=_("Auditions à la suite de l'appel %(reference)s", reference=call.reference),
        kind=ItemKind.HEARING.value,
        description=call.hearing_offer,
    )


def select_for_hearing(contribution: Contribution) -> Hearing:
    """Select a contribution's authors to be heard: the hearing is added to the hearing
    item of the call's session (created if missing), invited, by videoconference.

    The contact person is not copied onto the agenda (which the public may read): the
    secretariat enters the representatives once the organisation has named them.
    """
    if contribution.hearing is not None:
        return contribution.hearing
    if contribution.status in (ContributionStatus.WITHDRAWN, ContributionStatus.OFF_TOPIC):
        raise CallError(
            _("Une contribution retirée ou hors sujet ne peut pas être retenue pour une audition.")
        )
    meeting = contribution.call.meeting
    if meeting is None:
        raise CallError(
            _(
                "Cet appel n'est rattaché à aucune séance : choisissez la séance des auditions "
                "dans les paramètres de l'appel avant de retenir des contributeurs."
            )
        )
    try:
        item = _hearing_item(meeting, contribution.call)
        hearing = add_hearing(
            item,
            organisation=contribution.organisation,
            organisation_kind=HEARING_KINDS[ContributorKind(contribution.organisation_kind)].value,
            mode=HearingMode.VIDEOCONFERENCE.value,
            status=HearingStatus.INVITED.value,
        )
    except MeetingError as error:
        raise CallError(str(error)) from error
    # Declared interests are matched against the item's organisations (recusals).
    names = {o.name.casefold() for o in item.organisations}
    if contribution.organisation.casefold() not in names:
        item.organisations.append(ItemOrganisation(name=contribution.organisation[:300]))
    contribution.hearing = hearing
    contribution.status = ContributionStatus.SELECTED.value
    db.session.flush()
    notify_contributor(contribution, "selected", hearing)
    return hearing


# --- publication ---------------------------------------------------------------------


def publish_contribution(contribution: Contribution, now: datetime | None = None) -> None:
    """Publish a contribution: only if the call allows it and its authors consented."""
    if not contribution.call.contributions_publishable:
        raise CallError(_("Cet appel ne prévoit pas la publication des contributions."))
    if not contribution.consent_publication:
        raise CallError(_("Les auteurs de cette contribution n'ont pas consenti à sa publication."))
    if contribution.status == ContributionStatus.WITHDRAWN:
        raise CallError(_("Cette contribution a été retirée par son auteur."))
    contribution.published_at = contribution.published_at or now or utcnow()
    db.session.flush()


def unpublish_contribution(contribution: Contribution) -> None:
    """Withdraw a contribution from the public site."""
    contribution.published_at = None
    db.session.flush()
