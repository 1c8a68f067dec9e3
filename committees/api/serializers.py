"""Model objects as the API's JSON objects (OParl / Popolo names), as plain functions.

Each function returns exactly the properties the OpenAPI document declares for its object
(``openapi/schemas.py``); instants are ISO 8601 in Paris time with their offset
(2022-05-04T09:30:00+02:00), days are YYYY-MM-DD. Nothing private is ever read here:
no e-mail, no remote link, no closed item, no contact person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from committees.bodies.labels import role_label
from committees.bodies.models import Committee
from committees.bodies.public_pages import Seat
from committees.calls import rules as call_rules
from committees.calls.models import Call, CallSynthesis
from committees.calls.synthesis.services import PublicExcerpt, SynthesisCounts
from committees.calls.visibility import PublicContribution
from committees.common.timeutils import to_paris
from committees.common.urls import public_url
from committees.decisions.models import Decision
from committees.meetings.agenda.services import is_public_document
from committees.meetings.minutes.services import can_view_publicly
from committees.meetings.models import (
    AgendaItem,
    Hearing,
    HearingStatus,
    Meeting,
    MeetingFormat,
    Vote,
)
from committees.meetings.queries import is_publicly_visible

#: what ``location`` says of a session held by videoconference only
VIDEOCONFERENCE = "visioconférence"


def instant(value: datetime | None) -> str | None:
    """An instant in Paris time with its offset, to the second."""
    return None if value is None else to_paris(value).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    """A day as YYYY-MM-DD."""
    return None if value is None else value.isoformat()


def _url(endpoint: str, **values: Any) -> str:
    return public_url(endpoint, **values)


def _or_none(text: str | None) -> str | None:
    return text or None


# --- committees (OParl Organization, Popolo Organization / Membership) -----------------


def organization(committee: Committee) -> dict[str, Any]:
    """A published committee."""
    return {
        "id": committee.slug,
        "url": _url("api.committee", slug=committee.slug),
        "name": committee.name_fr,
        "shortName": _or_none(committee.acronym),
        "classification": committee.kind,
        "startDate": day(committee.start_date),
        "endDate": day(committee.end_date),
        "website": _url("public_committees.detail", slug=committee.slug),
        "membership": _url("api.committee_members", slug=committee.slug),
        "meeting": _url("api.meetings", committee=committee.slug),
        "created": instant(committee.created_at),
        "modified": instant(committee.updated_at),
    }


def membership(seat: Seat) -> dict[str, Any]:
    """A seat of a committee's public composition: the person's public identity, never
    their e-mail."""
    mandate, person = seat.mandate, seat.mandate.person
    return {
        "person": {
            "name": person.display_name,
            "givenName": person.first_name,
            "familyName": person.last_name,
            "honorificPrefix": _or_none(person.title),
        },
        "organization": mandate.committee.slug,
        "role": mandate.role,
        "roleLabel": role_label(mandate.role, person.civility),
        "votingRight": mandate.voting,
        "startDate": day(mandate.start_date),
        "endDate": day(mandate.end_date),
        "onBehalfOf": _or_none(person.affiliation),
        "qualification": _or_none(person.qualification),
        "declarationOfInterests": _or_none(seat.declaration_url),
    }


# --- sessions (OParl Meeting, AgendaItem, File) ----------------------------------------


def location(meeting: Meeting) -> str | None:
    """Where the session takes place: the room, or « visioconférence »; never the link."""
    if meeting.place:
        return meeting.place
    if meeting.format == MeetingFormat.VIDEOCONFERENCE.value:
        return VIDEOCONFERENCE
    return None


def results_protocol(meeting: Meeting) -> dict[str, Any] | None:
    """The published minutes (page and PDF), or None while they are not published."""
    minutes = meeting.minutes
    if minutes is None or not can_view_publicly(minutes):
        return None
    return {
        "name": f"Compte rendu — {meeting.title}",
        "accessUrl": _url("public_minutes.public_view", meeting_id=meeting.id),
        "downloadUrl": _url("public_minutes.public_pdf", meeting_id=meeting.id),
        "mimeType": "application/pdf",
        "date": instant(minutes.published_at),
    }


def meeting(value: Meeting) -> dict[str, Any]:
    """A public session, as listed."""
    return {
        "id": value.id,
        "url": _url("api.meeting", meeting_id=value.id),
        "number": value.number,
        "name": value.title,
        "organization": value.committee.slug,
        "start": instant(value.starts_at),
        "end": instant(value.ends_at),
        "meetingState": value.status,
        "cancelled": value.is_cancelled,
        "format": value.format,
        "location": location(value),
        "website": _url("public_meetings.detail", meeting_id=value.id),
        "agendaPublishedAt": instant(value.agenda_published_at),
        "resultsProtocol": results_protocol(value),
        "created": instant(value.created_at),
        "modified": instant(value.updated_at),
    }


def public_items(value: Meeting) -> list[AgendaItem]:
    """The items the public sees: the public items of a published agenda."""
    if value.agenda_published_at is None:
        return []
    return [item for item in value.items if item.is_public]


def _result(vote: Vote | None) -> dict[str, Any] | None:
    if vote is None:
        return None
    return {
        "opinion": vote.opinion,
        "adopted": vote.adopted,
        "votesFor": vote.votes_for,
        "votesAgainst": vote.votes_against,
        "abstentions": vote.abstentions,
    }


def agenda_item(item: AgendaItem, vote: Vote | None) -> dict[str, Any]:
    """A public agenda item; ``result`` only once the minutes are published."""
    return {
        "number": item.position,
        "name": item.title,
        "kind": item.kind,
        "public": True,
        "rapporteur": _or_none(item.rapporteur),
        "durationMinutes": item.duration_minutes,
        "description": _or_none(item.description),
        "auxiliaryFile": [
            {
                "name": document.title,
                "accessUrl": _url(
                    "public_agenda.public_document",
                    meeting_id=item.meeting_id,
                    document_id=document.id,
                ),
                "mimeType": document.content_type,
                "size": document.size,
            }
            for document in item.documents
            if is_public_document(document)
        ],
        "result": _result(vote),
    }


def hearing(value: Hearing, item: AgendaItem) -> dict[str, Any]:
    """An organisation heard on the public ``item``; its summary once it was heard."""
    return {
        "agendaItem": item.position,
        "organization": value.organisation,
        "organizationKind": value.organisation_kind,
        "mode": value.mode,
        "status": value.status,
        "summary": _or_none(value.summary) if value.status == HearingStatus.HEARD else None,
    }


def meeting_detail(value: Meeting, votes: dict[int, Vote]) -> dict[str, Any]:
    """A public session with its public agenda and hearings."""
    items = public_items(value)
    replacement = value.postponed_to
    return {
        **meeting(value),
        "postponedTo": replacement.id
        if replacement is not None and is_publicly_visible(replacement)
        else None,
        "agendaItem": [agenda_item(item, votes.get(item.id)) for item in items],
        "hearings": [hearing(h, item) for item in items for h in item.hearings],
    }


# --- decisions ------------------------------------------------------------------------


def decision(value: Decision, committees: list[Committee]) -> dict[str, Any]:
    """A published decision with the published committees it concerns."""
    return {
        "number": value.number,
        "url": _url("api.decision", number=value.number),
        "title": value.title,
        "kind": value.kind,
        "signedOn": day(value.signed_on),
        "summary": _or_none(value.summary),
        "committees": [c.slug for c in committees if c.published_at is not None],
        "website": _url("public_decisions.public_detail", number=value.number),
        "pdf": _url("public_decisions.public_pdf", number=value.number)
        if value.pdf_sha256
        else None,
        "publishedAt": instant(value.published_at),
        "created": instant(value.created_at),
        "modified": instant(value.updated_at),
    }


# --- calls ----------------------------------------------------------------------------


def call(value: Call, contribution_count: int, now: datetime) -> dict[str, Any]:
    """A public call, as listed; ``open`` is the calls rule at the server's ``now``."""
    committee = value.committee
    session = value.meeting
    return {
        "id": value.id,
        "url": _url("api.call", call_id=value.id),
        "title": value.title,
        "reference": value.reference,
        "audience": value.audience,
        "status": value.status,
        "opensAt": instant(value.opens_at),
        "closesAt": instant(value.closes_at),
        "open": call_rules.is_open(value, now),
        "themes": call_rules.call_themes(value),
        "hearingOffer": _or_none(value.hearing_offer),
        "committee": committee.slug if committee.published_at is not None else None,
        "meeting": session.id if session is not None and is_publicly_visible(session) else None,
        "website": _url("public_calls.detail", call_id=value.id),
        "publishedAt": instant(value.published_at),
        "publishedContributionsCount": contribution_count,
        "created": instant(value.created_at),
        "modified": instant(value.updated_at),
    }


def contribution(value: PublicContribution) -> dict[str, Any]:
    """A published contribution: the organisation, its kind and themes only."""
    return {
        "organisation": value.organisation,
        "kind": value.organisation_kind,
        "themes": list(value.themes),
    }


def synthesis(
    value: CallSynthesis, counts: SynthesisCounts, excerpts: list[PublicExcerpt]
) -> dict[str, Any]:
    """A published synthesis, its counts and the excerpts the public may read."""
    return {
        "body": value.body,
        "website": _url("public_calls.detail", call_id=value.call_id, _anchor="synthese"),
        "pdf": _url("public_calls.synthesis_pdf", call_id=value.call_id),
        "publishedAt": instant(value.published_at),
        "modified": instant(value.updated_at),
        "contributionsCount": counts.total,
        "withdrawnCount": counts.withdrawn,
        "byKind": [{"kind": k, "count": n} for k, n in counts.by_kind],
        "byTheme": [{"theme": t, "count": n} for t, n in counts.by_theme],
        "byOutcome": [{"outcome": o, "count": n} for o, n in counts.by_outcome],
        "excerpts": [
            {"organisation": e.organisation, "kind": e.organisation_kind, "excerpt": e.excerpt}
            for e in excerpts
        ],
    }


def call_detail(
    value: Call,
    contributions: list[PublicContribution],
    now: datetime,
    synthesis_object: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A public call with its text, its published contributions and its published
    synthesis (None while there is none)."""
    return {
        **call(value, len(contributions), now),
        "body": value.body,
        "publishedContributions": [contribution(c) for c in contributions],
        "synthesis": synthesis_object,
    }
