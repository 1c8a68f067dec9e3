"""Written procedures on the CST Culture of ``held``: an open one, brought to any step, for
the written-procedure tests."""

from __future__ import annotations

from datetime import date, timedelta

from committees.auth.models import Role
from committees.bodies.models import InterestDeclaration, InterestLink, LinkKind
from committees.common.timeutils import utcnow
from committees.procedures.models import WrittenProcedure
from committees.procedures.services import NewDocument, open_procedure
from tests.support.minutes import Held

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
QUESTION = "Le comité approuve-t-il la prolongation de l'expérimentation jusqu'en 2025 ?"


def make_current(held: Held) -> None:
    """The committee without an end date, so that deadlines of today's date fall in it."""
    held.committee.end_date = None


def give_account(db, make_user, held: Held, key: str, email: str):
    """A member account for the mandate ``key``'s person."""
    user = make_user(Role.MEMBER, email=email, full_name=held.mandates[key].person.display_name)
    held.mandates[key].person.user_id = user.id
    db.session.commit()
    return user


def declare_link(db, held: Held, key: str, organisation: str) -> None:
    """A declaration of interests naming ``organisation`` for the mandate ``key``."""
    declaration = InterestDeclaration(
        person_id=held.mandates[key].person_id, declared_on=date(2022, 1, 10)
    )
    declaration.links.append(InterestLink(organisation=organisation, kind=LinkKind.CONSULTANCY))
    db.session.add(declaration)
    db.session.commit()


def opened(db, held: Held, *, days: int = 5, minutes=None, organisation="") -> WrittenProcedure:
    """A procedure opened now on the committee, its deadline in ``days`` days."""
    make_current(held)
    procedure = open_procedure(
        held.committee,
        title="Prolongation de l'expérimentation",
        question=QUESTION,
        deadline=utcnow() + timedelta(days=days),
        organisation=organisation,
        minutes=minutes,
        documents=[NewDocument("Note de cadrage", "note.pdf", PDF)],
    )
    db.session.commit()
    return procedure
