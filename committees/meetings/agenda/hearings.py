"""Hearings (auditions): the organisations a committee hears on a hearing item, with
their representatives, slot, mode, status and a summary of what was said.

Functions add to the session and flush; the caller commits, or rolls back on
``MeetingError`` (``AgendaError`` names the form field the message belongs beside).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.agenda.services import AgendaError, ensure_editable
from committees.meetings.models import (
    AgendaItem,
    Hearing,
    HearingMode,
    HearingStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    OrganisationKind,
)
from committees.meetings.rules import has_started
from committees.meetings.scheduling.services import MeetingError

#: told of a hearing's change that matters to those heard: (hearing, "moved" or "cancelled");
#: the calls domain registers the notice to the contributors (``on_hearing_change``)
HearingListener = Callable[[Hearing, str], None]
_listeners: list[HearingListener] = []


def on_hearing_change(listener: HearingListener) -> None:
    """Call ``listener(hearing, change)`` when a hearing's slot or mode changes ("moved") or
    it is declined or removed ("cancelled"), in the same transaction (once per function)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell(hearing: Hearing, change: str) -> None:
    for listener in _listeners:
        listener(hearing, change)


def tell_session_change(meeting: Meeting, change: str) -> None:
    """Tell the listeners about each hearing of ``meeting`` when the session itself moves
    ("moved") or is cancelled or postponed ("cancelled")."""
    hearings = db.session.execute(
        select(Hearing).join(Hearing.item).where(AgendaItem.meeting_id == meeting.id)
    ).scalars()
    for hearing in hearings:
        _tell(hearing, change)


def _lines(text: str | None) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _hearing_fields(
    item: AgendaItem,
    *,
    organisation: str,
    organisation_kind: str,
    representatives: str = "",
    slot_start: datetime | None = None,
    slot_end: datetime | None = None,
    mode: str = HearingMode.ON_SITE.value,
    status: str = HearingStatus.INVITED.value,
    summary: str = "",
) -> dict:
    organisation = " ".join((organisation or "").split())
    if not organisation:
        raise AgendaError(_("Indiquez l'organisme auditionné."), "organisation")
    if organisation_kind not in {k.value for k in OrganisationKind}:
        raise AgendaError(_("Choisissez le type d'organisme dans la liste."), "organisation_kind")
    if mode not in {m.value for m in HearingMode}:
        raise AgendaError(_("Choisissez la modalité de l'audition dans la liste."), "mode")
    if status not in {s.value for s in HearingStatus}:
        raise AgendaError(_("Choisissez le statut de l'audition dans la liste."), "status")
    _check_slot(item.meeting, slot_start, slot_end)
    return {
        "organisation": organisation[:300],
        "organisation_kind": organisation_kind,
        "representatives": _lines(representatives),
        "slot_start": slot_start,
        "slot_end": slot_end,
        "mode": mode,
        "status": status,
        "summary": summary or "",
    }


def _check_slot(meeting: Meeting, start: datetime | None, end: datetime | None) -> None:
    if start is None and end is None:
        return
    if start is None or end is None:
        raise AgendaError(
            _("Indiquez le début et la fin du créneau, ou aucun des deux."), "slot_start"
        )
    if end <= start:
        raise AgendaError(_("La fin du créneau doit suivre son début."), "slot_end")
    if start < meeting.starts_at or end > meeting.ends_at:
        raise AgendaError(
            _("Le créneau de l'audition doit se situer pendant la séance."), "slot_start"
        )


def _check_hearing_item(item: AgendaItem) -> None:
    ensure_editable(item.meeting)
    if item.kind != ItemKind.HEARING:
        raise MeetingError(
            _("Les auditions ne peuvent être ajoutées qu'à un point de nature « Audition ».")
        )


def add_hearing(item: AgendaItem, **fields) -> Hearing:
    """Add a hearing to a hearing item.

    Fields: organisation, organisation_kind (OrganisationKind value), representatives
    (one per line), slot_start and slot_end (aware datetimes within the session),
    mode (HearingMode), status (HearingStatus), summary (Markdown).
    """
    _check_hearing_item(item)
    hearing = Hearing(item=item, **_hearing_fields(item, **fields))
    db.session.add(hearing)
    db.session.flush()
    return hearing


def update_hearing(hearing: Hearing, **fields) -> None:
    """Change a hearing (same fields and rules as ``add_hearing``)."""
    _check_hearing_item(hearing.item)
    before = (hearing.slot_start, hearing.slot_end, hearing.mode, hearing.status)
    for key, value in _hearing_fields(hearing.item, **fields).items():
        setattr(hearing, key, value)
    db.session.flush()
    if hearing.status == HearingStatus.DECLINED and before[3] != HearingStatus.DECLINED:
        _tell(hearing, "cancelled")
    elif (hearing.slot_start, hearing.slot_end, hearing.mode) != before[:3]:
        _tell(hearing, "moved")


def delete_hearing(hearing: Hearing) -> None:
    """Remove a hearing from its item."""
    ensure_editable(hearing.item.meeting)
    _tell(hearing, "cancelled")
    db.session.delete(hearing)
    db.session.flush()


# --- after the session ------------------------------------------------------------------

#: statuses still waiting for what happened once the session is over
AWAITING_OUTCOME = (HearingStatus.INVITED.value, HearingStatus.CONFIRMED.value)


def hearings_to_record(
    *, meeting: Meeting | None = None, now: datetime | None = None, limit: int = 50
) -> list[Hearing]:
    """Hearings of sessions that are over (not cancelled) still invited or confirmed: the
    secretariat records each as heard or not held, so that the yearly report counts them.
    One query (meeting and committee loaded with it), oldest session first."""
    query = (
        select(Hearing)
        .join(Hearing.item)
        .join(AgendaItem.meeting)
        .where(
            Hearing.status.in_(AWAITING_OUTCOME),
            Meeting.ends_at <= (now or utcnow()),
            Meeting.status.not_in([MeetingStatus.CANCELLED.value, MeetingStatus.POSTPONED.value]),
        )
        .options(
            contains_eager(Hearing.item)
            .contains_eager(AgendaItem.meeting)
            .joinedload(Meeting.committee)
        )
        .order_by(Meeting.starts_at, Hearing.id)
        .limit(limit)
    )
    if meeting is not None:
        query = query.where(AgendaItem.meeting_id == meeting.id)
    return list(db.session.execute(query).unique().scalars())


def record_outcome(hearing: Hearing, held: bool, *, now: datetime | None = None) -> None:
    """Record that a hearing took place (« Entendue ») or not (« Non tenue »), once its
    session has started (``meetings.rules.has_started``)."""
    if not has_started(hearing.item.meeting.starts_at, now or utcnow()):
        raise MeetingError(_("La séance n'a pas encore eu lieu."))
    hearing.status = (HearingStatus.HEARD if held else HearingStatus.NOT_HELD).value
    db.session.flush()
