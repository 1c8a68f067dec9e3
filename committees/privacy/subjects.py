"""Whose data: an account, a person record, or both when they are linked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from committees.auth.models import User
from committees.bodies.models import Person
from committees.extensions import db


@dataclass(frozen=True)
class Subject:
    """The account and the person record of one human being (either may be missing)."""

    user: User | None
    person: Person | None

    @property
    def emails(self) -> set[str]:
        """Every address held for them (account and person record), lower-cased."""
        found = {self.user.email if self.user else None, self.person.email if self.person else None}
        return {email.lower() for email in found if email}

    @property
    def mandate_ids(self) -> list[int]:
        return [mandate.id for mandate in self.person.mandates] if self.person else []

    @property
    def label(self) -> str:
        """A name for file names and messages."""
        if self.user is not None:
            return f"compte-{self.user.id}"
        return f"personne-{self.person.id}" if self.person else "inconnu"


def subject_for_user(user: User) -> Subject:
    """The account and the person record linked to it, if any."""
    person = db.session.execute(
        select(Person).where(Person.user_id == user.id)
    ).scalar_one_or_none()
    return Subject(user=user, person=person)


def subject_for_person(person: Person) -> Subject:
    """The person record and its member account, if any."""
    return Subject(user=person.user, person=person)
