"""Operations on committees and on the mandates that compose them.

Views, the CLI, the demo loader, the decisions domain and the API call these; they add
to the session and flush, and leave the commit to the caller. Persons and their
declarations of interests are ``committees.bodies.persons``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import (
    VOTING_ROLES,
    Committee,
    CommitteeKind,
    InterestDeclaration,
    Mandate,
    MandateRole,
    Person,
)
from committees.bodies.persons.declarations import clearance
from committees.bodies.rules import BodiesError, oldest_current_declaration
from committees.extensions import db

#: Display order of roles in a composition.
ROLE_ORDER = {
    MandateRole.PRESIDENT: 0,
    MandateRole.VICE_PRESIDENT: 1,
    MandateRole.MEMBER: 2,
    MandateRole.PATIENT_REPRESENTATIVE: 3,
    MandateRole.INVITED_EXPERT: 4,
}


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


# --- mandates -------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateLine:
    """One appointment to record: who, which role, from when to when."""

    person: Person
    role: MandateRole
    start_date: date
    end_date: date | None = None
    voting: bool | None = None  # None: the role's default


def add_mandate(committee: Committee, line: MandateLine, decision: Any = None) -> Mandate:
    """Appoint a person to a committee; refuses overlapping mandates of the same person.

    ``decision`` is the appointing Decision, if any (typed loosely: bodies does not
    import the decisions domain, which builds on it).
    """
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


def update_mandate(
    mandate: Mandate,
    *,
    role: MandateRole,
    start_date: date,
    end_date: date | None = None,
    voting: bool | None = None,
    appointing_decision: Any = None,
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


# --- the secretariat's lists and counts ----------------------------------------------

#: rows per page of the committee list
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
    """How many persons sitting in any committee on ``on`` are not cleared, counted in one
    query: no declaration between ``oldest_current_declaration(on)`` and ``on`` (an index
    probe per person on (person_id, declared_on)), the rule of ``clearance``."""
    current = (
        select(InterestDeclaration.id)
        .where(
            InterestDeclaration.person_id == Mandate.person_id,
            InterestDeclaration.declared_on.between(oldest_current_declaration(on), on),
        )
        .exists()
    )
    query = select(func.count(Mandate.person_id.distinct())).where(
        Mandate.start_date <= on,
        or_(Mandate.end_date.is_(None), Mandate.end_date >= on),
        ~current,
    )
    return db.session.scalar(query) or 0


def composition_with_clearance(committee: Committee, day: date) -> list[tuple[Mandate, bool]]:
    """The composition on ``day``, each mandate with whether its holder is cleared that day."""
    mandates = composition_on(committee, day)
    cleared = clearance({m.person_id for m in mandates}, day)
    return [(mandate, cleared[mandate.person_id]) for mandate in mandates]
