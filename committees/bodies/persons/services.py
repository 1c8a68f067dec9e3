"""Persons who sit or sat in committees: their identity, their private address, their
member account.

Views, the CSV import, the demo loader and the API call these; they add to the session
and flush, and leave the commit to the caller.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select

from committees.admin.services import invite_user
from committees.auth.models import Role, User
from committees.auth.services import find_user_by_email
from committees.bodies.models import Person
from committees.bodies.rules import BodiesError
from committees.common.memo import memoized
from committees.common.search import LIKE_ESCAPE, contains_pattern
from committees.extensions import db

#: rows per page of the person list
PER_PAGE = 25


def find_person_by_email(email: str) -> Person | None:
    """The person with this private address (case-insensitive), or None."""
    return db.session.execute(
        select(Person).where(Person.email == email.strip().lower())
    ).scalar_one_or_none()


def create_person(*, first_name: str, last_name: str, email: str | None = None, **fields) -> Person:
    """Add a person; a private e-mail, when given, must be unused."""
    email = email.strip().lower() if email else None
    if email and find_person_by_email(email) is not None:
        raise BodiesError(
            _("Une personne est déjà enregistrée avec l'adresse %(email)s.", email=email)
        )
    person = Person(first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    for key, value in fields.items():
        setattr(person, key, value)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, **fields) -> Person:
    """Change a person's details, keeping private addresses unique."""
    if fields.get("email"):
        fields["email"] = fields["email"].strip().lower()
        other = find_person_by_email(fields["email"])
        if other is not None and other.id != person.id:
            raise BodiesError(
                _(
                    "Une personne est déjà enregistrée avec l'adresse %(email)s.",
                    email=fields["email"],
                )
            )
    elif "email" in fields:
        fields["email"] = None
    for key, value in fields.items():
        setattr(person, key, value)
    db.session.flush()
    return person


def persons_page(text: str = "", page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of the persons whose name or affiliation contains ``text``, by name."""
    query = select(Person).order_by(Person.last_name, Person.first_name, Person.id)
    text = text.strip()
    if text:
        pattern = contains_pattern(text)
        query = query.where(
            or_(
                (Person.first_name + " " + Person.last_name).ilike(pattern, escape=LIKE_ESCAPE),
                (Person.last_name + " " + Person.first_name).ilike(pattern, escape=LIKE_ESCAPE),
                Person.affiliation.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def person_choices() -> list[tuple[int, str]]:
    """(id, "Nom Prénom — organisme") of every person, for a select, in one query."""
    rows = db.session.execute(
        select(Person.id, Person.last_name, Person.first_name, Person.affiliation).order_by(
            Person.last_name, Person.first_name, Person.id
        )
    )
    return [
        (pid, f"{last} {first}" + (f" — {affiliation}" if affiliation else ""))
        for pid, last, first, affiliation in rows
    ]


# --- member accounts ------------------------------------------------------------------


def person_for_user(user: User) -> Person | None:
    """The person a member account belongs to, or None (asked once per ``memo_scope``:
    the dashboard's panels share it)."""
    return memoized(
        ("person_for_user", user.id),
        lambda: db.session.execute(
            select(Person).where(Person.user_id == user.id)
        ).scalar_one_or_none(),
    )


def invite_person(person: Person, invited_by: User) -> tuple[User, bool]:
    """Give ``person`` a member account, by their private e-mail; returns (account, created).

    An account already holding that address is linked when it is a member account not
    linked to someone else; otherwise a member account is created with an unusable
    random password and the invitation e-mail (a link to choose a password) is queued.
    """
    if not person.email:
        raise BodiesError(
            _(
                "Indiquez d'abord l'adresse électronique de %(person)s.",
                person=person.display_name,
            )
        )
    if person.user_id is not None:
        raise BodiesError(_("%(person)s a déjà un compte.", person=person.display_name))
    user = find_user_by_email(person.email)
    if user is None:
        user = invite_user(person.email, person.display_name, Role.MEMBER, invited_by=invited_by)
        created = True
    else:
        _check_linkable(user, person)
        created = False
    person.user = user
    db.session.flush()
    return user, created


def _check_linkable(user: User, person: Person) -> None:
    if user.role != Role.MEMBER:
        raise BodiesError(
            _(
                "Le compte %(email)s n'est pas un compte de membre de comité : "
                "il ne peut pas être rattaché à %(person)s.",
                email=user.email,
                person=person.display_name,
            )
        )
    if person_for_user(user) is not None:
        raise BodiesError(
            _("Le compte %(email)s est déjà rattaché à une autre personne.", email=user.email)
        )
