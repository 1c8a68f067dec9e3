"""What the search index holds of a call and of its consultation synthesis (registered from
the domain's ``init_app``): never a contribution without its authors' consent."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from committees.calls.models import Call, CallSynthesis, SynthesisExcerpt
from committees.calls.rules import is_public
from committees.calls.synthesis.services import ANCHOR, public_excerpts
from committees.search.registry import DocumentKind, Row, plain_text, register_kind, same_in_both


def call_rows(calls: Sequence[Call]) -> list[Row]:
    """A public call: its reference, text, themes and hearing offer."""
    rows = []
    for call in calls:
        if not is_public(call):
            continue
        parts = [call.reference, plain_text(call.body), call.themes, call.hearing_offer]
        body = " ".join(p for p in parts if p)
        url = f"/calls/{call.id}"
        rows += same_in_both("call", call.id, call.title, body, url, call.published_at)
    return rows


def synthesis_rows(syntheses: Sequence[CallSynthesis]) -> list[Row]:
    """The published synthesis of a public call, with its public excerpts."""
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
        rows += same_in_both("synthesis", synthesis.id, title, body, url, synthesis.published_at)
    return rows


def _calls_of_committees(session: Session, committee_ids: set[int]) -> list[int]:
    # A committee's publication decides its calls'.
    return list(session.scalars(select(Call.id).where(Call.committee_id.in_(committee_ids))))


def _syntheses_of_calls(session: Session, call_ids: set[int]) -> list[int]:
    query = select(CallSynthesis.id).where(CallSynthesis.call_id.in_(call_ids))
    return list(session.scalars(query))


def register() -> None:
    """Add calls and their syntheses to the search index."""
    register_kind(
        DocumentKind(
            name="call",
            label=_l("Appel à contributions"),
            model=Call,
            rows=call_rows,
            sources={Call: lambda call: call.id},
            carried_by={"committee": _calls_of_committees},
        )
    )
    register_kind(
        DocumentKind(
            name="synthesis",
            label=_l("Synthèse de consultation"),
            model=CallSynthesis,
            rows=synthesis_rows,
            options=lambda: (selectinload(CallSynthesis.call),),
            sources={
                CallSynthesis: lambda synthesis: synthesis.id,
                SynthesisExcerpt: lambda excerpt: excerpt.synthesis_id,
            },
            carried_by={"call": _syntheses_of_calls},
        )
    )
