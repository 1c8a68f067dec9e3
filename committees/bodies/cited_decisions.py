"""The decisions bodies' screens cite: the one that created a committee, the one that
appointed a member.

Decisions build on bodies, so bodies never imports them: the decisions domain provides,
from its ``init_app``, the choices a form offers and the lookup of the chosen one. Until
it does, the forms offer no decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DecisionSource:
    """Where the forms find decisions: (id, label) pairs newest first, and one by its id."""

    choices: Callable[[], list[tuple[int, str]]]
    get: Callable[[int], Any]


_source = DecisionSource(choices=list, get=lambda _decision_id: None)


def provide(source: DecisionSource) -> None:
    """Let the forms of committees and mandates offer the decisions of ``source``."""
    global _source
    _source = source


def decision_choices() -> list[tuple[int, str]]:
    """(id, label) of every decision a committee or a mandate may cite, newest first."""
    return _source.choices()


def cited_decision(decision_id: int | None) -> Any:
    """The decision with this id (None for none): what ``Mandate.appointing_decision`` holds."""
    return _source.get(decision_id) if decision_id else None
