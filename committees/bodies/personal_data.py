"""What the bodies domain holds about a person (registered from its ``init_app``): the
person record, their mandates and declarations of interests. Erasure keeps the names, the
mandates and the declarations (the public record) and removes the address."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.audit.services import scrub_audit
from committees.bodies.models import InterestDeclaration, Mandate
from committees.common import personal_data
from committees.common.personal_data import DataSubject, Erasure, Found, row_of
from committees.extensions import db


def _person(subject: DataSubject, found: Found) -> dict[str, Any] | None:
    if subject.person is None:
        return None
    found.audited.append(("persons", subject.person.id))
    return row_of(
        subject.person,
        "id",
        "civility",
        "title",
        "first_name",
        "last_name",
        "email",
        "affiliation",
        "qualification",
        "created_at",
        "updated_at",
    )


def _mandates(subject: DataSubject, found: Found) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    found.audited += [("mandates", mandate_id) for mandate_id in subject.mandate_ids]
    rows = db.session.scalars(
        select(Mandate)
        .where(Mandate.person_id == subject.person.id)
        .options(selectinload(Mandate.committee))
        .order_by(Mandate.start_date)
    )
    return [
        {
            **row_of(m, "id", "role", "voting", "start_date", "end_date", "end_reason"),
            "committee": m.committee.name_fr,
        }
        for m in rows
    ]


def _declarations(subject: DataSubject, found: Found) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    rows = db.session.scalars(
        select(InterestDeclaration)
        .where(InterestDeclaration.person_id == subject.person.id)
        .options(selectinload(InterestDeclaration.links))
        .order_by(InterestDeclaration.declared_on)
    ).all()
    found.audited += [("interest_declarations", d.id) for d in rows]
    return [
        {
            **row_of(d, "id", "declared_on", "public_url"),
            "links": [
                row_of(link, "organisation", "kind", "details", "started_on", "ended_on")
                for link in d.links
            ],
        }
        for d in rows
    ]


def _erase_email(subject: DataSubject, erasure: Erasure) -> None:
    if subject.person is not None and subject.person.email is not None:
        subject.person.email = None
        erasure.counts["person_email"] += 1


def _scrub_email(subject: DataSubject) -> int:
    # The audit trail keeps that the address changed, not the address.
    if subject.person is None:
        return 0
    return scrub_audit("persons", [subject.person.id], {"email"})


def register() -> None:
    """Declare the person record, mandates and declarations to the privacy operations."""
    personal_data.register_section("person", _person)
    personal_data.register_section("mandates", _mandates)
    personal_data.register_section("declarations_of_interests", _declarations)
    personal_data.register_eraser("person_email", _erase_email)
    personal_data.register_audit_scrub("persons", _scrub_email)
