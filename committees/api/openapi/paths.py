"""The paths of the document: each operation's parameters and possible answers."""

from __future__ import annotations

from typing import Any

from committees.api import pagination, params
from committees.api.openapi.primitives import (
    DAY_FILTER,
    FREE_TEXT,
    JSON,
    PROBLEM_JSON,
    SLUG,
    STRING,
    YEAR,
    enum_of,
    ref,
)
from committees.meetings.models import MeetingStatus


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
        "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
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
            "content": {JSON: {"schema": ref(schema)}},
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


def paths() -> dict[str, Any]:
    """Every operation of the API by path, in the order the document lists them."""
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
        "/committees/{slug}/follow-up": _operation(
            "listCommitteeFollowUp",
            "A committee's public follow-up actions (« Suivi des avis »), latest session first",
            "FollowUpActionList",
            parameters=[SLUG_PATH],
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
                _path("year", YEAR),
            ],
        ),
        "/meetings": _operation(
            "listMeetings",
            "Public sessions, in the order they take place",
            "MeetingList",
            parameters=[
                COMMITTEE_FILTER,
                _query("from", DAY_FILTER, "Sessions starting on or after this day (Paris)."),
                _query(
                    "to",
                    DAY_FILTER,
                    "Sessions starting on or before this day (Paris); before `from`, none.",
                ),
                _query("status", enum_of(MeetingStatus), "Only sessions in this state."),
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
                _query("year", YEAR, "Year."),
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
        "/procedures": _operation(
            "listWrittenProcedures",
            "Opinions rendered by written procedure, latest published first",
            "WrittenProcedureList",
            parameters=[COMMITTEE_FILTER],
            listing=True,
        ),
        "/procedures/{procedure_id}": _operation(
            "getWrittenProcedure",
            "A published written procedure with its result and named votes",
            "WrittenProcedureDetail",
            parameters=[
                _path("procedure_id", {"type": "integer", "minimum": 1, "maximum": params.MAX_ID})
            ],
        ),
    }
