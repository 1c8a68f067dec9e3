"""Operations on committees, persons, mandates and declarations of interests.

Views, the CLI, the demo loader and the API call these; they add to the session and
flush, and leave the commit to the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.admin.services import invite_user
from committees.auth.models import Role, User
from committees.auth.services import find_user_by_email
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
from committees.bodies.rules import declaration_valid_until, is_declaration_current
from committees.common.search import LIKE_ESCAPE, contains_pattern
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
    role, voting = _check_line(committee, line)
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


def _check_line(
    committee: Committee, line: MandateLine, exclude_id: int | None = None
) -> tuple[MandateRole, bool]:
    """The rules of a mandate, for a new one or an edited one (``exclude_id``): role and vote."""
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
    _refuse_overlap(committee, line, exclude_id)
    return role, voting


def _refuse_overlap(committee: Committee, line: MandateLine, exclude_id: int | None = None) -> None:
    if line.person.id is None:
        return
    overlapping = db.session.execute(
        select(Mandate.id).where(
            Mandate.committee_id == committee.id,
            Mandate.person_id == line.person.id,
            Mandate.id != (exclude_id or 0),
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


def latest_declaration_dates(person_ids: Iterable[int], on: date | None = None) -> dict[int, date]:
    """The date of each person's latest declaration (made by ``on``, if given), in one query."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    query = (
        select(InterestDeclaration.person_id, func.max(InterestDeclaration.declared_on))
        .where(InterestDeclaration.person_id.in_(ids))
        .group_by(InterestDeclaration.person_id)
    )
    if on is not None:
        # A composition at a past date is judged on the declarations known that day.
        query = query.where(InterestDeclaration.declared_on <= on)
    return dict(db.session.execute(query).all())


def clearance(person_ids: Iterable[int], on: date) -> dict[int, bool]:
    """For each person: cleared (a declaration at most twelve months old on ``on``) or not."""
    ids = list(person_ids)
    latest = latest_declaration_dates(ids, on)
    return {pid: is_declaration_current(latest.get(pid), on) for pid in ids}


def is_cleared(person: Person, on: date) -> bool:
    """Whether ``person`` has a current declaration of interests on ``on``."""
    return clearance([person.id], on)[person.id]


# --- screens of the secretariat and of members (lists, counts, invitations) ------------

#: rows per page of the committee and person lists
PER_PAGE = 25


def committees_page(page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of every committee, by kind then name (a count and a page query)."""
    return db.paginate(
        select(Committee).order_by(Committee.kind, Committee.name_fr, Committee.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def _sitting_on(on: date, committee_ids: list[int] | None = None) -> list[tuple[int, int]]:
    """(committee id, person id) of every mandate covering ``on``, in one query."""
    query = select(Mandate.committee_id, Mandate.person_id).where(
        Mandate.start_date <= on,
        or_(Mandate.end_date.is_(None), Mandate.end_date >= on),
    )
    if committee_ids is not None:
        query = query.where(Mandate.committee_id.in_(committee_ids))
    return [(committee_id, person_id) for committee_id, person_id in db.session.execute(query)]


@dataclass(frozen=True)
class MemberCounts:
    """How many persons sit in a committee on a day, and how many of them are not cleared."""

    members: int = 0
    not_cleared: int = 0


def member_counts(committee_ids: Iterable[int], on: date) -> dict[int, MemberCounts]:
    """For each committee: its members on ``on`` and those not cleared, in two queries."""
    ids = list(committee_ids)
    if not ids:
        return {}
    rows = _sitting_on(on, ids)
    cleared = clearance({person_id for _, person_id in rows}, on)
    members: dict[int, set[int]] = defaultdict(set)
    for committee_id, person_id in rows:
        members[committee_id].add(person_id)
    return {
        cid: MemberCounts(len(members[cid]), sum(not cleared[pid] for pid in members[cid]))
        for cid in ids
    }


def not_cleared_count(on: date) -> int:
    """How many persons sitting in any committee on ``on`` are not cleared, in two queries."""
    person_ids = {person_id for _, person_id in _sitting_on(on)}
    return sum(not ok for ok in clearance(person_ids, on).values())


def composition_with_clearance(committee: Committee, day: date) -> list[tuple[Mandate, bool]]:
    """The composition on ``day``, each mandate with whether its holder is cleared that day."""
    mandates = composition_on(committee, day)
    cleared = clearance({m.person_id for m in mandates}, day)
    return [(mandate, cleared[mandate.person_id]) for mandate in mandates]


def mandate_history(committee: Committee) -> Sequence[Mandate]:
    """Every mandate of a committee, ended ones included, newest first, persons loaded."""
    return (
        db.session.execute(
            select(Mandate)
            .where(Mandate.committee_id == committee.id)
            .options(selectinload(Mandate.person), selectinload(Mandate.appointing_decision))
            .order_by(Mandate.start_date.desc(), Mandate.id.desc())
        )
        .scalars()
        .all()
    )


def update_mandate(
    mandate: Mandate,
    *,
    role: MandateRole,
    start_date: date,
    end_date: date | None = None,
    voting: bool | None = None,
    appointing_decision=None,
) -> Mandate:
    """Change a mandate under the rules of ``add_mandate`` (the mandate itself is no overlap)."""
    line = MandateLine(mandate.person, role, start_date, end_date, voting)
    role, voting = _check_line(mandate.committee, line, exclude_id=mandate.id)
    mandate.role = role.value
    mandate.voting = voting
    mandate.start_date = start_date
    mandate.end_date = end_date
    mandate.appointing_decision = appointing_decision
    db.session.flush()
    return mandate


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


def person_mandates(person: Person) -> Sequence[Mandate]:
    """A person's mandates, newest first, with their committees loaded."""
    return (
        db.session.execute(
            select(Mandate)
            .where(Mandate.person_id == person.id)
            .options(selectinload(Mandate.committee), selectinload(Mandate.appointing_decision))
            .order_by(Mandate.start_date.desc(), Mandate.id.desc())
        )
        .scalars()
        .all()
    )


def person_declarations(person: Person) -> Sequence[InterestDeclaration]:
    """A person's declarations, newest first, with their links loaded."""
    return (
        db.session.execute(
            select(InterestDeclaration)
            .where(InterestDeclaration.person_id == person.id)
            .options(selectinload(InterestDeclaration.links))
            .order_by(InterestDeclaration.declared_on.desc(), InterestDeclaration.id.desc())
        )
        .scalars()
        .all()
    )


def person_for_user(user: User) -> Person | None:
    """The person a member account belongs to, or None."""
    return db.session.execute(select(Person).where(Person.user_id == user.id)).scalar_one_or_none()


@dataclass(frozen=True)
class DeclarationStatus:
    """Where a person stands with their declaration of interests on a day."""

    cleared: bool
    latest: date | None
    valid_until: date | None


def declaration_status(person: Person, on: date) -> DeclarationStatus:
    """Whether ``person`` is cleared on ``on`` and until when their latest declaration counts."""
    latest = latest_declaration_dates([person.id], on).get(person.id)
    return DeclarationStatus(
        cleared=is_declaration_current(latest, on),
        latest=latest,
        valid_until=declaration_valid_until(latest) if latest else None,
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


def decision_choices() -> list[tuple[int, str]]:
    """(id, "n°2022-30 du 17/02/2022 — title") of every decision, newest first, in one query."""
    from committees.decisions.models import Decision  # decisions build on bodies, not the reverse

    rows = db.session.execute(
        select(Decision.id, Decision.number, Decision.signed_on, Decision.title).order_by(
            Decision.signed_on.desc(), Decision.id.desc()
        )
    )
    return [
        (did, f"n°{number} du {signed_on:%d/%m/%Y} — {title}")
        for did, number, signed_on, title in rows
    ]
