"""Loading written procedures with what their pages read (bounded queries)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee, Mandate, Person
from committees.common.timeutils import PARIS
from committees.extensions import db
from committees.meetings.models import Meeting, Minutes, MinutesStatus
from committees.procedures.models import (
    ConsultedMember,
    ProcedureStatus,
    WrittenProcedure,
)


def consulted_options() -> tuple:
    """Loader options: the committee, documents and consulted members' persons and accounts."""
    return (
        selectinload(WrittenProcedure.committee),
        selectinload(WrittenProcedure.documents),
        selectinload(WrittenProcedure.consulted)
        .selectinload(ConsultedMember.mandate)
        .selectinload(Mandate.person)
        .selectinload(Person.user),
    )


def procedure_with_members(procedure_id: int) -> WrittenProcedure | None:
    """The procedure with its committee, documents and consulted members' persons."""
    return db.session.execute(
        select(WrittenProcedure)
        .where(WrittenProcedure.id == procedure_id)
        .options(*consulted_options())
    ).scalar_one_or_none()


def all_procedures() -> list[WrittenProcedure]:
    """Every procedure, newest first, with its committee."""
    return list(
        db.session.execute(
            select(WrittenProcedure)
            .options(selectinload(WrittenProcedure.committee))
            .order_by(WrittenProcedure.opened_at.desc(), WrittenProcedure.id.desc())
        ).scalars()
    )


def procedures_of_person(person_id: int) -> list[WrittenProcedure]:
    """The procedures a person was consulted on, newest first."""
    return list(
        db.session.execute(
            select(WrittenProcedure)
            .join(WrittenProcedure.consulted)
            .join(ConsultedMember.mandate)
            .where(Mandate.person_id == person_id)
            .options(selectinload(WrittenProcedure.committee))
            .order_by(WrittenProcedure.opened_at.desc())
        ).scalars()
    )


def open_to(now: datetime) -> list[Committee]:
    """The committees a procedure may be opened on: active today, in name order."""
    day = now.astimezone(PARIS).date()
    return list(
        db.session.execute(
            select(Committee)
            .where(
                Committee.start_date <= day,
                or_(Committee.end_date.is_(None), Committee.end_date >= day),
            )
            .order_by(Committee.name_fr)
        ).scalars()
    )


def minutes_to_adopt(committee: Committee) -> list[Minutes]:
    """Draft minutes of the committee sent for comments, not yet under an open procedure."""
    pending = select(WrittenProcedure.minutes_id).where(
        WrittenProcedure.status == ProcedureStatus.OPEN.value,
        WrittenProcedure.minutes_id.is_not(None),
    )
    return list(
        db.session.execute(
            select(Minutes)
            .join(Minutes.meeting)
            .where(
                Meeting.committee_id == committee.id,
                Minutes.status == MinutesStatus.SENT.value,
                Minutes.id.not_in(pending),
            )
            .options(selectinload(Minutes.meeting))
            .order_by(Meeting.starts_at)
        ).scalars()
    )
