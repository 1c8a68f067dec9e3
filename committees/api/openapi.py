"""The OpenAPI 3.1 document of /api/v1, built here so that it follows the code.

Every object schema lists exactly the properties its serializer writes (all required,
``additionalProperties: false``); the test suite checks real answers against it with
schemathesis (tests/test_api_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from committees.api import pagination, params
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

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value if hasattr(v, "value") else v for v in values]}


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
DAY = {"type": "string", "format": "date"}
#: a day the API accepts as a filter: the years 1900 to 2999 (params.FIRST_DAY .. LAST_DAY)
DAY_FILTER = {**DAY, "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}
INSTANT = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
SLUG = {"type": "string", "pattern": f"^{params.SLUG.pattern}$", "maxLength": 120}
#: free text a filter accepts (params.text): no control characters
FREE_TEXT = {"type": "string", "maxLength": 200, "pattern": r"^[^\x00-\x1f\x7f]*$"}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly ``properties``, all of them always present."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _list_of(name: str) -> dict[str, Any]:
    return _object(
        "One page of a listing (OParl 1.1 envelope).",
        {
            "data": {"type": "array", "items": _ref(name)},
            "pagination": _ref("Pagination"),
            "links": _ref("PageLinks"),
        },
    )


ORGANIZATION = {
    "id": {**SLUG, "description": "The committee's slug."},
    "url": URL,
    "name": {**STRING, "description": "Official name, in French."},
    "shortName": _nullable(STRING),
    "classification": _enum(CommitteeKind),
    "startDate": DAY,
    "endDate": _nullable(DAY),
    "website": {**URL, "description": "The committee's public page."},
    "membership": {**URL, "description": "Its current members (API)."},
    "meeting": {**URL, "description": "Its public sessions (API)."},
    "created": INSTANT,
    "modified": INSTANT,
}

MEMBERSHIP = {
    "person": _object(
        "The member's public identity (never an e-mail address).",
        {
            "name": STRING,
            "givenName": STRING,
            "familyName": STRING,
            "honorificPrefix": _nullable(STRING),
        },
    ),
    "organization": SLUG,
    "role": _enum(MandateRole),
    "votingRight": BOOLEAN,
    "startDate": DAY,
    "endDate": _nullable(DAY),
    "onBehalfOf": _nullable({**STRING, "description": "Employer or institution."}),
    "qualification": _nullable(STRING),
    "declarationOfInterests": _nullable(URL),
}

MEETING = {
    "id": INTEGER,
    "url": URL,
    "number": {**INTEGER, "description": "Number of the session within its committee."},
    "name": STRING,
    "organization": SLUG,
    "start": INSTANT,
    "end": INSTANT,
    "meetingState": _enum(MeetingStatus),
    "cancelled": {**BOOLEAN, "description": "Cancelled or postponed."},
    "format": _enum(MeetingFormat),
    "location": _nullable(
        {**STRING, "description": "The room and address, or « visioconférence »."}
    ),
    "website": URL,
    "agendaPublishedAt": _nullable(INSTANT),
    "resultsProtocol": _nullable(_ref("ResultsProtocol")),
    "created": INSTANT,
    "modified": INSTANT,
}

MEETING_DETAIL = {
    **MEETING,
    "postponedTo": _nullable({**INTEGER, "description": "The public session replacing it."}),
    "agendaItem": {
        "type": "array",
        "items": _ref("AgendaItem"),
        "description": "The public items, once the agenda is published.",
    },
    "hearings": {"type": "array", "items": _ref("Hearing")},
}

AGENDA_ITEM = {
    "number": INTEGER,
    "name": STRING,
    "kind": _enum(ItemKind),
    "public": {"type": "boolean", "const": True},
    "rapporteur": _nullable(STRING),
    "durationMinutes": _nullable(INTEGER),
    "description": _nullable({**STRING, "description": "Markdown."}),
    "auxiliaryFile": {"type": "array", "items": _ref("AuxiliaryFile")},
    "result": _nullable(_ref("Result")),
}

DECISION = {
    "number": {**STRING, "description": "« 2022-30 »: year of signature and sequence."},
    "url": URL,
    "title": STRING,
    "kind": _enum(DecisionKind),
    "signedOn": DAY,
    "summary": _nullable(STRING),
    "committees": {"type": "array", "items": SLUG},
    "website": URL,
    "pdf": _nullable(URL),
    "publishedAt": INSTANT,
    "created": INSTANT,
    "modified": INSTANT,
}

CALL = {
    "id": INTEGER,
    "url": URL,
    "title": STRING,
    "reference": STRING,
    "audience": _enum(Audience),
    "status": _enum(PUBLIC_STATUSES),
    "opensAt": INSTANT,
    "closesAt": INSTANT,
    "open": {**BOOLEAN, "description": "Accepts contributions now (server clock)."},
    "themes": {"type": "array", "items": STRING},
    "hearingOffer": _nullable(STRING),
    "committee": _nullable(SLUG),
    "meeting": _nullable(INTEGER),
    "website": URL,
    "publishedAt": _nullable(INSTANT),
    "publishedContributionsCount": {**INTEGER, "minimum": 0},
    "created": INSTANT,
    "modified": INSTANT,
}

CALL_DETAIL = {
    **CALL,
    "body": {**STRING, "description": "Text of the call, Markdown."},
    "publishedContributions": {"type": "array", "items": _ref("PublishedContribution")},
    "synthesis": _nullable(_ref("CallSynthesis")),
}

COUNT = {"type": "integer", "minimum": 0}

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
        "items": _object(
            "Contributions of one kind.", {"kind": _enum(ContributorKind), "count": COUNT}
        ),
    },
    "byTheme": {
        "type": "array",
        "items": _object("Contributions answering one theme.", {"theme": STRING, "count": COUNT}),
    },
    "byOutcome": {
        "type": "array",
        "items": _object(
            "Contributions with one outcome of the review.",
            {"outcome": _enum(s for s in ContributionStatus if s != "withdrawn"), "count": COUNT},
        ),
    },
    "excerpts": {"type": "array", "items": _ref("SynthesisExcerpt")},
}


COUNT = {"type": "integer", "minimum": 0}
RATE = _nullable({"type": "integer", "minimum": 0, "maximum": 100})

REPORT = {
    "organization": SLUG,
    "year": {"type": "integer", "minimum": 1900, "maximum": 2999},
    "url": URL,
    "website": URL,
    "pdf": URL,
    "csv": {**URL, "description": "Attendance per member, then one row per session."},
    "publishedAt": INSTANT,
    "modified": INSTANT,
}

REPORT_DETAIL = {
    **REPORT,
    "foreword": {**STRING, "description": "Markdown; the only text written by hand."},
    "summary": _ref("ReportSummary"),
    "members": {"type": "array", "items": _ref("ReportMember")},
    "sessions": {"type": "array", "items": _ref("ReportSession")},
    "recusals": {"type": "array", "items": _ref("ReportRecusal")},
    "votes": {"type": "array", "items": _ref("ReportVote")},
    "hearings": {"type": "array", "items": _ref("ReportHearing")},
    "organisationsHeard": {"type": "array", "items": STRING},
    "calls": {"type": "array", "items": _ref("ReportCall")},
}


def _report_schemas() -> dict[str, Any]:
    """The yearly activity report: figures computed from the record, never typed."""
    item_title = _nullable({**STRING, "description": "None for a closed item."})
    return {
        "ActivityReport": _object("A published yearly activity report.", REPORT),
        "ActivityReportList": _list_of("ActivityReport"),
        "ActivityReportDetail": _object("A published report with its figures.", REPORT_DETAIL),
        "ReportSummary": _object(
            "The year in figures.",
            {
                "sessionsHeld": COUNT,
                "sessionsCancelled": COUNT,
                "sessionsPostponed": COUNT,
                "quorumReached": {**COUNT, "description": "Held sessions with the quorum."},
                "attendanceRate": RATE,
                "recusals": COUNT,
                "opinions": COUNT,
                "opinionsAdopted": COUNT,
                "hearings": COUNT,
                "contributionsReceived": COUNT,
            },
        ),
        "ReportMember": _object(
            "A member's attendance over the held sessions they were expected at.",
            {
                "name": STRING,
                "role": _enum(MandateRole),
                "sessionsExpected": COUNT,
                "sessionsAttended": COUNT,
                "attendanceRate": RATE,
            },
        ),
        "ReportSession": _object(
            "A session of the year; counts are zero unless it was held.",
            {
                "number": INTEGER,
                "date": DAY,
                "meetingState": _enum(MeetingStatus),
                "held": BOOLEAN,
                "votingMembers": COUNT,
                "votingPresent": COUNT,
                "quorumRequired": COUNT,
                "quorumReached": _nullable(BOOLEAN),
                "membersExpected": COUNT,
                "declarationsUpToDate": COUNT,
                "recusals": COUNT,
                "votes": COUNT,
                "hearings": COUNT,
            },
        ),
        "ReportRecusal": _object(
            "Confirmed recusals on one agenda item.",
            {
                "session": INTEGER,
                "date": DAY,
                "agendaItem": INTEGER,
                "title": item_title,
                "count": COUNT,
            },
        ),
        "ReportVote": _object(
            "The vote on an item calling for an opinion.",
            {
                "session": INTEGER,
                "date": DAY,
                "agendaItem": INTEGER,
                "title": item_title,
                "votesFor": COUNT,
                "votesAgainst": COUNT,
                "abstentions": COUNT,
                "adopted": BOOLEAN,
            },
        ),
        "ReportHearing": _object(
            "An organisation heard.",
            {
                "session": INTEGER,
                "date": DAY,
                "organization": _nullable({**STRING, "description": "None on a closed item."}),
                "organizationKind": _enum(OrganisationKind),
            },
        ),
        "ReportCall": _object(
            "A call opened in the year and the contributions it received (withdrawn excluded).",
            {"reference": STRING, "title": STRING, "opensOn": DAY, "contributionsReceived": COUNT},
        ),
    }


def _schemas() -> dict[str, Any]:
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
        "Pagination": _object(
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
        "Organization": _object("A published committee (OParl Organization).", ORGANIZATION),
        "OrganizationList": _list_of("Organization"),
        "Membership": _object("A seat in a committee's composition (Popolo).", MEMBERSHIP),
        "MembershipList": _list_of("Membership"),
        "Meeting": _object("A public session (OParl Meeting).", MEETING),
        "MeetingDetail": _object("A public session with its public agenda.", MEETING_DETAIL),
        "MeetingList": _list_of("Meeting"),
        "ResultsProtocol": _object(
            "The published minutes (OParl File).",
            {
                "name": STRING,
                "accessUrl": URL,
                "downloadUrl": URL,
                "mimeType": {"type": "string", "const": "application/pdf"},
                "date": INSTANT,
            },
        ),
        "AgendaItem": _object("A public agenda item (OParl AgendaItem).", AGENDA_ITEM),
        "AuxiliaryFile": _object(
            "A public document of an item.",
            {"name": STRING, "accessUrl": URL, "mimeType": STRING, "size": INTEGER},
        ),
        "Result": _object(
            "The vote and opinion, once the minutes are published.",
            {
                "opinion": STRING,
                "adopted": BOOLEAN,
                "votesFor": {"type": "integer", "minimum": 0},
                "votesAgainst": {"type": "integer", "minimum": 0},
                "abstentions": {"type": "integer", "minimum": 0},
            },
        ),
        "Hearing": _object(
            "An organisation heard on a public item.",
            {
                "agendaItem": {**INTEGER, "description": "Number of its agenda item."},
                "organization": STRING,
                "organizationKind": _enum(OrganisationKind),
                "mode": _enum(HearingMode),
                "status": _enum(HearingStatus),
                "summary": _nullable(STRING),
            },
        ),
        "Decision": _object("A published decision of the director general.", DECISION),
        "DecisionList": _list_of("Decision"),
        "Call": _object("A public call for contributions.", CALL),
        "CallDetail": _object("A public call with its published contributions.", CALL_DETAIL),
        "CallList": _list_of("Call"),
        "CallSynthesis": _object(
            "The published consultation synthesis of a call; counts computed at each read.",
            CALL_SYNTHESIS,
        ),
        "SynthesisExcerpt": _object(
            "A passage quoted from a contribution whose authors consented to publication.",
            {"organisation": STRING, "kind": _enum(ContributorKind), "excerpt": STRING},
        ),
        "PublishedContribution": _object(
            "A contribution published with its authors' consent.",
            {
                "organisation": STRING,
                "kind": _enum(ContributorKind),
                "themes": {"type": "array", "items": STRING},
            },
        ),
        **_report_schemas(),
    }


# --- parameters and responses ---------------------------------------------------------


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


def _path(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": STRING,
    "description": "An ETag received before: 304 when the answer has not changed.",
}

PAGE_PARAMETERS = [
    _query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": pagination.MAX_PAGE, "default": 1},
        "Page number, from 1.",
    ),
    _query(
        "per_page",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": pagination.MAX_PER_PAGE,
            "default": pagination.DEFAULT_PER_PAGE,
        },
        "Objects per page.",
    ),
]

COMMON_HEADERS = {
    "Access-Control-Allow-Origin": {"required": True, "schema": {"type": "string", "const": "*"}},
    "ETag": {"required": True, "schema": STRING, "description": "Strong ETag of the body."},
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": COMMON_HEADERS,
        "content": {PROBLEM_JSON: {"schema": _ref("Problem")}},
    }


def _responses(schema: str, *, listing: bool, can_be_absent: bool, has_query: bool):
    headers = dict(COMMON_HEADERS)
    if listing:
        headers["Link"] = {
            "required": True,
            "schema": STRING,
            "description": 'RFC 8288 links: rel="first", "prev", "next", "last".',
        }
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": headers,
            "content": {JSON: {"schema": _ref(schema)}},
        },
        "304": {
            "description": "Not modified since the ETag given in If-None-Match.",
            "headers": {"ETag": COMMON_HEADERS["ETag"]},
        },
    }
    if has_query:
        responses["400"] = _problem("A parameter is malformed or out of range.")
    if can_be_absent:
        responses["404"] = _problem("No such published object.")
    responses["429"] = _problem("Too many requests: try again after Retry-After seconds.")
    responses["500"] = _problem("Unexpected error.")
    return responses


def _operation(
    operation_id: str,
    summary: str,
    schema: str,
    *,
    parameters: list[dict[str, Any]] = (),  # type: ignore[assignment]
    listing: bool = False,
) -> dict[str, Any]:
    in_path = any(p["in"] == "path" for p in parameters)
    has_query = listing or any(p["in"] == "query" for p in parameters)
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [*parameters, *(PAGE_PARAMETERS if listing else []), IF_NONE_MATCH],
            "responses": _responses(
                schema, listing=listing, can_be_absent=in_path, has_query=has_query
            ),
        }
    }


SLUG_PATH = _path("slug", SLUG)
COMMITTEE_FILTER = _query("committee", SLUG, "Only this committee's (slug).")


def _paths() -> dict[str, Any]:
    return {
        "/committees": _operation(
            "listCommittees", "Published committees", "OrganizationList", listing=True
        ),
        "/committees/{slug}": _operation(
            "getCommittee", "A published committee", "Organization", parameters=[SLUG_PATH]
        ),
        "/committees/{slug}/members": _operation(
            "listCommitteeMembers",
            "A committee's composition on a day",
            "MembershipList",
            parameters=[SLUG_PATH, _query("on", DAY_FILTER, "The day (Paris); today by default.")],
            listing=True,
        ),
        "/committees/{slug}/reports": _operation(
            "listCommitteeReports",
            "A committee's published yearly activity reports, latest first",
            "ActivityReportList",
            parameters=[SLUG_PATH],
            listing=True,
        ),
        "/committees/{slug}/reports/{year}": _operation(
            "getCommitteeReport",
            "A published yearly activity report with its figures",
            "ActivityReportDetail",
            parameters=[
                SLUG_PATH,
                _path("year", {"type": "integer", "minimum": 1900, "maximum": 2999}),
            ],
        ),
        "/meetings": _operation(
            "listMeetings",
            "Public sessions, in the order they take place",
            "MeetingList",
            parameters=[
                COMMITTEE_FILTER,
                _query("from", DAY_FILTER, "Sessions starting on or after this day (Paris)."),
                _query("to", DAY_FILTER, "Sessions starting on or before this day (Paris)."),
                _query("status", _enum(MeetingStatus), "Only sessions in this state."),
            ],
            listing=True,
        ),
        "/meetings/{meeting_id}": _operation(
            "getMeeting",
            "A public session with its public agenda, hearings and published minutes",
            "MeetingDetail",
            parameters=[
                _path("meeting_id", {"type": "integer", "minimum": 1, "maximum": params.MAX_ID})
            ],
        ),
        "/decisions": _operation(
            "listDecisions",
            "Published decisions, newest first",
            "DecisionList",
            parameters=[
                _query("year", {"type": "integer", "minimum": 1900, "maximum": 2999}, "Year."),
                COMMITTEE_FILTER,
                _query("q", FREE_TEXT, "Words of the number or title."),
            ],
            listing=True,
        ),
        "/decisions/{number}": _operation(
            "getDecision",
            "A published decision",
            "Decision",
            parameters=[_path("number", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{1,4}$"})],
        ),
        "/calls": _operation(
            "listCalls", "Public calls, open ones first", "CallList", listing=True
        ),
        "/calls/{call_id}": _operation(
            "getCall",
            "A public call with its published contributions",
            "CallDetail",
            parameters=[
                _path("call_id", {"type": "integer", "minimum": 1, "maximum": params.MAX_ID})
            ],
        ),
    }


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Comités scientifiques — open data API",
            "version": "1.0.0",
            "description": (
                "Read-only public data: committees, their members, public sessions, "
                "decisions and calls. Lists are paged (page, per_page at most 100) in an "
                "OParl-style envelope with RFC 8288 Link headers; instants are ISO 8601 "
                "in Paris time with their offset; every answer has a strong ETag; errors "
                "are RFC 9457 problem details."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {"schemas": _schemas()},
    }
