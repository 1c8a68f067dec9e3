"""What the public reads of the minutes: closed (huis clos) items reduced to their number.

The minutes are one Markdown text that the secretariat edits freely; the prefill heads each
item's section with ``### <position>. <title>``. For the public page, the PDF and the search
index, the section of every closed item is replaced by "Point examiné à huis clos" and the
outcome of its vote (adopted or not, and the counts), which is what the agency publishes of
a closed debate. Whatever the secretariat typed elsewhere, the closed titles never leave:
any remaining occurrence is replaced too.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.extensions import db
from committees.meetings.models import AgendaItem, Minutes, MinutesRevision

_ITEM_HEADING = re.compile(r"^###\s+(\d+)\.\s")
_ANY_HEADING = re.compile(r"^#{1,3}\s")


def closed_items_by_meeting(meeting_ids: list[int]) -> dict[int, list[AgendaItem]]:
    """The closed items of each of ``meeting_ids``, with their votes, in one query."""
    by_meeting: dict[int, list[AgendaItem]] = {meeting_id: [] for meeting_id in meeting_ids}
    if not meeting_ids:
        return by_meeting
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id.in_(meeting_ids), AgendaItem.is_public.is_(False))
        .options(selectinload(AgendaItem.vote))
    )
    for item in items:
        by_meeting[item.meeting_id].append(item)
    return by_meeting


def public_text(
    minutes: Minutes, revision: MinutesRevision, closed: list[AgendaItem] | None = None
) -> str:
    """The text of ``revision`` as the public may read it (closed items reduced).

    ``closed`` are the session's closed items when the caller loaded them for many
    minutes at once (``closed_items_by_meeting``); else they are read here.
    """
    if closed is None:
        closed = closed_items_by_meeting([minutes.meeting_id])[minutes.meeting_id]
    if not closed:
        return revision.body
    by_position = {item.position: item for item in closed}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        label = _("Point examiné à huis clos")
        lines = _replace_sections(revision.body.splitlines(), by_position, label)
    text = "\n".join(lines)
    # Longest first, so that a title containing another is replaced whole.
    for title in sorted({item.title for item in closed if item.title.strip()}, key=len)[::-1]:
        text = re.sub(re.escape(title), label.lower(), text, flags=re.IGNORECASE)
    return text


def _replace_sections(lines: list[str], closed: dict[int, AgendaItem], label: str) -> list[str]:
    out: list[str] = []
    skipping = False
    for line in lines:
        heading = _ITEM_HEADING.match(line)
        if heading or _ANY_HEADING.match(line):
            skipping = False
        if heading and int(heading.group(1)) in closed:
            item = closed[int(heading.group(1))]
            out += [f"### {item.position}. {label}", "", *_outcome(item)]
            skipping = True
            continue
        if not skipping:
            out.append(line)
    return out


def _outcome(item: AgendaItem) -> list[str]:
    vote = item.vote
    if vote is None:
        return []
    verdict = _("Avis adopté.") if vote.adopted else _("Avis non adopté.")
    counts = _(
        "pour : %(for)s, contre : %(against)s, abstentions : %(abstain)s.",
        **{"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.abstentions},
    )
    return [f"**{verdict}** {counts}", ""]
