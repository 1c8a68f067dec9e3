"""The consultation synthesis of a closed call: counts, hearings, skeleton, excerpts, publication.

Counts are never stored: they are computed from the contributions at each read. An excerpt
may only quote a contribution whose authors consented to publication, in a call that allows
publication, and that was not withdrawn (``_quotable``); the same rule filters the
excerpts again when they are read, so a later change can never leak one.

Functions change the session and flush; the caller commits, or rolls back on ``CallError``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from committees.calls.labels import CONTRIBUTION_STATUS_LABELS, CONTRIBUTOR_KIND_LABELS
from committees.calls.models import (
    Call,
    CallSynthesis,
    Contribution,
    ContributionStatus,
    ContributorKind,
    SynthesisExcerpt,
)
from committees.calls.rules import (
    CallError,
    actual_close,
    call_themes,
    is_past,
    is_public,
    paris_date_time,
)
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.follows import events as follow_events
from committees.meetings.models import AgendaItem, Hearing, HearingStatus

#: longest synthesis text and excerpt accepted
MAX_BODY = 100_000
MAX_EXCERPT = 3_000
#: the outcomes a synthesis reports, in the order shown
OUTCOMES = (
    ContributionStatus.SUBMITTED,
    ContributionStatus.ELIGIBLE,
    ContributionStatus.OFF_TOPIC,
    ContributionStatus.SELECTED,
)
#: the anchor of the synthesis on the call's public page
ANCHOR = "synthese"


@dataclass(frozen=True)
class SynthesisCounts:
    """What a call received, withdrawn contributions counted apart."""

    total: int
    withdrawn: int
    by_kind: tuple[tuple[str, int], ...]
    by_theme: tuple[tuple[str, int], ...]
    by_outcome: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class PublicExcerpt:
    """What the public reads of an excerpt: the organisation, its kind and the passage."""

    contribution_id: int
    organisation: str
    organisation_kind: str
    excerpt: str


def can_write(call: Call, now: datetime | None = None) -> bool:
    """Whether the secretariat may write the synthesis: only once the call is closed."""
    return is_past(call, now)


def ensure_closed(call: Call, now: datetime | None = None) -> None:
    """Refuse, with the deadline in Paris time, while the call still accepts contributions."""
    if can_write(call, now):
        return
    day, time = paris_date_time(call.closes_at)
    raise CallError(
        _(
            "La synthèse ne peut être rédigée qu'une fois l'appel clos (date limite : "
            "%(date)s à %(time)s, heure de Paris).",
            date=day,
            time=time,
        )
    )


def compute_counts(call: Call) -> SynthesisCounts:
    """The counts of ``call``'s contributions by kind, theme and outcome (one query)."""
    rows = db.session.execute(
        select(Contribution.organisation_kind, Contribution.status, Contribution.themes).where(
            Contribution.call_id == call.id
        )
    ).all()
    counted = [r for r in rows if r.status != ContributionStatus.WITHDRAWN.value]
    kinds = Counter(r.organisation_kind for r in counted)
    statuses = Counter(r.status for r in counted)
    themes = Counter(theme for r in counted for theme in dict.fromkeys(r.themes or ()))
    theme_order = call_themes(call) + sorted(set(themes) - set(call_themes(call)))
    return SynthesisCounts(
        total=len(counted),
        withdrawn=len(rows) - len(counted),
        by_kind=tuple((k.value, kinds[k.value]) for k in ContributorKind if kinds[k.value]),
        by_theme=tuple((t, themes[t]) for t in theme_order),
        by_outcome=tuple((s.value, statuses[s.value]) for s in OUTCOMES),
    )


def call_hearings(call: Call) -> list[Hearing]:
    """The hearings that followed the call: those its contributions led to, and those of
    its session whose organisation is one of its contributors; by slot."""
    linked = select(Contribution.hearing_id).where(
        Contribution.call_id == call.id, Contribution.hearing_id.is_not(None)
    )
    conditions = [Hearing.id.in_(linked)]
    if call.meeting_id is not None:
        names = db.session.scalars(
            select(Contribution.organisation).where(
                Contribution.call_id == call.id,
                Contribution.status != ContributionStatus.WITHDRAWN.value,
            )
        ).all()
        folded = {name.casefold() for name in names}
        on_session = db.session.scalars(
            select(Hearing)
            .join(AgendaItem, AgendaItem.id == Hearing.item_id)
            .where(AgendaItem.meeting_id == call.meeting_id)
        ).all()
        matching = [h.id for h in on_session if h.organisation.casefold() in folded]
        conditions.append(Hearing.id.in_(matching))
    return list(
        db.session.scalars(
            select(Hearing)
            .where(or_(*conditions))
            .options(selectinload(Hearing.item).selectinload(AgendaItem.meeting))
            .order_by(Hearing.slot_start, Hearing.id)
        )
    )


def _quotable(query: Select) -> Select:
    """``query`` on contributions narrowed to those an excerpt may quote."""
    return query.join(Call, Call.id == Contribution.call_id).where(
        Call.contributions_publishable.is_(True),
        Contribution.consent_publication.is_(True),
        Contribution.status != ContributionStatus.WITHDRAWN.value,
    )


def quotable_contributions(call: Call) -> list[Contribution]:
    """The contributions of ``call`` a synthesis may quote, by receipt number."""
    return list(
        db.session.scalars(
            _quotable(select(Contribution))
            .where(Contribution.call_id == call.id)
            .order_by(Contribution.receipt_number)
        )
    )


def synthesis_of(call: Call) -> CallSynthesis | None:
    """The synthesis of ``call`` (draft or published), its excerpts loaded, or None."""
    return db.session.execute(
        select(CallSynthesis)
        .where(CallSynthesis.call_id == call.id)
        .options(selectinload(CallSynthesis.excerpts))
    ).scalar_one_or_none()


def _bullets(pairs) -> list[str]:
    return [f"- {label} : {count}" for label, count in pairs] or ["- aucune"]


def skeleton(call: Call) -> str:
    """The French Markdown text the secretariat starts from: participation, kinds, themes,
    outcomes and hearings, computed now; the lessons are left to write."""
    counts = compute_counts(call)
    opened, _time = paris_date_time(call.opens_at)
    closed, _time = paris_date_time(actual_close(call))
    with force_locale("fr"):
        kinds = [(str(CONTRIBUTOR_KIND_LABELS[ContributorKind(k)]), n) for k, n in counts.by_kind]
        outcomes = [
            (str(CONTRIBUTION_STATUS_LABELS[ContributionStatus(s)]), n)
            for s, n in counts.by_outcome
        ]
    # A declined invitation is no hearing that followed.
    hearings = [
        f"- {h.organisation} — séance du {paris_date_time(h.item.meeting.starts_at)[0]}"
        for h in call_hearings(call)
        if h.status not in (HearingStatus.DECLINED, HearingStatus.NOT_HELD)
    ] or ["- aucune audition"]
    received = f"{counts.total} contribution" + ("s" if counts.total > 1 else "")
    withdrawn = ""
    if counts.withdrawn == 1:
        withdrawn = " (et 1 retirée par ses auteurs)"
    elif counts.withdrawn:
        withdrawn = f" (et {counts.withdrawn} retirées par leurs auteurs)"
    lines = [
        f"## Synthèse de la consultation {call.reference}",
        "",
        f"L'appel « {call.title} », ouvert du {opened} au {closed}, a reçu {received}{withdrawn}.",
        "",
        "### Contributeurs",
        *_bullets(kinds),
        "",
        "### Thèmes abordés",
        *_bullets(counts.by_theme),
        "",
        "### Suites données",
        *_bullets(outcomes),
        "",
        "### Auditions",
        *hearings,
        "",
        "### Principaux enseignements",
        "",
        "À rédiger.",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ExcerptChoice:
    """One excerpt as the secretariat chose it."""

    contribution_id: int
    excerpt: str
    position: int


def _clean_choices(call: Call, choices: list[ExcerptChoice]) -> list[ExcerptChoice]:
    allowed = {c.id: c for c in quotable_contributions(call)}
    cleaned = []
    for choice in choices:
        contribution = allowed.get(choice.contribution_id)
        if contribution is None:
            raise CallError(
                _(
                    "Seules les contributions dont les auteurs ont consenti à la publication "
                    "peuvent être citées."
                )
            )
        text = choice.excerpt.strip()
        if not text:
            raise CallError(
                _(
                    "Indiquez l'extrait cité de la contribution %(receipt)s.",
                    receipt=contribution.receipt,
                )
            )
        if len(text) > MAX_EXCERPT:
            raise CallError(
                _(
                    "L'extrait de la contribution %(receipt)s dépasse %(max)d caractères.",
                    receipt=contribution.receipt,
                    max=MAX_EXCERPT,
                )
            )
        cleaned.append(ExcerptChoice(contribution.id, text, choice.position))
    # A contribution is quoted once: the last excerpt given for it counts.
    cleaned = list({c.contribution_id: c for c in cleaned}.values())
    # Positions are renumbered 1..n in the order asked, receipt order breaking ties.
    return sorted(cleaned, key=lambda c: (c.position, c.contribution_id))


def save_draft(
    call: Call, body: str, choices: list[ExcerptChoice], now: datetime | None = None
) -> CallSynthesis:
    """Save the synthesis text and its excerpts (replacing the earlier ones); refuses
    before the call closes and any excerpt of a contribution that may not be quoted."""
    ensure_closed(call, now)
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise CallError(_("La synthèse dépasse %(max)d caractères.", max=MAX_BODY), "body")
    cleaned = _clean_choices(call, choices)
    synthesis = synthesis_of(call)
    if synthesis is None:
        synthesis = CallSynthesis(call=call)
        db.session.add(synthesis)
    synthesis.body = body
    synthesis.updated_at = utcnow()
    # An excerpt of a contribution already quoted is updated in place: replacing it by a
    # new row would insert before the old one is deleted, and PostgreSQL checks the
    # one-excerpt-per-contribution constraint row by row (uq_synthesis_excerpts_quoted).
    kept = {e.contribution_id: e for e in synthesis.excerpts}
    excerpts = []
    for n, choice in enumerate(cleaned, start=1):
        excerpt = kept.pop(choice.contribution_id, None) or SynthesisExcerpt(
            contribution_id=choice.contribution_id
        )
        excerpt.excerpt, excerpt.position = choice.excerpt, n
        excerpts.append(excerpt)
    synthesis.excerpts = excerpts
    db.session.flush()
    return synthesis


def public_address(call: Call) -> str:
    """The synthesis's absolute address: its section of the call's public page."""
    return public_url("public_calls.detail", call_id=call.id) + f"#{ANCHOR}"


def publish_synthesis(synthesis: CallSynthesis, now: datetime | None = None) -> None:
    """Publish a saved synthesis and tell the call's followers (once per call)."""
    call = synthesis.call
    ensure_closed(call, now)
    if not is_public(call):
        raise CallError(_("Publiez d'abord l'appel : sa synthèse ne peut pas le précéder."))
    if not synthesis.body.strip():
        raise CallError(_("Rédigez la synthèse avant de la publier."), "body")
    if synthesis.published_at is None:
        synthesis.published_at = now or utcnow()
    db.session.flush()
    follow_events.synthesis_published(call, public_address(call))


def unpublish_synthesis(synthesis: CallSynthesis) -> None:
    """Take the synthesis off the public site (it stays as a draft)."""
    synthesis.published_at = None
    db.session.flush()


def published_synthesis(call: Call) -> CallSynthesis | None:
    """The synthesis the public may read for ``call``, or None (draft, or call not public)."""
    if not is_public(call):
        return None
    synthesis = synthesis_of(call)
    if synthesis is None or synthesis.published_at is None:
        return None
    return synthesis


def public_excerpts(synthesis: CallSynthesis) -> list[PublicExcerpt]:
    """The excerpts of ``synthesis`` the public may read, in order; one query."""
    rows = db.session.execute(
        _quotable(select(SynthesisExcerpt, Contribution).join(Contribution))
        .where(SynthesisExcerpt.synthesis_id == synthesis.id)
        .order_by(SynthesisExcerpt.position)
    ).all()
    return [PublicExcerpt(c.id, c.organisation, c.organisation_kind, e.excerpt) for e, c in rows]
