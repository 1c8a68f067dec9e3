"""The components of the yearly activity report: figures computed from the record."""

from __future__ import annotations

from typing import Any

from committees.api.openapi.primitives import (
    BOOLEAN,
    COUNT,
    DAY,
    INSTANT,
    INTEGER,
    SLUG,
    STRING,
    URL,
    YEAR,
    enum_of,
    list_of,
    nullable,
    object_schema,
    ref,
)
from committees.bodies.models import MandateRole
from committees.meetings.models import MeetingStatus, OrganisationKind

#: a percentage, None when there is nothing to divide by
RATE = nullable({"type": "integer", "minimum": 0, "maximum": 100})

REPORT = {
    "organization": SLUG,
    "year": YEAR,
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
    "summary": ref("ReportSummary"),
    "members": {"type": "array", "items": ref("ReportMember")},
    "sessions": {"type": "array", "items": ref("ReportSession")},
    "recusals": {"type": "array", "items": ref("ReportRecusal")},
    "votes": {"type": "array", "items": ref("ReportVote")},
    "hearings": {"type": "array", "items": ref("ReportHearing")},
    "organisationsHeard": {"type": "array", "items": STRING},
    "calls": {"type": "array", "items": ref("ReportCall")},
}


def report_schemas() -> dict[str, Any]:
    """The yearly activity report: figures computed from the record, never typed."""
    item_title = nullable({**STRING, "description": "None for a closed item."})
    return {
        "ActivityReport": object_schema("A published yearly activity report.", REPORT),
        "ActivityReportList": list_of("ActivityReport"),
        "ActivityReportDetail": object_schema(
            "A published report with its figures.", REPORT_DETAIL
        ),
        "ReportSummary": object_schema(
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
        "ReportMember": object_schema(
            "A member's attendance over the held sessions they were expected at.",
            {
                "name": STRING,
                "role": enum_of(MandateRole),
                "roleLabel": {**STRING, "description": "The role agreeing with the civility."},
                "sessionsExpected": COUNT,
                "sessionsAttended": COUNT,
                "attendanceRate": RATE,
            },
        ),
        "ReportSession": object_schema(
            "A session of the year; counts are zero unless it was held.",
            {
                "number": INTEGER,
                "date": DAY,
                "meetingState": enum_of(MeetingStatus),
                "held": BOOLEAN,
                "votingMembers": COUNT,
                "votingPresent": COUNT,
                "quorumRequired": COUNT,
                "quorumReached": nullable(BOOLEAN),
                "membersExpected": COUNT,
                "declarationsUpToDate": COUNT,
                "recusals": COUNT,
                "votes": COUNT,
                "hearings": COUNT,
            },
        ),
        "ReportRecusal": object_schema(
            "Confirmed recusals on one agenda item.",
            {
                "session": INTEGER,
                "date": DAY,
                "agendaItem": INTEGER,
                "title": item_title,
                "count": COUNT,
            },
        ),
        "ReportVote": object_schema(
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
        "ReportHearing": object_schema(
            "An organisation heard.",
            {
                "session": INTEGER,
                "date": DAY,
                "organization": nullable({**STRING, "description": "None on a closed item."}),
                "organizationKind": enum_of(OrganisationKind),
            },
        ),
        "ReportCall": object_schema(
            "A call opened in the year and the contributions it received (withdrawn excluded).",
            {"reference": STRING, "title": STRING, "opensOn": DAY, "contributionsReceived": COUNT},
        ),
    }
