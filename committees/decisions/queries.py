"""What the decision lists and pages read: filters, the committees a decision concerns,
its effects, what a committee's public page shows of its decisions, and the choices of
the forms. Nothing here changes data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee, Mandate, Person
from committees.common.search import LIKE_ESCAPE, contains_pattern
from committees.decisions.models import Decision, DecisionEffect, EffectAction
from committees.extensions import db


def decision_by_number(number: str) -> Decision | None:
    """The decision with this number, or None."""
    return db.session.execute(
        select(Decision).where(Decision.number == number)
    ).scalar_one_or_none()


# --- lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFilter:
    """What the decision list is narrowed to."""

    year: int | None = None
    committee_id: int | None = None
    q: str = ""
    published_only: bool = True


def decisions_query(criteria: DecisionFilter) -> Select:
    """Decisions matching ``criteria``, newest first (number and title search)."""
    query = select(Decision).order_by(Decision.signed_on.desc(), Decision.id.desc())
    if criteria.published_only:
        query = query.where(Decision.published_at.is_not(None))
    if criteria.year:
        query = query.where(extract("year", Decision.signed_on) == criteria.year)
    if criteria.committee_id:
        query = query.where(
            Decision.id.in_(
                select(DecisionEffect.decision_id).where(
                    DecisionEffect.committee_id == criteria.committee_id
                )
            )
        )
    terms = criteria.q.strip()
    if terms:
        # Typed text is matched literally: "_" or "%" in a search are characters, not wildcards.
        pattern = contains_pattern(terms.lower())
        query = query.where(
            or_(
                func.lower(Decision.number).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Decision.title).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    return query


def decision_years(published_only: bool = True) -> list[int]:
    """Years that have decisions, newest first, for the filter."""
    query = select(extract("year", Decision.signed_on)).distinct()
    if published_only:
        query = query.where(Decision.published_at.is_not(None))
    return sorted((int(y) for y in db.session.execute(query).scalars()), reverse=True)


def committees_of(decisions: Sequence[Decision]) -> dict[int, list[Committee]]:
    """The committees each decision concerns, loaded in one query."""
    ids = [d.id for d in decisions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(DecisionEffect.decision_id, Committee)
        .join(Committee, Committee.id == DecisionEffect.committee_id)
        .where(DecisionEffect.decision_id.in_(ids))
        .distinct()
    ).all()
    result: dict[int, list[Committee]] = {i: [] for i in ids}
    for decision_id, committee in rows:
        if committee not in result[decision_id]:
            result[decision_id].append(committee)
    return result


def load_effects(decision: Decision) -> list[DecisionEffect]:
    """A decision's effects with their committees, mandates and persons."""
    return (
        db.session.execute(
            select(DecisionEffect)
            .where(DecisionEffect.decision_id == decision.id)
            .options(
                selectinload(DecisionEffect.committee),
                selectinload(DecisionEffect.mandate).selectinload(Mandate.person),
            )
            .order_by(DecisionEffect.id)
        )
        .scalars()
        .all()
    )


# --- screens --------------------------------------------------------------------------


def secretariat_decisions_query(criteria: DecisionFilter, status: str | None = None) -> Select:
    """Every decision matching ``criteria``; ``status`` "draft" or "published" narrows it."""
    query = decisions_query(replace(criteria, published_only=status == "published"))
    if status == "draft":
        query = query.where(Decision.published_at.is_(None))
    return query


def published_decision_by_number(number: str) -> Decision | None:
    """The published decision with this number, or None (drafts are not public)."""
    decision = decision_by_number(number)
    return decision if decision is not None and decision.is_published else None


def all_persons() -> Sequence[Person]:
    """Every person, by family then given name, for the choice of an appointee."""
    return (
        db.session.execute(select(Person).order_by(Person.last_name, Person.first_name))
        .scalars()
        .all()
    )


def open_mandates(committee: Committee, on: date) -> list[Mandate]:
    """The committee's mandates not ended before ``on`` (those a decision of that day may end)."""
    return list(
        db.session.execute(
            select(Mandate)
            .join(Mandate.person)
            .where(
                Mandate.committee_id == committee.id,
                or_(Mandate.end_date.is_(None), Mandate.end_date >= on),
            )
            .options(selectinload(Mandate.person))
            .order_by(Person.last_name, Person.first_name, Mandate.start_date)
        )
        .scalars()
        .all()
    )


def decision_choices() -> list[tuple[int, str]]:
    """(id, "n°2022-30 du 17/02/2022 — title") of every decision, newest first, in one query."""
    rows = db.session.execute(
        select(Decision.id, Decision.number, Decision.signed_on, Decision.title).order_by(
            Decision.signed_on.desc(), Decision.id.desc()
        )
    )
    return [
        (did, f"n°{number} du {signed_on:%d/%m/%Y} — {title}")
        for did, number, signed_on, title in rows
    ]


def decision_by_id(decision_id: int) -> Decision | None:
    """The decision with this id, or None."""
    return db.session.get(Decision, decision_id)


# --- a committee's public page --------------------------------------------------------


@dataclass(frozen=True)
class Extension:
    """One published extension of a committee: by which decision, from which end to which."""

    decision: Decision
    previous_end_date: date | None
    new_end_date: date | None


def published_extensions(committee: Committee) -> list[Extension]:
    """The committee's extensions by published decisions, oldest first (one query)."""
    rows = db.session.execute(
        select(DecisionEffect, Decision)
        .join(Decision, Decision.id == DecisionEffect.decision_id)
        .where(
            DecisionEffect.committee_id == committee.id,
            DecisionEffect.mandate_id.is_(None),
            DecisionEffect.action == EffectAction.EXTEND_COMMITTEE.value,
            Decision.published_at.is_not(None),
        )
        .order_by(Decision.signed_on, DecisionEffect.id)
    ).all()
    return [
        Extension(decision, effect.previous_end_date, effect.new_end_date)
        for effect, decision in rows
    ]


def published_decisions_of(committee: Committee) -> Sequence[Decision]:
    """The published decisions concerning the committee, newest first (one query)."""
    return (
        db.session.execute(decisions_query(DecisionFilter(committee_id=committee.id)))
        .scalars()
        .all()
    )
