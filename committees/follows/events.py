"""The publication events the domains announce: each builds its title and address and calls
``notify_followers``. The domains call these from their publish services."""

from __future__ import annotations

from typing import Any

from committees.common.timeutils import to_paris
from committees.common.urls import public_url
from committees.follows.models import EventKind
from committees.follows.services import notify_followers


def _meeting_titles(meeting: Any, what_fr: str, what_en: str) -> tuple[str, str]:
    day = to_paris(meeting.starts_at).strftime("%d/%m/%Y")
    committee = meeting.committee
    return (
        f"{what_fr} de la séance du {day} — {committee.name('fr')}",
        f"{what_en} of the session of {day} — {committee.name('en')}",
    )


def agenda_published(meeting: Any) -> None:
    """A session's agenda was published."""
    title_fr, title_en = _meeting_titles(meeting, "Ordre du jour", "Agenda")
    notify_followers(
        EventKind.AGENDA_PUBLISHED,
        object_key=f"meeting:{meeting.id}",
        committee_id=meeting.committee_id,
        title_fr=title_fr,
        title_en=title_en,
        url=public_url("public_meetings.detail", meeting_id=meeting.id),
    )


def minutes_published(minutes: Any) -> None:
    """A session's minutes were published."""
    meeting = minutes.meeting
    title_fr, title_en = _meeting_titles(meeting, "Compte rendu", "Minutes")
    notify_followers(
        EventKind.MINUTES_PUBLISHED,
        object_key=f"meeting:{meeting.id}",
        committee_id=meeting.committee_id,
        title_fr=title_fr,
        title_en=title_en,
        url=public_url("public_meetings.detail", meeting_id=meeting.id),
    )


def decision_published(decision: Any, committee_id: int | None) -> None:
    """A decision was published; ``committee_id`` is the committee it concerns, if one."""
    notify_followers(
        EventKind.DECISION_PUBLISHED,
        object_key=f"decision:{decision.id}",
        committee_id=committee_id,
        title_fr=f"Décision DG n°{decision.number} : {decision.title}",
        title_en=f"Decision no. {decision.number}: {decision.title}",
        url=public_url("public_decisions.public_detail", number=decision.number),
    )


def _call_event(call: Any, kind: EventKind):
    return notify_followers(
        kind,
        object_key=f"call:{call.id}",
        committee_id=call.committee_id,
        title_fr=f"{call.reference} — {call.title}",
        url=public_url("public_calls.detail", call_id=call.id),
    )


def call_opened(call: Any) -> None:
    """A call for contributions was published."""
    _call_event(call, EventKind.CALL_OPENED)


def call_closing(call: Any):
    """A published call closes within seven days (once per call); None if already told."""
    return _call_event(call, EventKind.CALL_CLOSING)


def synthesis_published(call: Any, url: str) -> None:
    """The consultation synthesis of a call was published; ``url`` is its section of the
    call's public page."""
    notify_followers(
        EventKind.SYNTHESIS_PUBLISHED,
        object_key=f"call:{call.id}",
        committee_id=call.committee_id,
        title_fr=f"Synthèse de la consultation {call.reference} — {call.title}",
        title_en=f"Consultation synthesis {call.reference} — {call.title}",
        url=url,
    )
