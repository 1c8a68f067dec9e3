"""What the search index holds of an activity report (registered from the domain's
``init_app``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from committees.reports.models import ActivityReport
from committees.search.registry import DocumentKind, Row, plain_text, register_kind, same_in_both


def report_rows(reports: Sequence[ActivityReport]) -> list[Row]:
    """A published report of a published committee: its committee and its foreword."""
    rows = []
    for report in reports:
        committee = report.committee
        if report.published_at is None or committee.published_at is None:
            continue
        title = f"Rapport d'activité {report.year} — {committee.name_fr}"
        body = " ".join(p for p in (committee.name_fr, plain_text(report.foreword)) if p)
        url = f"/committees/{committee.slug}/reports/{report.year}"
        rows += same_in_both("report", report.id, title, body, url, report.published_at)
    return rows


def _of_committees(session: Session, committee_ids: set[int]) -> list[int]:
    # A committee's publication decides its reports'.
    query = select(ActivityReport.id).where(ActivityReport.committee_id.in_(committee_ids))
    return list(session.scalars(query))


def register() -> None:
    """Add activity reports to the search index."""
    register_kind(
        DocumentKind(
            name="report",
            label=_l("Rapport d'activité"),
            model=ActivityReport,
            rows=report_rows,
            options=lambda: (selectinload(ActivityReport.committee),),
            sources={ActivityReport: lambda report: report.id},
            carried_by={"committee": _of_committees},
        )
    )
