"""What the search index holds of a session and of its minutes (registered from the
domain's ``init_app``): the session's public agenda items, the minutes' public text."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from committees.meetings.minutes.public_text import items_by_meeting, public_text
from committees.meetings.minutes.services import can_view_publicly
from committees.meetings.models import AgendaItem, Meeting, Minutes, MinutesRevision
from committees.meetings.queries import is_publicly_visible
from committees.search.registry import DocumentKind, Row, plain_text, register_kind, same_in_both


def meeting_rows(meetings: Sequence[Meeting]) -> list[Row]:
    """A publicly visible session: its committee and, once the agenda is published, its
    public items (never a closed one)."""
    rows = []
    for meeting in meetings:
        if not is_publicly_visible(meeting):
            continue
        parts = [meeting.committee.name_fr]
        if meeting.agenda_published_at is not None:
            for item in meeting.items:
                if item.is_public:
                    parts += [item.title, item.rapporteur, plain_text(item.description)]
        body = " ".join(p for p in parts if p)
        url = f"/meetings/{meeting.id}"
        published = meeting.agenda_published_at
        rows += same_in_both("meeting", meeting.id, meeting.title, body, url, published)
    return rows


def minutes_rows(minutes_list: Sequence[Minutes]) -> list[Row]:
    """Published minutes: the public text of their latest revision (public sections only)."""
    rows = []
    shown = [m for m in minutes_list if can_view_publicly(m) and m.revisions]
    items = items_by_meeting([m.meeting_id for m in shown])
    for minutes in shown:
        meeting = minutes.meeting
        latest = max(minutes.revisions, key=lambda revision: revision.number)
        text = public_text(minutes, latest, items[minutes.meeting_id], latest.sections)
        body = plain_text(text)
        url = f"/meetings/{meeting.id}/minutes"
        title = f"{meeting.title} — {meeting.committee.name_fr}"
        rows += same_in_both("minutes", minutes.id, title, body, url, minutes.published_at)
    return rows


def _meetings_of_committees(session: Session, committee_ids: set[int]) -> list[int]:
    # A committee's publication decides its sessions'.
    query = select(Meeting.id).where(Meeting.committee_id.in_(committee_ids))
    return list(session.scalars(query))


def _minutes_of_meetings(session: Session, meeting_ids: set[int]) -> list[int]:
    return list(session.scalars(select(Minutes.id).where(Minutes.meeting_id.in_(meeting_ids))))


def register() -> None:
    """Add sessions and their minutes to the search index."""
    register_kind(
        DocumentKind(
            name="meeting",
            label=_l("Séance"),
            model=Meeting,
            rows=meeting_rows,
            options=lambda: (selectinload(Meeting.committee), selectinload(Meeting.items)),
            sources={
                Meeting: lambda meeting: meeting.id,
                AgendaItem: lambda item: item.meeting_id,
            },
            carried_by={"committee": _meetings_of_committees},
        )
    )
    register_kind(
        DocumentKind(
            name="minutes",
            label=_l("Compte rendu"),
            model=Minutes,
            rows=minutes_rows,
            options=lambda: (
                selectinload(Minutes.meeting).selectinload(Meeting.committee),
                selectinload(Minutes.revisions).selectinload(MinutesRevision.sections),
            ),
            sources={
                Minutes: lambda minutes: minutes.id,
                MinutesRevision: lambda revision: revision.minutes_id,
            },
            carried_by={"meeting": _minutes_of_meetings},
        )
    )
