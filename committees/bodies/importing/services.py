"""Import of a committee's members from a CSV file: read, check every line, then import.

The secretariat first sees a preview (every line parsed, every error with its line and
column, nothing written); the import itself runs only on a file without a single
error and creates persons and mandates in one transaction that the caller commits.
The file's format is ``committees.bodies.importing.parsing``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from committees.bodies.importing.parsing import (
    ImportIssue,
    ImportPreview,
    ImportRow,
    MemberImportError,
    read_members_csv,
)
from committees.bodies.models import Committee, Mandate, Person
from committees.bodies.persons.services import create_person
from committees.bodies.rules import BodiesError
from committees.bodies.services import MandateLine, add_mandate
from committees.extensions import db


def parse_members_csv(text: str, committee: Committee) -> ImportPreview:
    """Read ``text`` and check every line, against the file and the record; writes nothing.

    Each line gets its parsed values and its errors (line number in the file, column,
    message); lines naming an e-mail already registered reuse that person.
    """
    preview = read_members_csv(text)
    if not preview.file_errors:
        _check_against_database(preview.rows, committee)
    return preview


# --- against what is already recorded -------------------------------------------------


def _check_against_database(rows: list[ImportRow], committee: Committee) -> None:
    """Committee period, e-mails repeated in the file, persons to reuse and their mandates."""
    first_line_of: dict[str, int] = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first_line_of:
            row.refuse(
                "email",
                _(
                    "Adresse déjà présente ligne %(line)s : une personne par ligne.",
                    line=first_line_of[row.email],
                ),
            )
        else:
            first_line_of[row.email] = row.line
    existing = _persons_by_email(list(first_line_of))
    mandates = _mandates_of(committee, [p.id for p in existing.values()])
    for row in rows:
        row.existing_person = existing.get(row.email) if row.email else None
        _check_period(row, committee)
        if row.existing_person is not None:
            _check_overlap(row, mandates.get(row.existing_person.id, []))


def _persons_by_email(emails: list[str]) -> dict[str, Person]:
    if not emails:
        return {}
    persons = db.session.execute(select(Person).where(Person.email.in_(emails))).scalars()
    return {person.email: person for person in persons if person.email}


def _mandates_of(committee: Committee, person_ids: list[int]) -> dict[int, list[Mandate]]:
    result: dict[int, list[Mandate]] = {}
    if committee.id is None or not person_ids:
        return result
    mandates = db.session.execute(
        select(Mandate).where(
            Mandate.committee_id == committee.id, Mandate.person_id.in_(person_ids)
        )
    ).scalars()
    for mandate in mandates:
        result.setdefault(mandate.person_id, []).append(mandate)
    return result


def _check_period(row: ImportRow, committee: Committee) -> None:
    start = row.start_date
    if start is None:
        return
    if start < committee.start_date or (
        committee.end_date is not None and start > committee.end_date
    ):
        row.refuse("debut", _("Le mandat commence hors de la période du comité."))


def _check_overlap(row: ImportRow, mandates: list[Mandate]) -> None:
    if row.start_date is None:
        return
    for mandate in mandates:
        ends_before = row.end_date is not None and row.end_date < mandate.start_date
        starts_after = mandate.end_date is not None and row.start_date > mandate.end_date
        if not (ends_before or starts_after):
            row.refuse(
                "email",
                _(
                    "%(person)s a déjà un mandat dans ce comité sur cette période.",
                    person=row.existing_person.display_name,
                ),
            )
            return


# --- importing ------------------------------------------------------------------------


def import_members(preview: ImportPreview, committee: Committee) -> list[Mandate]:
    """Create the persons (or reuse those with the same e-mail) and their mandates.

    All or nothing: a preview with any error raises ``MemberImportError`` before
    anything is added; a line the services refuse raises it too, and the caller
    rolls the session back. The caller commits on success.
    """
    if not preview.is_valid:
        raise MemberImportError(
            preview.errors or [ImportIssue(None, "", _("Le fichier ne contient aucun membre."))]
        )
    mandates = []
    for row in preview.rows:
        try:
            mandates.append(add_mandate(committee, _mandate_line(row)))
        except BodiesError as error:
            raise MemberImportError([ImportIssue(row.line, "", str(error))]) from error
    return mandates


def _mandate_line(row: ImportRow) -> MandateLine:
    person = row.existing_person or create_person(
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email or None,
        civility=row.civility,
        title=row.title,
        affiliation=row.affiliation,
        qualification=row.qualification,
    )
    # A valid row has both (_parse_row refuses it otherwise); the asserts narrow the types.
    assert row.role is not None
    assert row.start_date is not None
    return MandateLine(
        person=person,
        role=row.role,
        start_date=row.start_date,
        end_date=row.end_date,
        voting=row.voting,
    )
