"""Operations on decisions: numbering, publication, recording their effects.

Recording a decision's effect changes the committees and mandates it names and keeps
the history (previous and new end dates) in ``decision_effects``. What the lists and
pages read is ``committees.decisions.queries``; the signed PDF is
``committees.decisions.signed_pdf``. Functions flush; the caller commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from committees.bodies.models import Committee, Mandate
from committees.bodies.rules import BodiesError
from committees.bodies.services import MandateLine, add_mandate, end_mandate
from committees.common.timeutils import utcnow
from committees.decisions.models import Decision, DecisionEffect, DecisionKind, EffectAction
from committees.extensions import db
from committees.follows import events as follow_events

_NUMBER = re.compile(r"(?P<year>\d{4})-(?P<seq>[1-9]\d{0,3})")


class DecisionError(ValueError):
    """A rule about decisions was broken; the message is for the person."""


def check_number(number: str, signed_on: date | None, *, current: Decision | None = None) -> str:
    """Validate a decision number and return it cleaned.

    The form is ``YYYY-NN`` (« 2022-30 »): four-digit year, dash, sequence without
    leading zero; the year is the signing year; no other decision has it.
    """
    number = (number or "").strip()
    match = _NUMBER.fullmatch(number)
    if match is None:
        raise DecisionError(
            _(
                "Le numéro « %(number)s » n'a pas la forme AAAA-NN (par exemple 2022-30).",
                number=number,
            )
        )
    if signed_on is not None and int(match["year"]) != signed_on.year:
        raise DecisionError(
            _(
                "L'année du numéro (%(year)s) diffère de celle de la signature (%(signed_year)s).",
                year=match["year"],
                signed_year=signed_on.year,
            )
        )
    existing = db.session.execute(
        select(Decision.id).where(Decision.number == number)
    ).scalar_one_or_none()
    if existing is not None and (current is None or existing != current.id):
        raise DecisionError(_("Une décision porte déjà le numéro %(number)s.", number=number))
    return number


def create_decision(
    *,
    number: str,
    title: str,
    kind: DecisionKind,
    signed_on: date,
    summary: str = "",
) -> Decision:
    """Add a draft decision after checking its number."""
    decision = Decision(
        number=check_number(number, signed_on),
        title=title.strip(),
        kind=DecisionKind(kind).value,
        signed_on=signed_on,
        summary=summary.strip(),
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def update_decision(decision: Decision, **fields) -> Decision:
    """Change a decision; the number is checked again against the signing date."""
    signed_on = fields.get("signed_on", decision.signed_on)
    number = fields.get("number", decision.number)
    fields["number"] = check_number(number, signed_on, current=decision)
    for key, value in fields.items():
        setattr(decision, key, value)
    db.session.flush()
    return decision


def publish_decision(decision: Decision, when: datetime | None = None) -> Decision:
    """Make a draft decision public (once: a published one keeps its date)."""
    if decision.published_at is None:
        decision.published_at = when or utcnow()
        db.session.flush()
        follow_events.decision_published(decision, _sole_committee(decision))
    return decision


def _sole_committee(decision: Decision) -> int | None:
    """The committee a decision concerns, when its effects name exactly one."""
    ids = {effect.committee_id for effect in decision.effects if effect.committee_id}
    ids |= {e.mandate.committee_id for e in decision.effects if e.mandate is not None}
    return ids.pop() if len(ids) == 1 else None


def unpublish_decision(decision: Decision) -> Decision:
    """Withdraw a decision from the public site."""
    decision.published_at = None
    db.session.flush()
    return decision


def _effect(decision: Decision, action: EffectAction, **fields) -> DecisionEffect:
    effect = DecisionEffect(decision=decision, action=action.value, **fields)
    db.session.add(effect)
    return effect


def record_creation(decision: Decision, committee: Committee) -> None:
    """The decision created ``committee``."""
    committee.creating_decision = decision
    _effect(
        decision,
        EffectAction.CREATE_COMMITTEE,
        committee=committee,
        new_end_date=committee.end_date,
    )
    db.session.flush()


def record_concerns(decision: Decision, committee: Committee) -> None:
    """The decision relates to ``committee`` without changing it."""
    _effect(decision, EffectAction.CONCERNS, committee=committee)
    db.session.flush()


def record_nomination(
    decision: Decision, committee: Committee, lines: Iterable[MandateLine]
) -> list[Mandate]:
    """Create all the mandates a nomination decision appoints, in one step.

    Either every mandate is created or, on the first refused line, none: the caller
    rolls back on ``BodiesError``.
    """
    mandates = []
    for line in lines:
        mandate = add_mandate(committee, line, decision=decision)
        _effect(
            decision,
            EffectAction.APPOINT,
            committee=committee,
            mandate=mandate,
            new_end_date=mandate.end_date,
        )
        mandates.append(mandate)
    if not mandates:
        raise BodiesError(_("La décision de nomination ne nomme personne."))
    db.session.flush()
    return mandates


def record_extension(
    decision: Decision,
    committee: Committee,
    new_end_date: date,
    *,
    extend_mandates: bool = True,
) -> None:
    """Extend a committee to ``new_end_date`` and, by default, its running mandates with it."""
    if committee.end_date is not None and new_end_date <= committee.end_date:
        raise BodiesError(_("La nouvelle date de fin doit suivre l'actuelle."))
    _effect(
        decision,
        EffectAction.EXTEND_COMMITTEE,
        committee=committee,
        previous_end_date=committee.end_date,
        new_end_date=new_end_date,
    )
    if extend_mandates:
        running = db.session.execute(
            select(Mandate).where(
                Mandate.committee_id == committee.id,
                or_(Mandate.end_date.is_(None), Mandate.end_date == committee.end_date),
            )
        ).scalars()
        for mandate in running:
            _effect(
                decision,
                EffectAction.EXTEND_MANDATE,
                committee=committee,
                mandate=mandate,
                previous_end_date=mandate.end_date,
                new_end_date=new_end_date,
            )
            mandate.end_date = new_end_date
    committee.end_date = new_end_date
    db.session.flush()


def record_end_of_mandates(
    decision: Decision, mandates: Iterable[Mandate], end_date: date, reason: str
) -> None:
    """End the given mandates on ``end_date`` by this decision."""
    for mandate in mandates:
        previous = mandate.end_date
        end_mandate(mandate, end_date, reason)
        _effect(
            decision,
            EffectAction.END_MANDATE,
            committee=mandate.committee,
            mandate=mandate,
            previous_end_date=previous,
            new_end_date=end_date,
        )
    db.session.flush()


# --- nominations numbered as on a form ---------------------------------------------


class NominationLineError(BodiesError):
    """A nomination line was refused; ``line`` is its number on the form."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(_("Ligne %(line)d : %(message)s", line=line, message=message))
        self.line = line
        self.reason = message


class NominationRefusalsError(BodiesError):
    """Every refused line of a nomination form, reported at once (``refusals``)."""

    def __init__(self, refusals: list[NominationLineError]) -> None:
        super().__init__(str(refusals[0]))
        self.refusals = refusals


def nomination_start(decision: Decision, committee: Committee) -> date:
    """The start a nomination's mandates get by default: the signature, or the committee's
    start when it comes later (a mandate never starts before its committee)."""
    if decision.signed_on is None:
        return committee.start_date
    return max(decision.signed_on, committee.start_date)


def record_numbered_nomination(
    decision: Decision, committee: Committee, lines: Sequence[tuple[int, MandateLine]]
) -> list[Mandate]:
    """``record_nomination`` for lines numbered as on a form: each refusal names its line,
    and every line is checked, so that all refusals are shown at once.

    All or nothing: on ``NominationRefusalsError`` the caller rolls back and no mandate and no
    effect remain (a refused line adds nothing: its rules are checked before it is added).
    """
    mandates: list[Mandate] = []
    refusals: list[NominationLineError] = []
    for number, line in lines:
        try:
            mandates.extend(record_nomination(decision, committee, [line]))
        except BodiesError as error:
            refusals.append(NominationLineError(number, str(error)))
    if refusals:
        raise NominationRefusalsError(refusals)
    if not mandates:
        raise BodiesError(_("La décision de nomination ne nomme personne."))
    return mandates
