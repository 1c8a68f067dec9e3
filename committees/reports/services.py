"""Yearly activity reports: the years a committee may report on, the foreword, publication.

The figures are computed by ``committees.reports.computing``. Functions that change
data flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from committees.bodies.models import Committee
from committees.common.timeutils import to_paris, utcnow
from committees.extensions import db
from committees.meetings.models import Meeting
from committees.reports.models import ActivityReport

#: the years a report may cover
FIRST_YEAR, LAST_YEAR = 1900, 2999


class ReportError(ValueError):
    """A rule about reports was broken; the message is for the person."""


# --- reports: years, foreword, publication -------------------------------------------


def session_years(committee: Committee) -> list[int]:
    """The years (in Paris) in which the committee had sessions, latest first."""
    starts = db.session.execute(
        select(Meeting.starts_at).where(Meeting.committee_id == committee.id)
    ).scalars()
    return sorted({to_paris(s).date().year for s in starts}, reverse=True)


def reports_by_year(committee: Committee) -> dict[int, ActivityReport]:
    """The committee's reports (drafts included), keyed by year."""
    rows = db.session.execute(
        select(ActivityReport).where(ActivityReport.committee_id == committee.id)
    ).scalars()
    return {r.year: r for r in rows}


def find_report(committee: Committee, year: int) -> ActivityReport | None:
    """The committee's report for ``year``, if one was started."""
    return db.session.execute(
        select(ActivityReport).where(
            ActivityReport.committee_id == committee.id, ActivityReport.year == year
        )
    ).scalar_one_or_none()


def check_year(year: int) -> None:
    """Refuse a year outside what a report may cover."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportError(_("L'année doit être comprise entre 1900 et 2999."))


def save_foreword(committee: Committee, year: int, foreword: str) -> ActivityReport:
    """Write the foreword of the year's report (started on first save)."""
    check_year(year)
    report = find_report(committee, year)
    if report is None:
        report = ActivityReport(committee=committee, year=year)
        db.session.add(report)
    report.foreword = foreword.strip()
    db.session.flush()
    return report


def publish_report(report: ActivityReport, when: datetime | None = None) -> ActivityReport:
    """Put the report on the public site (once: a published report keeps its date)."""
    if report.published_at is None:
        report.published_at = when or utcnow()
        db.session.flush()
    return report


def unpublish_report(report: ActivityReport) -> ActivityReport:
    """Withdraw the report from the public site."""
    report.published_at = None
    db.session.flush()
    return report


def published_report(committee: Committee, year: int) -> ActivityReport | None:
    """The year's report if the public may read it: published, of a published committee."""
    if committee.published_at is None:
        return None
    report = find_report(committee, year)
    return report if report is not None and report.published_at is not None else None


def published_reports(committee: Committee) -> Sequence[ActivityReport]:
    """The committee's published reports, latest year first (empty if it is unpublished)."""
    if committee.published_at is None:
        return []
    return (
        db.session.execute(
            select(ActivityReport)
            .where(
                ActivityReport.committee_id == committee.id,
                ActivityReport.published_at.is_not(None),
            )
            .order_by(ActivityReport.year.desc())
        )
        .scalars()
        .all()
    )
