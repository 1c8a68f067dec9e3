"""The rules of follow-up actions: who may carry one, which are carried to a session, which
a member is assigned, which the public sees. Each reader costs one or two queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.bodies.models import Committee, Mandate, Person
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models import AgendaItem, AssigneeKind, FollowUpAction, Meeting


class ActionError(ValueError):
    """An action refused, with the reason shown to the person (``field`` names its field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewAction:
    """What the secretariat typed for a new action."""

    description: str
    assignee_kind: str
    assignee_mandate_id: int | None = None
    assignee_text: str = ""
    due_on: date | None = None
    item_id: int | None = None
    is_public: bool = False


def committee_mandates(meeting: Meeting) -> list[Mandate]:
    """The mandates a member assignee is chosen from: the session's committee's (one query)."""
    return list(
        db.session.scalars(
            select(Mandate)
            .join(Mandate.person)
            .where(Mandate.committee_id == meeting.committee_id)
            .options(selectinload(Mandate.person))
            .order_by(Person.last_name, Person.first_name, Mandate.id)
        )
    )


def record_action(meeting: Meeting, new: NewAction) -> FollowUpAction:
    """Add an action decided at ``meeting``; refuses an assignee that does not fit its kind,
    a member of another committee or an item of another session (flushed, not committed)."""
    description = new.description.strip()
    if not description:
        raise ActionError(_("Indiquez l'action à mener."), "description")
    kind = AssigneeKind(new.assignee_kind)
    mandate_id, text = None, ""
    if kind == AssigneeKind.MEMBER:
        mandate = db.session.get(Mandate, new.assignee_mandate_id or 0)
        if mandate is None or mandate.committee_id != meeting.committee_id:
            raise ActionError(_("Choisissez un membre du comité."), "assignee_mandate_id")
        mandate_id = mandate.id
    elif kind == AssigneeKind.SERVICE:
        text = new.assignee_text.strip()
        if not text:
            raise ActionError(_("Indiquez le service de l'agence."), "assignee_text")
    if new.item_id is not None:
        item = db.session.get(AgendaItem, new.item_id)
        if item is None or item.meeting_id != meeting.id:
            raise ActionError(_("Choisissez un point de l'ordre du jour de la séance."), "item_id")
    action = FollowUpAction(
        meeting_id=meeting.id,
        item_id=new.item_id,
        description=description,
        assignee_kind=kind.value,
        assignee_mandate_id=mandate_id,
        assignee_text=text,
        due_on=new.due_on,
        is_public=new.is_public,
        closing_note="",
    )
    db.session.add(action)
    db.session.flush()
    return action


def close_action(action: FollowUpAction, note: str) -> None:
    """Close an open action with a note saying how it was done (flushed, not committed)."""
    if not action.is_open:
        raise ActionError(_("Cette action est déjà close."))
    note = note.strip()
    if not note:
        raise ActionError(_("Indiquez comment l'action a été menée."), "note")
    action.closed_at = utcnow()
    action.closing_note = note
    db.session.flush()


def _loaded(query):
    return query.options(
        selectinload(FollowUpAction.meeting),
        selectinload(FollowUpAction.item),
        selectinload(FollowUpAction.assignee_mandate).selectinload(Mandate.person),
    )


def actions_of(meeting: Meeting) -> Sequence[FollowUpAction]:
    """The actions decided at ``meeting``, open ones first then in order of entry."""
    return (
        db.session.scalars(
            _loaded(select(FollowUpAction))
            .where(FollowUpAction.meeting_id == meeting.id)
            .order_by(FollowUpAction.closed_at.is_not(None), FollowUpAction.id)
        )
        .unique()
        .all()
    )


def carried_to(meeting: Meeting) -> Sequence[FollowUpAction]:
    """The open actions decided at the committee's earlier sessions: carried to ``meeting``
    (its preparation page and agenda builder) until they are closed."""
    return (
        db.session.scalars(
            _loaded(select(FollowUpAction))
            .join(FollowUpAction.meeting)
            .where(
                Meeting.committee_id == meeting.committee_id,
                Meeting.starts_at < meeting.starts_at,
                FollowUpAction.closed_at.is_(None),
            )
            .order_by(Meeting.starts_at, FollowUpAction.id)
        )
        .unique()
        .all()
    )


def assigned_to(user: User, limit: int = 10) -> Sequence[FollowUpAction]:
    """The open actions whose assignee is the member tied to ``user``, soonest due first."""
    return (
        db.session.scalars(
            _loaded(select(FollowUpAction))
            .join(Mandate, FollowUpAction.assignee_mandate_id == Mandate.id)
            .join(Person, Mandate.person_id == Person.id)
            .where(Person.user_id == user.id, FollowUpAction.closed_at.is_(None))
            .order_by(FollowUpAction.due_on.is_(None), FollowUpAction.due_on, FollowUpAction.id)
            .limit(limit)
        )
        .unique()
        .all()
    )


def public_follow_up(committee: Committee) -> Sequence[FollowUpAction]:
    """« Suivi des avis »: the committee's public actions, open and closed, latest first."""
    return (
        db.session.scalars(
            _loaded(select(FollowUpAction))
            .join(FollowUpAction.meeting)
            .where(Meeting.committee_id == committee.id, FollowUpAction.is_public.is_(True))
            .order_by(Meeting.starts_at.desc(), FollowUpAction.id)
        )
        .unique()
        .all()
    )


def assignee_label(action: FollowUpAction) -> str:
    """Who carries the action out, as shown everywhere."""
    if action.assignee_kind == AssigneeKind.MEMBER:
        mandate = action.assignee_mandate
        return mandate.person.display_name if mandate is not None else _("membre")
    if action.assignee_kind == AssigneeKind.SERVICE:
        return action.assignee_text
    return _("le secrétariat")
