"""What the public reads of the minutes, assembled from rows, never from headings.

The public text (page, PDF, search index; the API, the feed and the e-mails to followers
only link to it) is built from the sections of the latest revision: the opening, the
attendance, the section of each *public* item under a heading made from the item, and the
closing. A closed (huis clos) item gives only "Point examiné à huis clos" and the outcome
the secretariat marked publishable (``MinutesSection.public_outcome``); its text, its
title and any unplaced text are never read here. Whatever a section's text contains
(headings, numbers, titles), it cannot move text across that line, and a reorder or a
rename of the items after publication changes nothing to it. The titles of closed items
typed elsewhere are still replaced, as a second guard.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from committees.extensions import db
from committees.meetings.minutes.sections import Section, ordered_sections, sections_of
from committees.meetings.models import (
    AgendaItem,
    Minutes,
    MinutesRevision,
    MinutesSection,
    SectionKind,
)


def items_by_meeting(meeting_ids: list[int]) -> dict[int, list[AgendaItem]]:
    """The items of each of ``meeting_ids`` in their current order, in one query."""
    by_meeting: dict[int, list[AgendaItem]] = {meeting_id: [] for meeting_id in meeting_ids}
    if not meeting_ids:
        return by_meeting
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id.in_(meeting_ids))
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    for item in items:
        by_meeting[item.meeting_id].append(item)
    return by_meeting


def public_text(
    minutes: Minutes,
    revision: MinutesRevision,
    items: list[AgendaItem] | None = None,
    rows: list[MinutesSection] | None = None,
) -> str:
    """The Markdown of ``revision`` as the public may read it.

    ``items`` (the session's items) and ``rows`` (the revision's sections) are given when
    the caller loaded them for many minutes at once; else they are read here.
    """
    if items is None:
        items = items_by_meeting([minutes.meeting_id])[minutes.meeting_id]
    sections = sections_of(revision, items) if rows is None else ordered_sections(rows, items)
    return assemble_public(sections)


def assemble_public(sections: list[Section]) -> str:
    """The public Markdown of ``sections`` (see the module's docstring)."""
    closed_titles = {
        s.item.title.strip()
        for s in sections
        if s.kind == SectionKind.ITEM and s.item is not None and not s.is_public
    }
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        label = _("Point examiné à huis clos")
        parts: list[str] = []
        agenda_started = False
        for section in sections:
            if section.kind == SectionKind.ITEM:
                if section.item is None:
                    continue  # the section of a deleted item: never public
                if not agenda_started:
                    parts.append("## " + _("Ordre du jour"))
                    agenda_started = True
                if section.is_public:
                    parts += [f"### {section.item.position}. {section.item.title}", section.body]
                else:
                    parts += [f"### {section.item.position}. {label}", section.public_outcome]
            elif section.is_public and section.body.strip():
                if section.kind != SectionKind.OPENING:
                    parts.append(f"## {section.label}")
                parts.append(section.body)
        text = "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"
    # Longest first, so that a title containing another is replaced whole.
    for title in sorted((t for t in closed_titles if t), key=len, reverse=True):
        text = re.sub(re.escape(title), label.lower(), text, flags=re.IGNORECASE)
    return text


def outcome_text(item: AgendaItem) -> str:
    """The outcome of a closed item's vote as the agency publishes it by default (verdict
    and counts), to prefill ``public_outcome``; empty without a vote."""
    vote = item.vote
    if vote is None:
        return ""
    verdict = _("Avis adopté.") if vote.adopted else _("Avis non adopté.")
    counts = _(
        "pour : %(for)s, contre : %(against)s, abstentions : %(abstain)s.",
        **{"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.abstentions},
    )
    return f"**{verdict}** {counts}"
