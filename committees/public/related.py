"""« En lien avec cette information »: what the public may open next from a committee,
a decision, a session or a call — the committee itself, its decisions, its sessions and
its calls — and the template helpers that show it.

Each kind comes from one bounded query and passes the same publication rules as the
pages it links to (published committees and decisions, public sessions of published
committees, calls that are not drafts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, literal, select, union_all

from committees.bodies.models import Committee
from committees.calls.models import Call
from committees.calls.rules import PUBLIC_STATUSES
from committees.decisions.models import Decision, DecisionEffect
from committees.extensions import db
from committees.meetings.models import Meeting

#: at most this many links of each kind
PER_KIND = 4

KIND_LABELS = {
    "committee": _l("Comité"),
    "decision": _l("Décision"),
    "meeting": _l("Séance"),
    "call": _l("Appel à contributions"),
}


@dataclass(frozen=True)
class RelatedItem:
    """One link of the block: its kind, its title, where it goes, its dates."""

    kind_label: str
    title: str
    url: str
    published_at: datetime | None
    updated_at: datetime | None


def _committee_ids(obj) -> list[int]:
    if isinstance(obj, Committee):
        return [obj.id]
    if isinstance(obj, Meeting | Call):
        return [obj.committee_id]
    if isinstance(obj, Decision):
        return list(
            db.session.scalars(
                select(DecisionEffect.committee_id)
                .where(
                    DecisionEffect.decision_id == obj.id, DecisionEffect.committee_id.is_not(None)
                )
                .distinct()
            )
        )
    return []


def _part(kind: str, key, title, published, updated, query, sort=None):
    # One branch of the UNION: the same six columns for every kind, limited on its own;
    # ``sort`` (a date as text) orders the rows again once the branches are merged.
    columns = (
        cast(sort, String).label("sort") if sort is not None else literal("").label("sort"),
        literal(kind).label("kind"),
        cast(key, String).label("key"),
        title.label("title"),
        published.label("published_at"),
        updated.label("updated_at"),
    )
    return select(query.with_only_columns(*columns).limit(PER_KIND).subquery())


def _parts(ids: list[int], exclude) -> list:
    """The four kinds as UNION branches, each with the rules of its public pages."""
    not_self = {kind: None for kind in KIND_LABELS}
    for kind, model in (("decision", Decision), ("meeting", Meeting), ("call", Call)):
        if isinstance(exclude, model):
            not_self[kind] = exclude.id
    concerned = select(DecisionEffect.decision_id).where(DecisionEffect.committee_id.in_(ids))
    decisions = (
        select(Decision)
        .where(Decision.published_at.is_not(None), Decision.id.in_(concerned))
        .where(Decision.id != (not_self["decision"] or -1))
        .order_by(Decision.signed_on.desc(), Decision.id.desc())
    )
    # Public sessions of published committees: committees.meetings.queries.is_publicly_visible.
    meetings = (
        select(Meeting)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(
            Meeting.committee_id.in_(ids),
            Meeting.is_public.is_(True),
            Committee.published_at.is_not(None),
            Meeting.id != (not_self["meeting"] or -1),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    calls = (
        select(Call)
        .where(Call.committee_id.in_(ids), Call.status.in_(PUBLIC_STATUSES))
        .where(Call.id != (not_self["call"] or -1))
        .order_by(Call.opens_at.desc(), Call.id.desc())
    )
    parts = [
        _part(
            "meeting",
            Meeting.id,
            Meeting.title,
            Meeting.agenda_published_at,
            Meeting.updated_at,
            meetings,
        ),
        _part("call", Call.id, Call.title, Call.published_at, Call.updated_at, calls),
    ]
    # A committee's page lists all its decisions in a section of its own: not twice.
    if not isinstance(exclude, Committee):
        parts.insert(
            0,
            _part(
                "decision",
                Decision.number,
                Decision.title,
                Decision.published_at,
                Decision.updated_at,
                decisions,
            ),
        )
        committees = (
            select(Committee)
            .where(Committee.id.in_(ids), Committee.published_at.is_not(None))
            .order_by(Committee.name_fr)
        )
        parts.insert(
            0,
            _part(
                "committee",
                Committee.slug,
                Committee.name_fr,
                Committee.published_at,
                Committee.updated_at,
                committees,
            ),
        )
    return parts


_URLS = {
    "committee": "/committees/{}",
    "decision": "/decisions/{}",
    "meeting": "/meetings/{}",
    "call": "/calls/{}",
}


def _item(row) -> RelatedItem:
    title = f"n°{row.key} — {row.title}" if row.kind == "decision" else row.title
    return RelatedItem(
        kind_label=str(KIND_LABELS[row.kind]),
        title=title,
        url=_URLS[row.kind].format(row.key),
        published_at=_aware(row.published_at),
        updated_at=_aware(row.updated_at),
    )


def _aware(value):
    # A UNION hands back the engine's raw value: SQLite gives naive UTC or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def related_items(obj) -> list[RelatedItem]:
    """What relates to ``obj`` (a Committee, Decision, Meeting or Call): its committee(s),
    their other published decisions, public sessions and calls. A committee's own page,
    which lists its decisions in full, gets no decisions here. One query (two for a
    decision, whose committees are read first). A template global, registered by
    ``committees.public.init_app``."""
    ids = _committee_ids(obj)
    if not ids:
        return []
    order = {kind: n for n, kind in enumerate(KIND_LABELS)}
    rows = db.session.execute(union_all(*_parts(ids, obj))).all()
    # Latest first within a kind, then the kinds in their order (sorted() is stable).
    rows = sorted(rows, key=lambda row: row.sort, reverse=True)
    return [_item(row) for row in sorted(rows, key=lambda row: order[row.kind])]
