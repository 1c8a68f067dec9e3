"""Dashboard panels of written procedures: the member's open consultations, the
secretariat's open ones. Each context function costs a bounded number of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.auth.permissions import Permission
from committees.bodies.models import Mandate
from committees.bodies.persons.services import person_for_user
from committees.dashboard.services import Kept, register_panel
from committees.extensions import db
from committees.procedures.models import ConsultedMember, ProcedureStatus, WrittenProcedure


def member_open_context(user: User) -> dict[str, Any]:
    """The open procedures the member is consulted on, with their answer (two queries)."""
    person = person_for_user(user)
    if person is None:
        return {"rows": []}
    rows = db.session.execute(
        select(ConsultedMember)
        .join(ConsultedMember.procedure)
        .join(ConsultedMember.mandate)
        .where(
            Mandate.person_id == person.id,
            WrittenProcedure.status == ProcedureStatus.OPEN.value,
        )
        .options(selectinload(ConsultedMember.procedure).selectinload(WrittenProcedure.committee))
        .order_by(WrittenProcedure.deadline)
    ).scalars()
    return {"rows": list(rows)}


def secretariat_open_context(_user: User) -> dict[str, Any]:
    """The open procedures across committees, soonest deadline first."""
    procedures = db.session.execute(
        select(WrittenProcedure)
        .where(WrittenProcedure.status != ProcedureStatus.PUBLISHED.value)
        .options(selectinload(WrittenProcedure.committee))
        .order_by(WrittenProcedure.deadline)
        .limit(10)
    ).scalars()
    return {"procedures": list(procedures)}


def register() -> None:
    """Add the panels to the dashboard (again: replaced, not duplicated)."""
    register_panel(
        Permission.MEMBER_AREA,
        "procedures/panel_member.html",
        member_open_context,
        order=22,
        kept=Kept.FOR_THE_PERSON,
    )
    register_panel(
        Permission.MANAGE_COMMITTEES,
        "procedures/panel_secretariat.html",
        secretariat_open_context,
        order=27,
        kept=Kept.FOR_EVERYONE,
    )
