"""Builders of the decision tests: a committee, a person with a private e-mail, a decision,
and a real (tiny) PDF to sign them with."""

from __future__ import annotations

from datetime import date

from committees.bodies.models import Committee, CommitteeKind, Person
from committees.bodies.persons.services import create_person
from committees.bodies.services import create_committee
from committees.decisions.models import Decision, DecisionKind
from committees.decisions.services import create_decision

#: a real (tiny) PDF document
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_committee(
    name: str = "Culture en France du cannabis à usage médical", **fields
) -> Committee:
    """A temporary committee (2021-08-02 → 2022-12-31 unless told otherwise)."""
    values = {
        "kind": CommitteeKind.TEMPORARY,
        "name_fr": name,
        "start_date": date(2021, 8, 2),
        "end_date": date(2022, 12, 31),
        "acronym": "CST",
    }
    values.update(fields)
    return create_committee(**values)


def make_person(first: str, last: str, **fields) -> Person:
    """A person with a private e-mail (which must never appear publicly)."""
    fields.setdefault("email", f"{first}.{last}@prive.example.net".lower())
    return create_person(first_name=first, last_name=last, **fields)


def make_decision(number: str = "2022-30", **fields) -> Decision:
    """A draft nomination decision numbered ``number``, signed on 17 February of its year."""
    values = {
        "title": "Nomination des membres du CST culture du cannabis",
        "kind": DecisionKind.NOMINATION,
        "signed_on": date(int(number[:4]), 2, 17),
    }
    values.update(fields)
    return create_decision(number=number, **values)
