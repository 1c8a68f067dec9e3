"""The component schemas of the document: one per object the serializers write.

Every object schema lists exactly the properties its serializer writes (all required,
``additionalProperties: false``).
"""

from __future__ import annotations

from typing import Any

from committees.api.openapi.follow_up_schemas import follow_up_schemas
from committees.api.openapi.primitives import (
    BOOLEAN,
    COUNT,
    DAY,
    INSTANT,
    INTEGER,
    SLUG,
    STRING,
    URL,
    enum_of,
    list_of,
    nullable,
    object_schema,
    ref,
)
from committees.api.openapi.procedure_schemas import procedure_schemas
from committees.api.openapi.report_schemas import report_schemas
from committees.bodies.models import CommitteeKind, MandateRole
from committees.calls.models import Audience, ContributionStatus, ContributorKind
from committees.calls.rules import PUBLIC_STATUSES
from committees.decisions.models import DecisionKind
from committees.meetings.models import (
    HearingMode,
    HearingStatus,
    ItemKind,
    MeetingFormat,
    MeetingStatus,
    OrganisationKind,
)

ORGANIZATION = {
    "id": {**SLUG, "description": "The committee's slug."},
    "url": URL,
    "name": {**STRING, "description": "Official name, in French."},
    "shortName": nullable(STRING),
    "classification": enum_of(CommitteeKind),
    "startDate": DAY,
    "endDate": nullable(DAY),
    "website": {**URL, "description": "The committee's public page."},
    "membership": {**URL, "description": "Its current members (API)."},
    "meeting": {**URL, "description": "Its public sessions (API)."},
    "created": INSTANT,
    "modified": INSTANT,
}

MEMBERSHIP = {
    "person": object_schema(
        "The member's public identity (never an e-mail address).",
        {
            "name": STRING,
            "givenName": STRING,
            "familyName": STRING,
            "honorificPrefix": nullable(STRING),
        },
    ),
    "organization": SLUG,
    "role": enum_of(MandateRole),
    "roleLabel": {
        **STRING,
        "description": "The role in the language asked for (Accept-Language), agreeing with "
        "the person's recorded civility (« Présidente », « Président »); the inclusive form "
        "(« Président·e ») when none is recorded.",
    },
    "votingRight": BOOLEAN,
    "startDate": DAY,
    "endDate": nullable(DAY),
    "onBehalfOf": nullable({**STRING, "description": "Employer or institution."}),
    "qualification": nullable(STRING),
    "declarationOfInterests": nullable(URL),
}

MEETING = {
    "id": INTEGER,
    "url": URL,
    "number": {**INTEGER, "description": "Number of the session within its committee."},
    "name": STRING,
    "organization": SLUG,
    "start": INSTANT,
    "end": INSTANT,
    "meetingState": enum_of(MeetingStatus),
    "cancelled": {**BOOLEAN, "description": "Cancelled or postponed."},
    "format": enum_of(MeetingFormat),
    "location": nullable(
        {**STRING, "description": "The room and address, or « visioconférence »."}
    ),
    "website": URL,
    "agendaPublishedAt": nullable(INSTANT),
    "resultsProtocol": nullable(ref("ResultsProtocol")),
    "created": INSTANT,
    "modified": INSTANT,
}

MEETING_DETAIL = {
    **MEETING,
    "postponedTo": nullable({**INTEGER, "description": "The public session replacing it."}),
    "agendaItem": {
        "type": "array",
        "items": ref("AgendaItem"),
        "description": "The public items, once the agenda is published.",
    },
    "hearings": {"type": "array", "items": ref("Hearing")},
}

AGENDA_ITEM = {
    "number": INTEGER,
    "name": STRING,
    "kind": enum_of(ItemKind),
    "public": {"type": "boolean", "const": True},
    "rapporteur": nullable(STRING),
    "durationMinutes": nullable(INTEGER),
    "description": nullable({**STRING, "description": "Markdown."}),
    "auxiliaryFile": {"type": "array", "items": ref("AuxiliaryFile")},
    "result": nullable(ref("Result")),
}

DECISION = {
    "number": {**STRING, "description": "« 2022-30 »: year of signature and sequence."},
    "url": URL,
    "title": STRING,
    "kind": enum_of(DecisionKind),
    "signedOn": DAY,
    "summary": nullable(STRING),
    "committees": {"type": "array", "items": SLUG},
    "website": URL,
    "pdf": nullable(URL),
    "publishedAt": INSTANT,
    "created": INSTANT,
    "modified": INSTANT,
}

CALL = {
    "id": INTEGER,
    "url": URL,
    "title": STRING,
    "reference": STRING,
    "audience": enum_of(Audience),
    "status": enum_of(PUBLIC_STATUSES),
    "opensAt": INSTANT,
    "closesAt": INSTANT,
    "open": {**BOOLEAN, "description": "Accepts contributions now (server clock)."},
    "themes": {"type": "array", "items": STRING},
    "hearingOffer": nullable(STRING),
    "committee": nullable(SLUG),
    "meeting": nullable(INTEGER),
    "website": URL,
    "publishedAt": nullable(INSTANT),
    "publishedContributionsCount": {**INTEGER, "minimum": 0},
    "created": INSTANT,
    "modified": INSTANT,
}

CALL_DETAIL = {
    **CALL,
    "body": {**STRING, "description": "Text of the call, Markdown."},
    "publishedContributions": {"type": "array", "items": ref("PublishedContribution")},
    "synthesis": nullable(ref("CallSynthesis")),
}

CALL_SYNTHESIS = {
    "body": {**STRING, "description": "Text of the synthesis, Markdown."},
    "website": URL,
    "pdf": URL,
    "publishedAt": INSTANT,
    "modified": INSTANT,
    "contributionsCount": {**COUNT, "description": "Contributions received, withdrawn ones apart."},
    "withdrawnCount": COUNT,
    "byKind": {
        "type": "array",
        "items": object_schema(
            "Contributions of one kind.", {"kind": enum_of(ContributorKind), "count": COUNT}
        ),
    },
    "byTheme": {
        "type": "array",
        "items": object_schema(
            "Contributions answering one theme.", {"theme": STRING, "count": COUNT}
        ),
    },
    "byOutcome": {
        "type": "array",
        "items": object_schema(
            "Contributions with one outcome of the review.",
            {"outcome": enum_of(s for s in ContributionStatus if s != "withdrawn"), "count": COUNT},
        ),
    },
    "excerpts": {"type": "array", "items": ref("SynthesisExcerpt")},
}


def schemas() -> dict[str, Any]:
    """Every component schema, in the order the document lists them."""
    return {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details.",
            "properties": {
                "type": {"type": "string", "format": "uri-reference"},
                "title": STRING,
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": STRING,
            },
            "required": ["type", "title", "status"],
            "additionalProperties": False,
        },
        "Pagination": object_schema(
            "Where the page stands.",
            {
                "totalElements": {"type": "integer", "minimum": 0},
                "elementsPerPage": {"type": "integer", "minimum": 1, "maximum": 100},
                "currentPage": {"type": "integer", "minimum": 1},
                "totalPages": {"type": "integer", "minimum": 1},
            },
        ),
        "PageLinks": {
            "type": "object",
            "description": "first and last always; prev and next when they exist.",
            "properties": {"first": URL, "prev": URL, "next": URL, "last": URL},
            "required": ["first", "last"],
            "additionalProperties": False,
        },
        "Organization": object_schema("A published committee (OParl Organization).", ORGANIZATION),
        "OrganizationList": list_of("Organization"),
        "Membership": object_schema("A seat in a committee's composition (Popolo).", MEMBERSHIP),
        "MembershipList": list_of("Membership"),
        "Meeting": object_schema("A public session (OParl Meeting).", MEETING),
        "MeetingDetail": object_schema("A public session with its public agenda.", MEETING_DETAIL),
        "MeetingList": list_of("Meeting"),
        "ResultsProtocol": object_schema(
            "The published minutes (OParl File).",
            {
                "name": STRING,
                "accessUrl": URL,
                "downloadUrl": URL,
                "mimeType": {"type": "string", "const": "application/pdf"},
                "date": INSTANT,
            },
        ),
        "AgendaItem": object_schema("A public agenda item (OParl AgendaItem).", AGENDA_ITEM),
        "AuxiliaryFile": object_schema(
            "A public document of an item.",
            {"name": STRING, "accessUrl": URL, "mimeType": STRING, "size": INTEGER},
        ),
        "Result": object_schema(
            "The vote and opinion, once the minutes are published.",
            {
                "opinion": STRING,
                "adopted": BOOLEAN,
                "votesFor": {"type": "integer", "minimum": 0},
                "votesAgainst": {"type": "integer", "minimum": 0},
                "abstentions": {"type": "integer", "minimum": 0},
            },
        ),
        "Hearing": object_schema(
            "An organisation heard on a public item.",
            {
                "agendaItem": {**INTEGER, "description": "Number of its agenda item."},
                "organization": STRING,
                "organizationKind": enum_of(OrganisationKind),
                "mode": enum_of(HearingMode),
                "status": enum_of(HearingStatus),
                "summary": nullable(STRING),
            },
        ),
        "Decision": object_schema("A published decision of the director general.", DECISION),
        "DecisionList": list_of("Decision"),
        "Call": object_schema("A public call for contributions.", CALL),
        "CallDetail": object_schema("A public call with its published contributions.", CALL_DETAIL),
        "CallList": list_of("Call"),
        "CallSynthesis": object_schema(
            "The published consultation synthesis of a call; counts computed at each read.",
            CALL_SYNTHESIS,
        ),
        "SynthesisExcerpt": object_schema(
            "A passage quoted from a contribution whose authors consented to publication.",
            {"organisation": STRING, "kind": enum_of(ContributorKind), "excerpt": STRING},
        ),
        "PublishedContribution": object_schema(
            "A contribution published with its authors' consent.",
            {
                "organisation": STRING,
                "kind": enum_of(ContributorKind),
                "themes": {"type": "array", "items": STRING},
            },
        ),
        **report_schemas(),
        **procedure_schemas(),
        **follow_up_schemas(),
    }
