"""The sections of one revision of the minutes, in reading order.

A revision is made of rows (``MinutesSection``): the opening, the attendance, one section
per agenda item (linked to the item, not to a heading), the closing, and possibly text
the conversion of the old one-text minutes could not attribute ("à placer"). Each section
is known in forms by a stable key: ``opening``, ``attendance``, ``item-<item id>``,
``closing``, ``unplaced``, ``orphan-<section id>`` (the section of a deleted item).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from committees.extensions import db
from committees.meetings.models import AgendaItem, MinutesRevision, MinutesSection, SectionKind

#: the headings of the sections that are not an item's
SECTION_LABELS = {
    SectionKind.OPENING.value: _l("Ouverture"),
    SectionKind.ATTENDANCE.value: _l("Participants"),
    SectionKind.CLOSING.value: _l("Clôture"),
    SectionKind.UNPLACED.value: _l("Texte à placer (jamais publié)"),
}

#: sections before the items, and after them
HEAD = (SectionKind.OPENING.value, SectionKind.ATTENDANCE.value)
TAIL = (SectionKind.CLOSING.value,)


@dataclass
class Section:
    """One section as pages and forms use it."""

    key: str
    kind: str
    item: AgendaItem | None
    body: str = ""
    public_outcome: str = ""
    row_id: int | None = None  # None when the revision has no row for it yet

    @property
    def is_public(self) -> bool:
        """The opening, attendance and closing, and the sections of public items; never an
        unplaced text nor the section of a closed or deleted item."""
        if self.kind == SectionKind.ITEM:
            return self.item is not None and self.item.is_public
        return self.kind != SectionKind.UNPLACED

    @property
    def label(self) -> str:
        """Its heading for the secretariat and the members."""
        if self.kind == SectionKind.ITEM:
            if self.item is None:
                return str(_l("Point retiré de l'ordre du jour (jamais publié)"))
            return f"{self.item.position}. {self.item.title}"
        return str(SECTION_LABELS[self.kind])


def section_key(kind: str, item_id: int | None = None, row_id: int | None = None) -> str:
    """The form key of a section (see the module's docstring)."""
    if kind == SectionKind.ITEM:
        return f"item-{item_id}" if item_id is not None else f"orphan-{row_id}"
    return kind


def meeting_items(meeting_id: int) -> list[AgendaItem]:
    """The session's items in their current order."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def revision_rows(revision: MinutesRevision) -> list[MinutesSection]:
    """The rows of ``revision`` (one query)."""
    return list(
        db.session.scalars(
            select(MinutesSection)
            .where(MinutesSection.revision_id == revision.id)
            .order_by(MinutesSection.id)
        )
    )


def ordered_sections(rows: list[MinutesSection], items: list[AgendaItem]) -> list[Section]:
    """Every section in reading order: opening, attendance, one per item of ``items`` (in
    the items' current order; empty when the revision has none for it), closing, then the
    sections of deleted items and the unplaced text (only when they hold text)."""
    by_key: dict[str, MinutesSection] = {}
    for row in rows:
        by_key.setdefault(section_key(row.kind, row.item_id, row.id), row)

    def make(kind: str, item: AgendaItem | None = None, key: str | None = None) -> Section:
        key = key or section_key(kind, item.id if item is not None else None)
        row = by_key.get(key)
        if row is None:
            return Section(key, kind, item)
        return Section(key, kind, item, row.body, row.public_outcome, row.id)

    result = [make(kind) for kind in HEAD]
    result += [make(SectionKind.ITEM.value, item) for item in items]
    result += [make(kind) for kind in TAIL]
    for key, row in by_key.items():
        if key.startswith("orphan-") and row.body.strip():
            result.append(make(SectionKind.ITEM.value, None, key))
    unplaced = make(SectionKind.UNPLACED.value)
    if unplaced.body.strip():
        result.append(unplaced)
    return result


def sections_of(revision: MinutesRevision, items: list[AgendaItem] | None = None) -> list[Section]:
    """The sections of ``revision`` in reading order (items read here when not given)."""
    if items is None:
        items = meeting_items(revision.minutes.meeting_id)
    return ordered_sections(revision_rows(revision), items)


def _clean(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def next_rows(
    current: list[Section], texts: Mapping[str, str], outcomes: Mapping[str, str]
) -> list[MinutesSection]:
    """The rows of a new revision: each section of ``current`` with its text from
    ``texts`` and its publishable outcome from ``outcomes`` (by key; unchanged when not
    named). An unplaced text, or a deleted item's section, once emptied is dropped: the
    secretariat placed it."""
    rows = []
    for section in current:
        body = _clean(texts.get(section.key, section.body))
        outcome = _clean(outcomes.get(section.key, section.public_outcome))
        placed = section.kind == SectionKind.UNPLACED or (
            section.kind == SectionKind.ITEM and section.item is None
        )
        if placed and not body:
            continue
        rows.append(
            MinutesSection(
                kind=section.kind,
                item_id=section.item.id if section.item is not None else None,
                body=body,
                public_outcome=outcome if section.kind == SectionKind.ITEM else "",
            )
        )
    return rows


def full_text(sections: list[Section]) -> str:
    """The whole text, closed items included, as the secretariat and the members read it."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        parts: list[str] = []
        agenda_started = False
        for section in sections:
            if section.kind == SectionKind.ITEM and not agenda_started:
                parts.append("## " + _("Ordre du jour"))
                agenda_started = True
            if section.kind == SectionKind.ITEM:
                status = _("point public") if section.is_public else _("huis clos")
                parts.append(f"### {section.label} ({status})")
                parts += [section.body]
                if not section.is_public and section.public_outcome.strip():
                    parts.append(
                        _("**Issue rendue publique :** %(text)s", text=section.public_outcome)
                    )
            elif section.body.strip():
                if section.kind != SectionKind.OPENING:
                    parts.append(f"## {section.label}")
                parts.append(section.body)
    return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"
