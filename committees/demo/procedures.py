"""A demo written procedure of the CST Suivi in 2022, closed and published: the committee's
voting members consulted in June on the patient information leaflet, one barred by a
declared link with Phytopharma, the opinion adopted (history written directly: no e-mail is
sent for 2022)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from committees.bodies.models import Committee
from committees.extensions import db
from committees.meetings.models import Meeting
from committees.meetings.rules import count_ballots, has_quorum, quorum_required
from committees.procedures.models import (
    Choice,
    ConsultedMember,
    ProcedureStatus,
    WrittenProcedure,
)
from committees.procedures.services import bar_reasons, voting_mandates

OPENED = datetime(2022, 6, 13, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2022, 6, 24, 16, 0, tzinfo=UTC)
TITLE = "Fiche d'information des patients en cancérologie"


def seed_procedures(held: Meeting) -> None:
    """The CST Suivi's written procedure of June 2022 (safe to run again)."""
    committee = db.session.get(Committee, held.committee_id)
    exists = select(WrittenProcedure.id).where(WrittenProcedure.committee_id == committee.id)
    if db.session.scalar(exists) is not None:
        return
    mandates = voting_mandates(committee, OPENED.date())
    if not mandates:
        return
    procedure = WrittenProcedure(
        committee=committee,
        title=TITLE,
        question="Le comité approuve-t-il la fiche d'information des patients en cancérologie "
        "mise à jour après la séance de mars 2022 ?",
        organisation="Phytopharma",
        status=ProcedureStatus.PUBLISHED.value,
        opened_at=OPENED,
        deadline=DEADLINE,
        closed_at=DEADLINE,
        published_at=datetime(2022, 6, 27, 9, 0, tzinfo=UTC),
    )
    rows = [ConsultedMember(mandate=mandate) for mandate in mandates]
    procedure.consulted = rows
    db.session.add(procedure)
    db.session.flush()
    # Members whose declaration names Phytopharma are barred (the rule of the pages).
    barred = bar_reasons(procedure)
    for index, row in enumerate(r for r in rows if r.mandate_id not in barred):
        if index % 4 != 3:
            row.choice = Choice.ABSTAIN.value if index == 4 else Choice.FOR.value
            row.answered_at = datetime(2022, 6, 15 + index % 8, 9, 0, tzinfo=UTC)
    eligible = [r for r in rows if r.mandate_id not in barred]
    answers = [r.choice for r in eligible if r.choice]
    percent = committee.quorum_percent
    procedure.eligible = len(eligible)
    procedure.required = quorum_required(len(eligible), percent)
    procedure.quorum_reached = has_quorum(len(answers), len(eligible), percent)
    counts = count_ballots(answers)
    procedure.votes_for, procedure.votes_against, procedure.abstentions = counts
    procedure.adopted = procedure.quorum_reached and procedure.votes_for > procedure.votes_against
    procedure.opinion = (
        "Le comité approuve la fiche d'information des patients mise à jour, sous réserve "
        "d'y préciser la conduite à tenir en cas d'effet indésirable."
        if procedure.adopted
        else "Quorum non atteint : le comité n'a pas rendu d'avis."
    )
    db.session.flush()
