"""What the search index holds of a decision (registered from the domain's ``init_app``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from committees.decisions.models import Decision
from committees.search.registry import DocumentKind, Row, plain_text, register_kind, same_in_both


def decision_rows(decisions: Sequence[Decision]) -> list[Row]:
    """A published decision: its official heading and its summary."""
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
        rows += same_in_both("decision", decision.id, title, body, url, decision.published_at)
    return rows


def register() -> None:
    """Add decisions to the search index."""
    register_kind(
        DocumentKind(
            name="decision",
            label=_l("Décision"),
            model=Decision,
            rows=decision_rows,
            sources={Decision: lambda decision: decision.id},
        )
    )
