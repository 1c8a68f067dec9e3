"""Yearly activity reports as the API's JSON objects: the same figures as the public page.

Each function returns exactly the properties ``openapi/report_schemas.py`` declares
(ActivityReport, ActivityReportDetail). Closed items appear without their title, as on the
public page.
"""

from __future__ import annotations

from typing import Any

from committees.api.serializers import instant
from committees.bodies.labels import role_label
from committees.bodies.models import Committee
from committees.common.urls import public_url
from committees.reports.figures import ReportFigures
from committees.reports.models import ActivityReport


def _url(endpoint: str, **values: Any) -> str:
    return public_url(endpoint, **values)


def report(committee: Committee, found: ActivityReport) -> dict[str, Any]:
    """A published report: its year, its addresses and dates."""
    where = {"slug": committee.slug, "year": found.year}
    return {
        "organization": committee.slug,
        "year": found.year,
        "url": _url("api.committee_report", **where),
        "website": _url("public_reports.public_view", **where),
        "pdf": _url("public_reports.public_pdf", **where),
        "csv": _url("public_reports.public_csv", **where),
        "publishedAt": instant(found.published_at),
        "modified": instant(found.updated_at),
    }


def _summary(f: ReportFigures) -> dict[str, Any]:
    return {
        "sessionsHeld": f.held,
        "sessionsCancelled": f.cancelled,
        "sessionsPostponed": f.postponed,
        "quorumReached": f.quorum_reached,
        "attendanceRate": f.attendance_rate,
        "recusals": f.recusal_count,
        "opinions": len(f.votes),
        "opinionsAdopted": f.opinions_adopted,
        "hearings": len(f.hearings),
        "contributionsReceived": f.contributions,
    }


def _sessions(f: ReportFigures) -> list[dict[str, Any]]:
    return [
        {
            "number": s.number,
            "date": s.day.isoformat(),
            "meetingState": s.status,
            "held": s.held,
            "votingMembers": s.voting_members,
            "votingPresent": s.voting_present,
            "quorumRequired": s.quorum_required,
            "quorumReached": s.quorum_reached,
            "membersExpected": s.members_expected,
            "declarationsUpToDate": s.declarations_current,
            "recusals": s.recusals,
            "votes": s.votes,
            "hearings": s.hearings,
        }
        for s in f.sessions
    ]


def report_detail(committee: Committee, found: ActivityReport, f: ReportFigures) -> dict[str, Any]:
    """A published report with its foreword and every figure."""
    return {
        **report(committee, found),
        "foreword": found.foreword,
        "summary": _summary(f),
        "members": [
            {
                "name": m.name,
                "role": m.role,
                "roleLabel": role_label(m.role, m.civility),
                "sessionsExpected": m.expected,
                "sessionsAttended": m.present,
                "attendanceRate": m.rate,
            }
            for m in f.members
        ],
        "sessions": _sessions(f),
        "recusals": [
            {
                "session": r.session_number,
                "date": r.day.isoformat(),
                "agendaItem": r.item_number,
                "title": r.title or None,
                "count": r.count,
            }
            for r in f.recusals
        ],
        "votes": [
            {
                "session": v.session_number,
                "date": v.day.isoformat(),
                "agendaItem": v.item_number,
                "title": v.title or None,
                "votesFor": v.votes_for,
                "votesAgainst": v.votes_against,
                "abstentions": v.abstentions,
                "adopted": v.adopted,
            }
            for v in f.votes
        ],
        "hearings": [
            {
                "session": h.session_number,
                "date": h.day.isoformat(),
                "organization": h.organisation or None,
                "organizationKind": h.organisation_kind,
            }
            for h in f.hearings
        ],
        "organisationsHeard": f.organisations_heard,
        "calls": [
            {
                "reference": c.reference,
                "title": c.title,
                "opensOn": c.opens_on.isoformat(),
                "contributionsReceived": c.contributions,
            }
            for c in f.calls
        ],
    }
