"""Operations on committees, persons, mandates and declarations of interests.

Views, the CLI, the demo loader and the API call these; they add to the session and
flush, and leave the commit to the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import (
    VOTING_ROLES,
    Committee,
    CommitteeKind,
    InterestDeclaration,
    InterestLink,
    LinkKind,
    Mandate,
    MandateRole,
    Person,
)
from committees.bodies.rules import is_declaration_current
from committees.extensions import db

#: Display order of roles in a composition.
ROLE_ORDER = {
    MandateRole.PRESIDENT: 0,
    MandateRole.VICE_PRESIDENT: 1,
    MandateRole.MEMBER: 2,
    MandateRole.PATIENT_REPRESENTATIVE: 3,
    MandateRole.INVITED_EXPERT: 4,
}


class BodiesError(ValueError):
    """A rule about committees or members was broken; the message is for the person."""


def slugify(text: str) -> str:
    """An ASCII, lower-case, dash-separated address segment."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


# --- committees -----------------------------------------------------------------------


def committee_by_slug(slug: str) -> Committee | None:
    """The committee at this address, or None."""
    return db.session.execute(select(Committee).where(Committee.slug == slug)).scalar_one_or_none()


def create_committee(
    *,
    kind: CommitteeKind,
    name_fr: str,
    start_date: date,
    slug: str | None = None,
    **fields,
) -> Committee:
    """Add a committee; the slug defaults to the French name and must be unused."""
    slug = slugify(slug or name_fr)
    if not slug:
        raise BodiesError(_("L'adresse (slug) du comité est vide."))
    if committee_by_slug(slug) is not None:
        raise BodiesError(_("L'adresse « %(slug)s » est déjà celle d'un autre comité.", slug=slug))
    committee = Committee(kind=CommitteeKind(kind).value, name_fr=name_fr, slug=slug, **fields)
    committee.start_date = start_date
    _check_committee_dates(committee)
    db.session.add(committee)
    db.session.flush()
    return committee


def update_committee(committee: Committee, **fields) -> Committee:
    """Change a committee's fields, keeping its dates coherent and its slug unique."""
    if "slug" in fields:
        fields["slug"] = slugify(fields["slug"] or "")
        other = committee_by_slug(fields["slug"])
        if not fields["slug"]:
            raise BodiesError(_("L'adresse (slug) du comité est vide."))
        if other is not None and other.id != committee.id:
            raise BodiesError(
                _("L'adresse « %(slug)s » est déjà celle d'un autre comité.", slug=fields["slug"])
            )
    for key, value in fields.items():
        setattr(committee, key, value)
    _check_committee_dates(committee)
    db.session.flush()
    return committee


def _check_committee_dates(committee: Committee) -> None:
    if committee.end_date is not None and committee.end_date < committee.start_date:
        raise BodiesError(_("La date de fin du comité précède sa date de début."))
    if committee.kind == CommitteeKind.TEMPORARY and committee.end_date is None:
        raise BodiesError(_("Un comité scientifique temporaire a une date de fin."))


def list_committees(*, published_only: bool = False) -> Sequence[Committee]:
    """All committees ordered by kind then name."""
    query = select(Committee).order_by(Committee.kind, Committee.name_fr)
    if published_only:
        query = query.where(Committee.published_at.is_not(None))
    return db.session.execute(query).scalars().all()


# --- composition ----------------------------------------------------------------------


def composition_on(committee: Committee, day: date) -> list[Mandate]:
    """The mandates covering ``day``, persons loaded, in role then name order."""
    mandates = (
        db.session.execute(
            select(Mandate)
            .join(Mandate.person)
            .where(
                Mandate.committee_id == committee.id,
                Mandate.start_date <= day,
                or_(Mandate.end_date.is_(None), Mandate.end_date >= day),
            )
            .options(selectinload(Mandate.person))
            .order_by(Person.last_name, Person.first_name)
        )
        .scalars()
        .all()
    )
    return sorted(mandates, key=lambda m: ROLE_ORDER[MandateRole(m.role)])


def voting_members(mandates: Iterable[Mandate]) -> list[Mandate]:
    """The mandates that carry a vote (invited experts never do)."""
    return [m for m in mandates if m.voting and m.role != MandateRole.INVITED_EXPERT]


# --- persons --------------------------------------------------------------------------


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


# --- mandates -------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateLine:
    """One appointment to record: who, which role, from when to when."""

    person: Person
    role: MandateRole
    start_date: date
    end_date: date | None = None
    voting: bool | None = None  # None: the role's default


def add_mandate(committee: Committee, line: MandateLine, decision=None) -> Mandate:
    """Appoint a person to a committee; refuses overlapping mandates of the same person."""
    role = MandateRole(line.role)
    voting = (role in VOTING_ROLES) if line.voting is None else line.voting
    if role == MandateRole.INVITED_EXPERT and voting:
        raise BodiesError(_("Un expert invité ne vote pas."))
    if line.end_date is not None and line.end_date < line.start_date:
        raise BodiesError(_("La fin du mandat précède son début."))
    if line.start_date < committee.start_date or (
        committee.end_date is not None and line.start_date > committee.end_date
    ):
        raise BodiesError(
            _(
                "Le mandat de %(person)s commence hors de la période du comité.",
                person=line.person.display_name,
            )
        )
    _refuse_overlap(committee, line)
    mandate = Mandate(
        person=line.person,
        committee=committee,
        role=role.value,
        voting=voting,
        start_date=line.start_date,
        end_date=line.end_date,
        appointing_decision=decision,
    )
    db.session.add(mandate)
    db.session.flush()
    return mandate


def _refuse_overlap(committee: Committee, line: MandateLine) -> None:
    if line.person.id is None:
        return
    overlapping = db.session.execute(
        select(Mandate.id).where(
            Mandate.committee_id == committee.id,
            Mandate.person_id == line.person.id,
            or_(Mandate.end_date.is_(None), Mandate.end_date >= line.start_date),
            *([Mandate.start_date <= line.end_date] if line.end_date else []),
        )
    ).first()
    if overlapping is not None:
        raise BodiesError(
            _(
                "%(person)s a déjà un mandat dans ce comité sur cette période.",
                person=line.person.display_name,
            )
        )


def end_mandate(mandate: Mandate, end_date: date, reason: str) -> Mandate:
    """Close a mandate on ``end_date`` (kept, never deleted) with the reason."""
    if end_date < mandate.start_date:
        raise BodiesError(_("La fin du mandat précède son début."))
    if not reason.strip():
        raise BodiesError(_("Indiquez le motif de fin du mandat."))
    mandate.end_date = end_date
    mandate.end_reason = reason.strip()
    db.session.flush()
    return mandate


# --- declarations of interests --------------------------------------------------------


@dataclass(frozen=True)
class LinkLine:
    """One link of interest to declare."""

    organisation: str
    kind: LinkKind
    details: str = ""
    started_on: date | None = None
    ended_on: date | None = None


def file_declaration(
    person: Person, declared_on: date, links: Iterable[LinkLine], public_url: str = ""
) -> InterestDeclaration:
    """Record a new declaration of interests with its links."""
    declaration = InterestDeclaration(person=person, declared_on=declared_on, public_url=public_url)
    for link in links:
        if not link.organisation.strip():
            raise BodiesError(_("Chaque lien d'intérêt nomme un organisme."))
        if link.started_on and link.ended_on and link.ended_on < link.started_on:
            raise BodiesError(
                _(
                    "Lien avec %(link_organisation)s : la fin précède le début.",
                    link_organisation=link.organisation,
                )
            )
        declaration.links.append(
            InterestLink(
                organisation=link.organisation.strip(),
                kind=LinkKind(link.kind).value,
                details=link.details.strip(),
                started_on=link.started_on,
                ended_on=link.ended_on,
            )
        )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def latest_declaration_dates(person_ids: Iterable[int]) -> dict[int, date]:
    """The date of each person's latest declaration, in one query."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(InterestDeclaration.person_id, func.max(InterestDeclaration.declared_on))
        .where(InterestDeclaration.person_id.in_(ids))
        .group_by(InterestDeclaration.person_id)
    ).all()
    return dict(rows)


def clearance(person_ids: Iterable[int], on: date) -> dict[int, bool]:
    """For each person: cleared (a declaration at most twelve months old on ``on``) or not."""
    ids = list(person_ids)
    latest = latest_declaration_dates(ids)
    return {pid: is_declaration_current(latest.get(pid), on) for pid in ids}


def is_cleared(person: Person, on: date) -> bool:
    """Whether ``person`` has a current declaration of interests on ``on``."""
    return clearance([person.id], on)[person.id]
