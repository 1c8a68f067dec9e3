"""What the search index holds of each public object, built from the domains' own
visibility rules (never re-derived here), and how rows are rebuilt.

Only public fields enter the index: never a remote link, a draft, a closed agenda item,
a contribution or a contact person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from committees.common.markdown import render_markdown
from committees.search.models import SearchDocument

#: the kinds of documents, in the order results are grouped
KINDS = ("committee", "decision", "meeting", "minutes", "call", "synthesis", "report")

KIND_LABELS = {
    "committee": _l("Comité"),
    "decision": _l("Décision"),
    "meeting": _l("Séance"),
    "minutes": _l("Compte rendu"),
    "call": _l("Appel à contributions"),
    "synthesis": _l("Synthèse de consultation"),
    "report": _l("Rapport d'activité"),
}

#: the languages a document is written for
LOCALES = ("fr", "en")

#: characters the snippets use as highlight markers; removed from the indexed text
MARK_START = "\ue000"
MARK_END = "\ue001"

_TAGS = re.compile(r"<[^>]+>")

Key = tuple[str, int]


def plain_text(markdown: str | None) -> str:
    """The words of a Markdown text, without its markup."""
    html = str(render_markdown(markdown or ""))
    text = unescape(_TAGS.sub(" ", html))
    return " ".join(text.replace(MARK_START, "").replace(MARK_END, "").split())


def _row(kind: str, object_id: int, locale: str, title: str, body: str, url: str, published):
    return {
        "kind": kind,
        "object_id": object_id,
        "locale": locale,
        "title": " ".join(title.split())[:500],
        "body": body,
        "url": url,
        "published_at": published,
    }


def _same_in_both(kind, object_id, title, body, url, published) -> list[dict]:
    # Decisions, sessions, minutes and calls are written in French only.
    return [_row(kind, object_id, loc, title, body, url, published) for loc in LOCALES]


def _committee_rows(committees) -> list[dict]:
    rows = []
    for committee in committees:
        if committee.published_at is None:
            continue
        for locale in LOCALES:
            name = committee.name(locale)
            title = f"{name} ({committee.acronym})" if committee.acronym else name
            body = " ".join(
                part
                for part in (plain_text(committee.mission(locale)), committee.meeting_cadence)
                if part
            )
            url = f"/committees/{committee.slug}"
            rows.append(
                _row("committee", committee.id, locale, title, body, url, committee.published_at)
            )
    return rows


def _decision_rows(decisions) -> list[dict]:
    rows = []
    for decision in decisions:
        if decision.published_at is None:
            continue
        # The official heading, so that "décision 2022-30" and "17/02/2022" find it.
        title = (
            f"Décision DG n° {decision.number} du {decision.signed_on:%d/%m/%Y} — {decision.title}"
        )
        body = plain_text(decision.summary)
        url = f"/decisions/{decision.number}"
        rows += _same_in_both("decision", decision.id, title, body, url, decision.published_at)
    return rows


def _meeting_rows(meetings) -> list[dict]:
    from committees.meetings.queries import is_publicly_visible

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
        rows += _same_in_both("meeting", meeting.id, meeting.title, body, url, published)
    return rows


def _minutes_rows(minutes_list) -> list[dict]:
    from committees.meetings.minutes.public_text import closed_items_by_meeting, public_text
    from committees.meetings.minutes.services import can_view_publicly

    rows = []
    shown = [m for m in minutes_list if can_view_publicly(m) and m.revisions]
    closed = closed_items_by_meeting([m.meeting_id for m in shown])
    for minutes in shown:
        meeting = minutes.meeting
        latest = max(minutes.revisions, key=lambda revision: revision.number)
        body = plain_text(public_text(minutes, latest, closed[minutes.meeting_id]))
        url = f"/meetings/{meeting.id}/minutes"
        title = f"{meeting.title} — {meeting.committee.name_fr}"
        rows += _same_in_both("minutes", minutes.id, title, body, url, minutes.published_at)
    return rows


def _call_rows(calls) -> list[dict]:
    from committees.calls.rules import is_public

    rows = []
    for call in calls:
        if not is_public(call):
            continue
        parts = [call.reference, plain_text(call.body), call.themes, call.hearing_offer]
        body = " ".join(p for p in parts if p)
        url = f"/calls/{call.id}"
        rows += _same_in_both("call", call.id, call.title, body, url, call.published_at)
    return rows


def _synthesis_rows(syntheses) -> list[dict]:
    from committees.calls.rules import is_public
    from committees.calls.synthesis.services import ANCHOR, public_excerpts

    rows = []
    for synthesis in syntheses:
        call = synthesis.call
        if synthesis.published_at is None or not is_public(call):
            continue
        # Excerpts through the calls rule: never a contribution without its authors' consent.
        quoted = [f"{e.organisation} : {e.excerpt}" for e in public_excerpts(synthesis)]
        body = " ".join([plain_text(synthesis.body), *quoted])
        title = f"Synthèse de la consultation {call.reference} — {call.title}"
        url = f"/calls/{call.id}#{ANCHOR}"
        rows += _same_in_both("synthesis", synthesis.id, title, body, url, synthesis.published_at)
    return rows


def _report_rows(reports) -> list[dict]:
    rows = []
    for report in reports:
        committee = report.committee
        if report.published_at is None or committee.published_at is None:
            continue
        title = f"Rapport d'activité {report.year} — {committee.name_fr}"
        body = " ".join(p for p in (committee.name_fr, plain_text(report.foreword)) if p)
        url = f"/committees/{committee.slug}/reports/{report.year}"
        rows += _same_in_both("report", report.id, title, body, url, report.published_at)
    return rows


def _load(session: Session, kind: str, ids: set[int]) -> list:
    from committees.bodies.models import Committee
    from committees.calls.models import Call, CallSynthesis
    from committees.decisions.models import Decision
    from committees.meetings.models import Meeting, Minutes
    from committees.reports.models import ActivityReport

    models = {
        "committee": (Committee, ()),
        "decision": (Decision, ()),
        "meeting": (Meeting, (selectinload(Meeting.committee), selectinload(Meeting.items))),
        "minutes": (
            Minutes,
            (
                selectinload(Minutes.meeting).selectinload(Meeting.committee),
                selectinload(Minutes.revisions),
            ),
        ),
        "call": (Call, ()),
        "synthesis": (CallSynthesis, (selectinload(CallSynthesis.call),)),
        "report": (ActivityReport, (selectinload(ActivityReport.committee),)),
    }
    model, options = models[kind]
    query = select(model).options(*options)
    if ids:
        query = query.where(model.id.in_(ids))
    return list(session.execute(query).scalars())


_BUILDERS = {
    "committee": _committee_rows,
    "decision": _decision_rows,
    "meeting": _meeting_rows,
    "minutes": _minutes_rows,
    "call": _call_rows,
    "synthesis": _synthesis_rows,
    "report": _report_rows,
}


def expand(session: Session, keys: Iterable[Key]) -> dict[str, set[int]]:
    """The objects whose documents depend on the changed ``keys``: a committee's sessions,
    minutes, calls and reports follow it (its publication decides theirs); minutes follow
    their session; a call's synthesis follows the call."""
    from committees.calls.models import Call, CallSynthesis
    from committees.meetings.models import Meeting, Minutes
    from committees.reports.models import ActivityReport

    by_kind: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for kind, object_id in keys:
        by_kind[kind].add(object_id)
    if by_kind["committee"]:
        committee_ids = by_kind["committee"]
        by_kind["meeting"] |= set(
            session.scalars(select(Meeting.id).where(Meeting.committee_id.in_(committee_ids)))
        )
        by_kind["call"] |= set(
            session.scalars(select(Call.id).where(Call.committee_id.in_(committee_ids)))
        )
        by_kind["report"] |= set(
            session.scalars(
                select(ActivityReport.id).where(ActivityReport.committee_id.in_(committee_ids))
            )
        )
    if by_kind["call"]:
        by_kind["synthesis"] |= set(
            session.scalars(
                select(CallSynthesis.id).where(CallSynthesis.call_id.in_(by_kind["call"]))
            )
        )
    if by_kind["meeting"]:
        by_kind["minutes"] |= set(
            session.scalars(select(Minutes.id).where(Minutes.meeting_id.in_(by_kind["meeting"])))
        )
    return by_kind


def rebuild(session: Session, by_kind: dict[str, set[int]]) -> None:
    """Replace the documents of the given objects by what their current state allows."""
    connection = session.connection()
    table = SearchDocument.__table__
    for kind, ids in by_kind.items():
        if not ids:
            continue
        connection.execute(delete(table).where(table.c.kind == kind, table.c.object_id.in_(ids)))
        rows = _BUILDERS[kind](_load(session, kind, ids))
        if rows:
            connection.execute(insert(table), rows)


def rebuild_all(session: Session) -> int:
    """Empty the index and build it again from every object; returns the number of rows."""
    connection = session.connection()
    connection.execute(delete(SearchDocument.__table__))
    count = 0
    for kind in KINDS:
        rows = _BUILDERS[kind](_load(session, kind, set()))
        if rows:
            connection.execute(insert(SearchDocument.__table__), rows)
        count += len(rows)
    return count
