"""The rules of a written procedure (consultation écrite): opening it, who may vote and
why not, answering until the deadline, closing it under the committee's quorum rule, and
publishing the opinion.

Functions add to the session and flush; the caller commits (or rolls back on
``ProcedureError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee, Mandate, Person
from committees.bodies.persons.services import person_for_user
from committees.bodies.rules import language_of
from committees.common import filestore
from committees.common.timeutils import PARIS, utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email
from committees.meetings.agenda.services import check_document
from committees.meetings.conduct.services import is_voting, latest_links
from committees.meetings.minutes.services import adopt
from committees.meetings.models import AdoptionMode, Minutes, MinutesStatus
from committees.meetings.rules import (
    count_ballots,
    has_quorum,
    organisations_match,
    quorum_required,
    within_period,
)
from committees.meetings.scheduling.services import MeetingError
from committees.procedures.models import (
    Choice,
    ConsultedMember,
    ProcedureDocument,
    ProcedureStatus,
    WrittenProcedure,
)


class ProcedureError(Exception):
    """A rule of written procedures was broken (``field`` names the form field concerned)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Barred(ProcedureError):  # noqa: N818 - a situation, not a failure
    """The member may not vote on this procedure (déport), with the reason."""

    def __init__(self, reason: str):
        super().__init__(
            _("Vous êtes déporté(e) sur cette consultation : %(reason)s", reason=reason)
        )
        self.reason = reason


def paris_day(value: datetime) -> date:
    return value.astimezone(PARIS).date()


# --- who is consulted and who may vote ------------------------------------------------


def voting_mandates(committee: Committee, day: date) -> list[Mandate]:
    """The committee's voting mandates current on ``day``, in name order."""
    mandates = db.session.execute(
        select(Mandate)
        .join(Mandate.person)
        .where(
            Mandate.committee_id == committee.id,
            Mandate.start_date <= day,
            or_(Mandate.end_date.is_(None), Mandate.end_date >= day),
        )
        .options(selectinload(Mandate.person).selectinload(Person.user))
        .order_by(Person.last_name, Person.first_name)
    ).scalars()
    return [m for m in mandates if is_voting(m)]


def bar_reasons(procedure: WrittenProcedure) -> dict[int, str]:
    """Why each barred consulted member may not vote, by mandate id: the recusal the
    secretariat recorded, else a declared link naming the organisation concerned."""
    reasons = {c.mandate_id: c.recusal_reason for c in procedure.consulted if c.recusal_reason}
    if procedure.organisation.strip():
        persons = {c.mandate.person_id: c.mandate_id for c in procedure.consulted}
        links = latest_links(list(persons), paris_day(procedure.opened_at))
        for person_id, mandate_id in persons.items():
            for link in links.get(person_id, []):
                if mandate_id not in reasons and organisations_match(
                    link.organisation, procedure.organisation
                ):
                    reasons[mandate_id] = _(
                        "lien déclaré avec %(organisation)s", organisation=link.organisation
                    )
    return reasons


def consulted_row(procedure: WrittenProcedure, user: Any) -> ConsultedMember | None:
    """The consulted row of the signed-in ``user`` on ``procedure``, or None."""
    person = person_for_user(user) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return None
    return next((c for c in procedure.consulted if c.mandate.person_id == person.id), None)


# --- opening --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDocument:
    title: str
    filename: str
    data: bytes


def _download_name(filename: str) -> str:
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "document")[:255]


def open_procedure(
    committee: Committee,
    *,
    title: str,
    question: str,
    deadline: datetime | None,
    organisation: str = "",
    minutes: Minutes | None = None,
    documents: list[NewDocument] | tuple = (),
    now: datetime | None = None,
) -> WrittenProcedure:
    """Open a written procedure: the committee's current voting members are consulted and
    each receives an e-mail (in their language) linking to the signed-in answer page.

    The deadline is in the future and within the committee's period; minutes adopted in
    writing must have been sent for comments.
    """
    now = now or utcnow()
    title, question = (title or "").strip(), (question or "").strip()
    if not title:
        raise ProcedureError(_("Indiquez l'objet de la consultation."), "title")
    if not question:
        raise ProcedureError(_("Indiquez la question posée aux membres."), "question")
    if deadline is None:
        raise ProcedureError(_("Indiquez la date limite de réponse."), "deadline")
    if deadline <= now:
        raise ProcedureError(_("La date limite doit être dans le futur."), "deadline")
    if not within_period(paris_day(deadline), committee.start_date, committee.end_date):
        raise ProcedureError(
            _("La date limite doit tomber pendant la période du comité."), "deadline"
        )
    if minutes is not None and (
        minutes.status != MinutesStatus.SENT or minutes.meeting.committee_id != committee.id
    ):
        raise ProcedureError(
            _("Seul un projet de compte rendu envoyé aux membres peut être adopté par écrit."),
            "minutes_id",
        )
    mandates = voting_mandates(committee, paris_day(now))
    if not mandates:
        raise ProcedureError(_("Le comité n'a aucun membre votant à consulter."))
    procedure = WrittenProcedure(
        committee=committee,
        title=title[:300],
        question=question,
        organisation=(organisation or "").strip()[:300],
        minutes=minutes,
        deadline=deadline,
        opened_at=now,
        status=ProcedureStatus.OPEN.value,
    )
    db.session.add(procedure)
    for document in documents:
        add_document(procedure, document)
    procedure.consulted = [ConsultedMember(mandate=m) for m in mandates]
    db.session.flush()
    _write_to_members(procedure, mandates)
    return procedure


def add_document(procedure: WrittenProcedure, document: NewDocument) -> ProcedureDocument:
    """Attach a document (PDF, ODT, DOCX, ODS or XLSX) kept in the file store."""
    try:
        content_type = check_document(document.data)
    except MeetingError as error:
        raise ProcedureError(str(error), "documents") from error
    row = ProcedureDocument(
        procedure=procedure,
        title=(document.title or "").strip()[:300] or _download_name(document.filename),
        sha256=filestore.store_bytes(document.data),
        filename=_download_name(document.filename),
        content_type=content_type,
        size=len(document.data),
    )
    db.session.add(row)
    return row


def member_url(procedure: WrittenProcedure) -> str:
    return public_url("member_procedures.detail", procedure_id=procedure.id)


def _write_to_members(procedure: WrittenProcedure, mandates: list[Mandate]) -> None:
    for mandate in mandates:
        person = mandate.person
        address = person.email or (person.user.email if person.user else None)
        if not address:
            continue
        queue_email(
            address,
            _l("Consultation écrite : %(title)s", title=procedure.title),
            "procedures/opened",
            locale=language_of(person),
            kind="procedure_opened",
            name=person.display_name,
            procedure=procedure,
            url=member_url(procedure),
        )


def record_recusal(procedure: WrittenProcedure, mandate_id: int, reason: str) -> ConsultedMember:
    """Record (or, with an empty reason, lift) a member's recusal while the procedure is open."""
    if not procedure.is_open:
        raise ProcedureError(_("La consultation est close."))
    row = next((c for c in procedure.consulted if c.mandate_id == mandate_id), None)
    if row is None:
        raise ProcedureError(_("Ce membre n'est pas consulté."), "mandate_id")
    row.recusal_reason = (reason or "").strip()[:500]
    if row.recusal_reason:
        row.choice, row.comment, row.answered_at = None, "", None
    db.session.flush()
    return row


# --- answering ------------------------------------------------------------------------


def answer(
    procedure: WrittenProcedure,
    row: ConsultedMember,
    choice: str,
    comment: str = "",
    *,
    now: datetime | None = None,
) -> ConsultedMember:
    """A consulted member answers (or changes their answer) until the deadline."""
    now = now or utcnow()
    reason = bar_reasons(procedure).get(row.mandate_id)
    if reason:
        raise Barred(reason)
    if not procedure.is_open or now >= procedure.deadline:
        raise ProcedureError(_("La consultation est close : la réponse n'est plus possible."))
    if choice not in {c.value for c in Choice}:
        raise ProcedureError(_("Choisissez pour, contre ou abstention."), "choice")
    row.choice = choice
    row.comment = (comment or "").strip()
    row.answered_at = now
    db.session.flush()
    return row


# --- closing and publishing -----------------------------------------------------------


def close(procedure: WrittenProcedure, *, now: datetime | None = None) -> bool:
    """Apply the quorum rule at the deadline and record the result; False when already
    closed (closing twice changes nothing). Minutes under the procedure are adopted in
    writing when the opinion is adopted."""
    now = now or utcnow()
    if not procedure.is_open:
        return False
    if now < procedure.deadline:
        raise ProcedureError(_("La consultation ne peut être close qu'après sa date limite."))
    barred = bar_reasons(procedure)
    eligible = [c for c in procedure.consulted if c.mandate_id not in barred]
    for row in procedure.consulted:
        if row.mandate_id in barred:
            row.choice = None
    answers = [c.choice for c in eligible if c.choice]
    percent = procedure.committee.quorum_percent
    procedure.eligible = len(eligible)
    procedure.required = quorum_required(len(eligible), percent)
    procedure.quorum_reached = has_quorum(len(answers), len(eligible), percent)
    procedure.votes_for, procedure.votes_against, procedure.abstentions = count_ballots(answers)
    procedure.adopted = bool(
        procedure.quorum_reached and procedure.votes_for > procedure.votes_against
    )
    procedure.status = ProcedureStatus.CLOSED.value
    procedure.closed_at = now
    db.session.flush()
    minutes = procedure.minutes
    if minutes is not None and procedure.adopted and minutes.status == MinutesStatus.SENT:
        try:
            adopt(minutes, min(paris_day(now), paris_day(utcnow())), AdoptionMode.IN_WRITING)
        except MeetingError as error:
            raise ProcedureError(str(error)) from error
    return True


def close_due(now: datetime | None = None) -> int:
    """Close every open procedure whose deadline has passed; returns how many were closed."""
    now = now or utcnow()
    due = db.session.execute(
        select(WrittenProcedure)
        .where(
            WrittenProcedure.status == ProcedureStatus.OPEN.value,
            WrittenProcedure.deadline <= now,
        )
        .order_by(WrittenProcedure.id)
    ).scalars()
    return sum(1 for procedure in due if close(procedure, now=now))


def publish(procedure: WrittenProcedure, opinion: str, *, now: datetime | None = None) -> None:
    """Publish the committee's opinion: public page, PDF, API, Atom, search, report."""
    if procedure.status != ProcedureStatus.CLOSED:
        raise ProcedureError(_("Seule une consultation close peut être publiée."))
    procedure.opinion = (opinion or "").strip() or default_opinion(procedure)
    procedure.status = ProcedureStatus.PUBLISHED.value
    procedure.published_at = now or utcnow()
    db.session.flush()


def default_opinion(procedure: WrittenProcedure) -> str:
    """The opinion's sentence when the secretariat writes none."""
    if not procedure.quorum_reached:
        return _("Quorum non atteint : le comité n'a pas rendu d'avis.")
    if procedure.adopted:
        return _("Avis favorable adopté par consultation écrite.")
    return _("Avis non adopté par consultation écrite.")


def named_votes(procedure: WrittenProcedure) -> list[tuple[str, str | None, str]]:
    """(name, choice or None, recusal reason) of every consulted member, in name order."""
    barred = bar_reasons(procedure)
    return [
        (c.mandate.person.display_name, c.choice, barred.get(c.mandate_id, ""))
        for c in sorted(procedure.consulted, key=lambda c: c.mandate.person.sort_name)
    ]


def published_procedures(committee_id: int | None = None) -> list[WrittenProcedure]:
    """Published opinions of published committees, newest first."""
    query = (
        select(WrittenProcedure)
        .join(WrittenProcedure.committee)
        .where(
            WrittenProcedure.status == ProcedureStatus.PUBLISHED.value,
            Committee.published_at.is_not(None),
        )
        .options(selectinload(WrittenProcedure.committee))
        .order_by(WrittenProcedure.published_at.desc(), WrittenProcedure.id.desc())
    )
    if committee_id is not None:
        query = query.where(WrittenProcedure.committee_id == committee_id)
    return list(db.session.execute(query).scalars())


def is_public(procedure: WrittenProcedure) -> bool:
    """The one rule of what the public sees: published opinions of published committees."""
    return procedure.is_published and procedure.committee.published_at is not None
