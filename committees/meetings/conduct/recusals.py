"""Recusals that hold: what a member may read on an item, and the secretariat's decisions.

A member recused on an item (confirmed déport), or flagged on it by a declared link that
the secretariat has not cleared yet, gets none of that item's members-only documents.
``item_barrings`` is the one rule; every reader goes through it: the member's session
page (``documents_visible_to``), the download door (``agenda.services.can_see_document``
via ``may_read_item_documents``) and any pack or export built for a member.

Functions add to the session and flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Mandate
from committees.bodies.rules import language_of
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email
from committees.meetings.conduct.services import (
    conflict_flags,
    decide_recusal,
    latest_links,
    link_reasons,
)
from committees.meetings.models import (
    AgendaDocument,
    AgendaItem,
    Meeting,
    Recusal,
    RecusalStatus,
)
from committees.meetings.queries import member_mandate
from committees.meetings.scheduling.services import MeetingError, meeting_day


@dataclass(frozen=True)
class Barring:
    """Why a member may not read an item's members-only documents."""

    #: True: recusal confirmed by the secretariat; False: a flag awaiting its decision
    recused: bool
    #: the recorded reason, or the declared links that raise the flag
    reason: str


def item_barrings(meeting: Meeting, mandate: Mandate) -> dict[int, Barring]:
    """Per item id of ``meeting``: why ``mandate`` may not read its members-only documents.

    Confirmed recusals, and items a relevant declared link flags without a decision yet;
    a cleared flag bars nothing (three queries).
    """
    return barrings_for([(meeting, mandate)])[(meeting.id, mandate.id)]


def barrings_for(
    pairs: Iterable[tuple[Meeting, Mandate]],
) -> dict[tuple[int, int], dict[int, Barring]]:
    """``item_barrings`` of many (session, mandate) pairs at once, keyed by (session id,
    mandate id): for lists, reminders and packs (two queries, plus one per session)."""
    pairs = list(pairs)
    meetings = {meeting.id: meeting for meeting, _mandate in pairs}
    items = (
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id.in_(meetings))
            .options(selectinload(AgendaItem.organisations))
        )
        .scalars()
        .all()
    )
    decisions = {
        (r.item_id, r.mandate_id): r
        for r in db.session.execute(
            select(Recusal).where(
                Recusal.mandate_id.in_({mandate.id for _meeting, mandate in pairs}),
                Recusal.item_id.in_([item.id for item in items]),
            )
        ).scalars()
    }
    links = {
        meeting_id: latest_links(
            [m.person_id for mt, m in pairs if mt.id == meeting_id], meeting_day(meeting)
        )
        for meeting_id, meeting in meetings.items()
    }
    result: dict[tuple[int, int], dict[int, Barring]] = {}
    for meeting, mandate in pairs:
        person_links = links[meeting.id].get(mandate.person_id, [])
        barred = result.setdefault((meeting.id, mandate.id), {})
        for item in (i for i in items if i.meeting_id == meeting.id):
            decision = decisions.get((item.id, mandate.id))
            if decision is not None:
                if decision.status == RecusalStatus.CONFIRMED:
                    barred[item.id] = Barring(True, decision.reason)
                continue
            reasons = link_reasons(person_links, item)
            if reasons:
                barred[item.id] = Barring(False, "; ".join(reasons))
    return result


@dataclass(frozen=True)
class MemberAccess:
    """What one member may read of one session's agenda documents."""

    mandate: Mandate
    barrings: dict[int, Barring]

    def may_read(self, item: AgendaItem) -> bool:
        """Whether the item's members-only documents are open to this member."""
        return item.id not in self.barrings

    def documents(self, item: AgendaItem) -> list[AgendaDocument]:
        """The item's documents this member may download (public ones always)."""
        if self.may_read(item):
            return list(item.documents)
        return [d for d in item.documents if not d.members_only]


def member_access(meeting: Meeting, user) -> MemberAccess | None:
    """The member's access to ``meeting``'s documents; None if the session is not theirs."""
    mandate = member_mandate(meeting, user)
    if mandate is None:
        return None
    return MemberAccess(mandate, item_barrings(meeting, mandate))


def may_read_item_documents(user, item: AgendaItem) -> bool:
    """Whether ``user``, a member of the session's committee, may read ``item``'s
    members-only documents (not recused, no uncleared flag on it)."""
    access = member_access(item.meeting, user)
    return access is not None and access.may_read(item)


def documents_visible_to(user, meeting: Meeting) -> dict[int, list[AgendaDocument]]:
    """Per item id, the documents ``user`` may download as a member (empty if the session
    is not theirs): what the session page lists and what any pack or export may hold."""
    access = member_access(meeting, user)
    if access is None:
        return {}
    return {item.id: access.documents(item) for item in meeting.items}


# --- the secretariat's decisions --------------------------------------------------------


@dataclass(frozen=True)
class FlagDecision:
    """One row of the conflicts form: the decision chosen (None: not yet) and its reason."""

    item_id: int
    mandate_id: int
    status: RecusalStatus | None
    reason: str


def record_decisions(
    meeting: Meeting, decisions: Iterable[FlagDecision], decided_by=None
) -> list[Recusal]:
    """Record every decision of the conflicts form at once; return those that changed.

    A row without a decision is left as it is, as is a row identical to the recorded
    decision. A row naming a member not flagged on the item is refused (nothing is
    recorded: the caller rolls back). A newly confirmed recusal tells the member by e-mail.
    """
    flags = conflict_flags(meeting)
    offered = {(item_id, f.mandate.id): f for item_id, fs in flags.items() for f in fs}
    items = {item.id: item for item in meeting.items}
    changed = []
    for row in decisions:
        flag = offered.get((row.item_id, row.mandate_id))
        if flag is None:
            raise MeetingError(_("Ce membre n'est pas signalé sur ce point."))
        if row.status is None:
            continue
        before = flag.decision
        if before is not None and (before.status, before.reason) == (row.status, row.reason):
            continue
        was_recused = flag.is_recused
        recusal = decide_recusal(
            items[row.item_id], flag.mandate, row.status, row.reason, decided_by
        )
        changed.append(recusal)
        if recusal.status == RecusalStatus.CONFIRMED and not was_recused:
            notify_recusal(recusal)
    return changed


def notify_recusal(recusal: Recusal) -> None:
    """Tell the member, in their language, that a recusal was recorded for them."""
    person = recusal.mandate.person
    if not person.email:
        return
    item = recusal.item
    meeting = item.meeting
    queue_email(
        person.email,
        _l("Déport enregistré : %(title)s", title=meeting.title),
        "meetings/recusal",
        locale=language_of(person),
        kind="meeting_recusal",
        person=person,
        meeting=meeting,
        item=item,
        reason=recusal.reason,
        my_meeting_url=public_url("member_meetings.detail", meeting_id=meeting.id),
    )
