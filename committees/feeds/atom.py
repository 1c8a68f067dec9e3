"""The publications feed: the latest published decisions, session agendas, minutes,
calls, calls' syntheses and yearly activity reports, newest first, as an Atom 1.0
document (RFC 4287) built with xml.etree.

Only what the public pages show: each kind goes through its domain's visibility rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee
from committees.calls.models import Call, CallSynthesis
from committees.calls.rules import PUBLIC_STATUSES
from committees.decisions.models import Decision
from committees.extensions import db
from committees.meetings.models import Meeting, Minutes, MinutesStatus
from committees.procedures.models import ProcedureStatus, WrittenProcedure
from committees.reports.models import ActivityReport

ATOM = "http://www.w3.org/2005/Atom"
#: entries in the feed
LIMIT = 50


@dataclass(frozen=True)
class FeedEntry:
    """One publication: ``key`` makes its permanent id, ``path`` its public page."""

    key: str
    title: str
    path: str
    summary: str
    published: datetime
    updated: datetime


def _decisions() -> list[FeedEntry]:
    rows = db.session.execute(
        select(Decision)
        .where(Decision.published_at.is_not(None))
        .order_by(Decision.published_at.desc())
        .limit(LIMIT)
    ).scalars()
    return [
        FeedEntry(
            key=f"decision:{d.number}",
            title=_("Décision n°%(number)s : %(title)s", number=d.number, title=d.title),
            path=f"/decisions/{d.number}",
            summary=d.summary,
            published=d.published_at,
            updated=max(d.updated_at, d.published_at),
        )
        for d in rows
    ]


def _public_meetings():
    # The rule of committees.meetings.queries.is_publicly_visible, as a query.
    return (
        select(Meeting)
        .join(Meeting.committee)
        .where(Meeting.is_public.is_(True), Committee.published_at.is_not(None))
        .options(selectinload(Meeting.committee))
    )


def _agendas() -> list[FeedEntry]:
    rows = db.session.execute(
        _public_meetings()
        .where(Meeting.agenda_published_at.is_not(None))
        .order_by(Meeting.agenda_published_at.desc())
        .limit(LIMIT)
    ).scalars()
    return [
        FeedEntry(
            key=f"agenda:{m.id}",
            title=_("Ordre du jour : %(title)s", title=m.title),
            path=f"/meetings/{m.id}",
            summary=m.committee.name_fr,
            published=m.agenda_published_at,
            updated=max(m.updated_at, m.agenda_published_at),
        )
        for m in rows
    ]


def _minutes() -> list[FeedEntry]:
    rows = db.session.execute(
        select(Minutes, Meeting)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .join(Meeting.committee)
        .where(
            Minutes.status == MinutesStatus.PUBLISHED.value,
            Minutes.published_at.is_not(None),
            Meeting.is_public.is_(True),
            Committee.published_at.is_not(None),
        )
        .options(selectinload(Meeting.committee))
        .order_by(Minutes.published_at.desc())
        .limit(LIMIT)
    ).all()
    return [
        FeedEntry(
            key=f"minutes:{meeting.id}",
            title=_("Compte rendu : %(title)s", title=meeting.title),
            path=f"/meetings/{meeting.id}/minutes",
            summary=meeting.committee.name_fr,
            published=minutes.published_at,
            updated=max(minutes.updated_at, minutes.published_at),
        )
        for minutes, meeting in rows
    ]


def _calls() -> list[FeedEntry]:
    rows = db.session.execute(
        select(Call)
        .where(Call.status.in_(PUBLIC_STATUSES), Call.published_at.is_not(None))
        .order_by(Call.published_at.desc())
        .limit(LIMIT)
    ).scalars()
    return [
        FeedEntry(
            key=f"call:{c.id}",
            title=_("Appel à contributions : %(title)s", title=c.title),
            path=f"/calls/{c.id}",
            summary=c.hearing_offer or c.reference,
            published=c.published_at,
            updated=max(c.updated_at, c.published_at),
        )
        for c in rows
    ]


def _syntheses() -> list[FeedEntry]:
    from committees.calls.synthesis.services import ANCHOR

    rows = db.session.execute(
        select(CallSynthesis, Call)
        .join(Call, Call.id == CallSynthesis.call_id)
        .where(Call.status.in_(PUBLIC_STATUSES), CallSynthesis.published_at.is_not(None))
        .order_by(CallSynthesis.published_at.desc())
        .limit(LIMIT)
    ).all()
    return [
        FeedEntry(
            key=f"synthesis:{call.id}",
            title=_("Synthèse de la consultation : %(title)s", title=call.title),
            path=f"/calls/{call.id}#{ANCHOR}",
            summary=call.reference,
            published=synthesis.published_at,
            updated=max(synthesis.updated_at, synthesis.published_at),
        )
        for synthesis, call in rows
    ]


def _reports() -> list[FeedEntry]:
    rows = db.session.execute(
        select(ActivityReport, Committee)
        .join(Committee, Committee.id == ActivityReport.committee_id)
        .where(ActivityReport.published_at.is_not(None), Committee.published_at.is_not(None))
        .order_by(ActivityReport.published_at.desc())
        .limit(LIMIT)
    ).all()
    return [
        FeedEntry(
            key=f"report:{committee.slug}:{report.year}",
            title=_(
                "Rapport d'activité %(year)s : %(name)s", year=report.year, name=committee.name_fr
            ),
            path=f"/committees/{committee.slug}/reports/{report.year}",
            summary=committee.name_fr,
            published=report.published_at,
            updated=max(report.updated_at, report.published_at),
        )
        for report, committee in rows
    ]


def _procedures() -> list[FeedEntry]:
    rows = db.session.execute(
        select(WrittenProcedure, Committee)
        .join(Committee, Committee.id == WrittenProcedure.committee_id)
        .where(
            WrittenProcedure.status == ProcedureStatus.PUBLISHED.value,
            Committee.published_at.is_not(None),
        )
        .order_by(WrittenProcedure.published_at.desc())
        .limit(LIMIT)
    ).all()
    return [
        FeedEntry(
            key=f"procedure:{procedure.id}",
            title=_("Avis par consultation écrite : %(title)s", title=procedure.title),
            path=f"/procedures/{procedure.id}",
            summary=f"{committee.name_fr} — {procedure.opinion}",
            published=procedure.published_at,
            updated=max(procedure.updated_at, procedure.published_at),
        )
        for procedure, committee in rows
    ]


def latest_publications(limit: int = LIMIT) -> list[FeedEntry]:
    """The ``limit`` latest publications of every kind, newest first (seven queries)."""
    entries = _decisions() + _agendas() + _minutes() + _calls() + _syntheses() + _reports()
    entries += _procedures()
    entries.sort(key=lambda e: (e.published, e.key), reverse=True)
    return entries[:limit]


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, value: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = value
    return element


def build_feed(
    entries: list[FeedEntry], *, title: str, base_url: str, self_url: str, authority: str
) -> bytes:
    """The Atom document for ``entries``; ids are tag: URIs under ``authority`` (a host
    name the agency owns), so they never change with the site's address."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"tag:{authority},2021:publications")
    _text(feed, "title", title)
    latest = max((e.updated for e in entries), default=datetime(2021, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _iso(latest))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base_url + "/", type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", f"tag:{authority},2021:{entry.key}")
        _text(item, "title", entry.title)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=base_url + entry.path)
        _text(item, "published", _iso(entry.published))
        _text(item, "updated", _iso(entry.updated))
        _text(item, "summary", entry.summary or entry.title, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
