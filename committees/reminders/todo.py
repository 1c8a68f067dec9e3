"""The dashboard's « À faire » panel: what waits for a member, each item naming its committee.

Draft minutes to comment (with their deadline), a declaration of interests to renew, the
documents added to their sessions since their last visit. (Convocations to answer have
their own panel, with the answer buttons.) A bounded number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from committees.auth.models import User
from committees.auth.permissions import Permission
from committees.bodies.models import Mandate
from committees.bodies.persons.declarations import declaration_status
from committees.bodies.persons.services import person_for_user
from committees.common.timeutils import PARIS, paris_today, utcnow
from committees.dashboard.services import Kept, previous_visit, register_panel
from committees.extensions import db
from committees.meetings.conduct.recusals import barrings_for
from committees.meetings.models import (
    AgendaDocument,
    AgendaItem,
    Meeting,
    Minutes,
    MinutesStatus,
)
from committees.meetings.queries import user_mandates
from committees.reminders.kinds import DECLARATION_STAGES

#: new documents listed at most
DOCUMENTS_SHOWN = 10


@dataclass(frozen=True)
class Todo:
    """One thing waiting for the person."""

    #: "minutes", "declaration" or "document"
    kind: str
    #: the committee (or committees) it concerns
    committee: str
    #: what is waiting, already worded
    subject: str
    url: str
    #: until when (an instant or a day), if there is a deadline
    deadline: datetime | date | None = None
    #: a word on where it stands, if any
    note: str = ""


def _covering(mandates: list[Mandate], meeting: Meeting) -> bool:
    day = meeting.starts_at.astimezone(PARIS).date()
    return any(m.committee_id == meeting.committee_id and m.is_current_on(day) for m in mandates)


def todo_items(user: User, *, now: datetime | None = None) -> list[Todo]:
    """What waits for the member tied to ``user``, deadlines first."""
    person = person_for_user(user)
    if person is None:
        return []
    now = now or utcnow()
    today = now.astimezone(PARIS).date()
    mandates = user_mandates(user)  # with their committees; shared with other panels
    if not mandates:
        return []
    committee_ids = {m.committee_id for m in mandates}
    items = [*_minutes(mandates, committee_ids, now), *_declaration(person, mandates, today)]
    items.sort(key=lambda t: _sort_key(t.deadline))
    return items + _documents(user, mandates, committee_ids)


def _sort_key(deadline: datetime | date | None) -> datetime:
    if deadline is None:
        return datetime.max.replace(tzinfo=PARIS)
    if isinstance(deadline, datetime):
        return deadline
    return datetime.combine(deadline, datetime.max.time(), tzinfo=PARIS)


def _minutes(mandates: list[Mandate], committee_ids: set[int], now: datetime) -> list[Todo]:
    minutes_list = db.session.execute(
        select(Minutes)
        .join(Minutes.meeting)
        .where(
            Minutes.status == MinutesStatus.SENT.value,
            Minutes.comments_until >= now,
            Meeting.committee_id.in_(committee_ids),
        )
        .options(contains_eager(Minutes.meeting).joinedload(Meeting.committee))
    ).scalars()
    return [
        Todo(
            "minutes",
            m.meeting.committee.name_fr,
            _("Observations sur le projet de compte rendu : %(title)s", title=m.meeting.title),
            url_for("member_minutes.member_view", meeting_id=m.meeting_id),
            m.comments_until,
        )
        for m in minutes_list
        if _covering(mandates, m.meeting)
    ]


def _declaration(person, mandates: list[Mandate], today: date) -> list[Todo]:
    current = sorted({m.committee.name_fr for m in mandates if m.is_current_on(today)})
    if not current:
        return []
    status = declaration_status(person, today)
    horizon = today + timedelta(days=max(DECLARATION_STAGES))
    if status.cleared and status.valid_until is not None and status.valid_until > horizon:
        return []
    subject = (
        _("Renouveler ma déclaration d'intérêts")
        if status.latest is not None
        else _("Déposer ma déclaration d'intérêts")
    )
    return [
        Todo(
            "declaration",
            ", ".join(current),
            subject,
            url_for("my_declarations.new"),
            status.valid_until if status.cleared else None,
            _("votre déclaration n'est plus à jour")
            if status.latest is not None and not status.cleared
            else "",
        )
    ]


def _documents(user: User, mandates: list[Mandate], committee_ids: set[int]) -> list[Todo]:
    since = previous_visit(user)
    if since is None:
        return []
    documents = db.session.execute(
        select(AgendaDocument)
        .join(AgendaDocument.item)
        .join(AgendaItem.meeting)
        .where(AgendaDocument.created_at > since, Meeting.committee_id.in_(committee_ids))
        .options(
            contains_eager(AgendaDocument.item)
            .contains_eager(AgendaItem.meeting)
            .joinedload(Meeting.committee)
        )
        .order_by(AgendaDocument.created_at.desc(), AgendaDocument.id.desc())
        .limit(DOCUMENTS_SHOWN * 2)
    ).scalars()
    return [
        Todo(
            "document",
            d.item.meeting.committee.name_fr,
            _(
                "Nouveau document : %(title)s (%(meeting)s)",
                title=d.title,
                meeting=d.item.meeting.title,
            ),
            url_for(
                "member_agenda.member_document", meeting_id=d.item.meeting_id, document_id=d.id
            ),
        )
        for d in _readable(documents, mandates)
    ][:DOCUMENTS_SHOWN]


def _readable(documents, mandates: list[Mandate]) -> list[AgendaDocument]:
    """The documents of sessions a mandate covers, less the members-only documents of items
    the member is recused or flagged on (the rule of ``meetings.conduct.recusals``)."""
    documents = list(documents)
    if not documents:
        return []  # nothing new: no recusals to read
    owner: dict[int, tuple[Meeting, Mandate]] = {}
    for d in documents:
        meeting = d.item.meeting
        day = meeting.starts_at.astimezone(PARIS).date()
        for mandate in mandates:
            if mandate.committee_id == meeting.committee_id and mandate.is_current_on(day):
                owner[d.id] = (meeting, mandate)
                break
    barred = barrings_for(set(owner.values()))
    return [
        d
        for d, (meeting, mandate) in ((d, owner[d.id]) for d in documents if d.id in owner)
        if not d.members_only or d.item_id not in barred[(meeting.id, mandate.id)]
    ]


def todo_context(user: User) -> dict[str, Any]:
    """The « À faire » panel's values."""
    return {"items": todo_items(user), "today": paris_today()}


def register() -> None:
    """Add the « À faire » panel to the members' dashboard (first of their panels)."""
    register_panel(
        Permission.MEMBER_AREA,
        "reminders/panel_todo.html",
        todo_context,
        order=15,
        # Public rows (minutes, declarations, documents, recusals) and the day, plus the
        # last visit the new documents are counted from.
        kept=Kept.FOR_THE_PERSON,
        keyed_by=previous_visit,
    )
