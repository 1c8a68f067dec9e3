"""Conducting a session: who is expected, presence, conflicts of interest and recusals,
quorum per item, votes.

Functions add to the session and flush; the caller commits (or rolls back on
``MeetingError``). Convocations and answers live in ``convocations.py`` and ``answers.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import InterestDeclaration, InterestLink, Mandate, MandateRole, Person
from committees.bodies.persons.declarations import clearance
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models import (
    COUNTS_AS_PRESENT,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    ItemKind,
    Meeting,
    Presence,
    Recusal,
    RecusalStatus,
    Vote,
)
from committees.meetings.rules import (
    count_ballots,
    has_quorum,
    link_is_relevant,
    organisations_match,
    quorum_required,
)
from committees.meetings.scheduling.services import MeetingError, check_started, meeting_day

# --- participants ---------------------------------------------------------------------


def expected_mandates(meeting: Meeting) -> list[Mandate]:
    """The mandates current on the session's day: members and invited experts."""
    day = meeting_day(meeting)
    return list(
        db.session.execute(
            select(Mandate)
            .join(Mandate.person)
            .where(
                Mandate.committee_id == meeting.committee_id,
                Mandate.start_date <= day,
                or_(Mandate.end_date.is_(None), Mandate.end_date >= day),
            )
            .options(selectinload(Mandate.person))
            .order_by(Person.last_name, Person.first_name)
        ).scalars()
    )


def is_voting(mandate: Mandate) -> bool:
    """Invited experts never vote, whatever the mandate says."""
    return mandate.voting and mandate.role != MandateRole.INVITED_EXPERT


def attendance_by_mandate(meeting: Meeting) -> dict[int, Attendance]:
    """The session's attendance rows, keyed by mandate."""
    rows = db.session.execute(select(Attendance).where(Attendance.meeting_id == meeting.id))
    return {a.mandate_id: a for a in rows.scalars()}


def record_presence(
    meeting: Meeting, presences: dict[int, Presence | None], *, now: datetime | None = None
) -> None:
    """Record presence per mandate id, once the session has started; unknown mandates are
    refused."""
    check_started(meeting, now or utcnow())
    expected = {m.id: m for m in expected_mandates(meeting)}
    unknown = set(presences) - set(expected)
    if unknown:
        raise MeetingError(_("Ce membre n'est pas attendu à cette séance."))
    rows = attendance_by_mandate(meeting)
    for mandate_id, presence in presences.items():
        row = rows.get(mandate_id)
        if row is None:
            row = Attendance(meeting=meeting, mandate=expected[mandate_id])
            db.session.add(row)
        row.presence = Presence(presence).value if presence else None
    db.session.flush()


# --- conflicts of interest ------------------------------------------------------------


@dataclass
class ConflictFlag:
    """Why a member may have to leave an item's debate and vote."""

    mandate: Mandate
    reasons: list[str] = field(default_factory=list)
    decision: Recusal | None = None

    @property
    def is_recused(self) -> bool:
        return self.decision is not None and self.decision.status == RecusalStatus.CONFIRMED

    @property
    def is_open(self) -> bool:
        return self.decision is None


def conflict_flags(meeting: Meeting) -> dict[int, list[ConflictFlag]]:
    """Per agenda item id: the flagged members with their reasons and the decision taken.

    A member is flagged on an item when a relevant link of their latest declaration names
    an organisation the item concerns, or when a decision was recorded for them on it. A
    member without a current declaration is not flagged on every item: the conflicts page
    lists them once (``missing_declarations``). Bounded queries.
    """
    day = meeting_day(meeting)
    mandates = expected_mandates(meeting)
    items = (
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .options(selectinload(AgendaItem.organisations), selectinload(AgendaItem.recusals))
            .order_by(AgendaItem.position)
        )
        .scalars()
        .all()
    )
    links = latest_links([m.person_id for m in mandates], day)
    result: dict[int, list[ConflictFlag]] = {}
    for item in items:
        decisions = {r.mandate_id: r for r in item.recusals}
        flags = []
        for mandate in mandates:
            reasons = link_reasons(links.get(mandate.person_id, []), item)
            if reasons or mandate.id in decisions:
                flags.append(ConflictFlag(mandate, reasons, decisions.get(mandate.id)))
        result[item.id] = flags
    return result


def link_reasons(links: Sequence[InterestLink], item: AgendaItem) -> list[str]:
    """Why ``links`` (one person's relevant declared links) flag ``item``: one line per match."""
    return [
        _("lien déclaré avec %(organisation)s", organisation=link.organisation)
        for link in links
        for organisation in item.organisations
        if organisations_match(link.organisation, organisation.name)
    ]


def missing_declarations(meeting: Meeting) -> list[Mandate]:
    """The expected participants without a current declaration of interests (none, or one
    more than twelve months old on the session's day), in name order."""
    mandates = expected_mandates(meeting)
    cleared = clearance([m.person_id for m in mandates], meeting_day(meeting))
    return [m for m in mandates if not cleared[m.person_id]]


def latest_links(person_ids: Sequence[int], day: date) -> dict[int, list[InterestLink]]:
    """The relevant links of each person's latest declaration made by ``day``."""
    if not person_ids:
        return {}
    latest = (
        select(InterestDeclaration.person_id, func.max(InterestDeclaration.declared_on).label("d"))
        .where(
            InterestDeclaration.person_id.in_(person_ids), InterestDeclaration.declared_on <= day
        )
        .group_by(InterestDeclaration.person_id)
        .subquery()
    )
    rows = db.session.execute(
        select(InterestDeclaration.person_id, InterestLink)
        .join(InterestLink.declaration)
        .join(
            latest,
            (latest.c.person_id == InterestDeclaration.person_id)
            & (latest.c.d == InterestDeclaration.declared_on),
        )
    ).all()
    result: dict[int, list[InterestLink]] = defaultdict(list)
    for person_id, link in rows:
        if link_is_relevant(link.ended_on, day):
            result[person_id].append(link)
    return result


def decide_recusal(
    item: AgendaItem, mandate: Mandate, status: RecusalStatus, reason: str, decided_by=None
) -> Recusal:
    """Confirm a recusal (déport) or clear a flag, with a reason (one decision per member)."""
    if mandate.committee_id != item.meeting.committee_id:
        raise MeetingError(_("Ce membre n'appartient pas au comité de la séance."))
    if not reason.strip():
        raise MeetingError(_("Indiquez le motif de la décision."))
    recusal = db.session.execute(
        select(Recusal).where(Recusal.item_id == item.id, Recusal.mandate_id == mandate.id)
    ).scalar_one_or_none()
    if recusal is None:
        recusal = Recusal(item=item, mandate=mandate)
        db.session.add(recusal)
    recusal.status = RecusalStatus(status).value
    recusal.reason = reason.strip()
    recusal.decided_by = decided_by
    db.session.flush()
    return recusal


# --- quorum ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemQuorum:
    """The quorum of one agenda item, after recusals."""

    voting_members: int  # voting mandates current on the day, less those recused
    present: int  # of them, present or remote
    required: int
    reached: bool
    recused: int


def quorum_by_item(meeting: Meeting) -> dict[int, ItemQuorum]:
    """Per agenda item id, the quorum computed after that item's confirmed recusals."""
    voters = [m for m in expected_mandates(meeting) if is_voting(m)]
    attendance = attendance_by_mandate(meeting)
    present_ids = {mid for mid, row in attendance.items() if row.presence in COUNTS_AS_PRESENT}
    recused = _recused_by_item(meeting)
    percent = meeting.committee.quorum_percent
    result = {}
    for item_id in [i.id for i in meeting.items]:
        out = recused.get(item_id, set())
        eligible = [m for m in voters if m.id not in out]
        present = sum(1 for m in eligible if m.id in present_ids)
        result[item_id] = ItemQuorum(
            voting_members=len(eligible),
            present=present,
            required=quorum_required(len(eligible), percent),
            reached=has_quorum(present, len(eligible), percent),
            recused=len(out & {m.id for m in voters}),
        )
    return result


def _recused_by_item(meeting: Meeting) -> dict[int, set[int]]:
    rows = db.session.execute(
        select(Recusal.item_id, Recusal.mandate_id)
        .join(Recusal.item)
        .where(AgendaItem.meeting_id == meeting.id, Recusal.status == RecusalStatus.CONFIRMED)
    ).all()
    result: dict[int, set[int]] = defaultdict(set)
    for item_id, mandate_id in rows:
        result[item_id].add(mandate_id)
    return result


# --- votes ----------------------------------------------------------------------------


def eligible_voters(item: AgendaItem) -> list[Mandate]:
    """Who may vote on ``item``: voting members present or remote, not recused on it."""
    meeting = item.meeting
    attendance = attendance_by_mandate(meeting)
    recused = _recused_by_item(meeting).get(item.id, set())
    return [
        m
        for m in expected_mandates(meeting)
        if is_voting(m)
        and m.id not in recused
        and attendance.get(m.id) is not None
        and attendance[m.id].presence in COUNTS_AS_PRESENT
    ]


def record_vote(
    item: AgendaItem,
    *,
    opinion: str,
    secret: bool,
    counts: tuple[int, int, int] | None = None,
    ballots: dict[int, BallotChoice] | None = None,
    now: datetime | None = None,
) -> Vote:
    """Record the vote on an item that calls for an opinion.

    Named votes give one ballot per eligible voter (the counts follow from them); secret
    votes give only the counts. The total never exceeds the voters present, recused
    members and invited experts cannot vote, and the opinion is adopted by a majority
    of the votes cast (abstentions not counted). Only once the session has started.
    """
    check_started(item.meeting, now or utcnow())
    if item.kind != ItemKind.OPINION:
        raise MeetingError(_("Seuls les points appelant un avis font l'objet d'un vote."))
    voters = {m.id: m for m in eligible_voters(item)}
    if secret:
        if counts is None:
            raise MeetingError(_("Indiquez le nombre de voix pour, contre et d'abstentions."))
        votes_for, against, abstain = counts
        ballots = {}
    else:
        ballots = ballots or {}
        strangers = set(ballots) - set(voters)
        if strangers:
            raise MeetingError(
                _("Seuls les membres votants présents et non déportés peuvent voter.")
            )
        votes_for, against, abstain = count_ballots(BallotChoice(c).value for c in ballots.values())
    if min(votes_for, against, abstain) < 0:
        raise MeetingError(_("Un nombre de voix ne peut pas être négatif."))
    if votes_for + against + abstain > len(voters):
        raise MeetingError(
            _(
                "%(total)s voix exprimées pour %(voters)s votants présents : le total dépasse "
                "le nombre de votants.",
                total=votes_for + against + abstain,
                voters=len(voters),
            )
        )
    vote = item.vote or Vote(item=item)
    db.session.add(vote)
    vote.secret = secret
    vote.votes_for, vote.votes_against, vote.abstentions = votes_for, against, abstain
    vote.opinion = opinion.strip()
    vote.adopted = votes_for > against
    vote.ballots = [
        Ballot(mandate_id=mid, choice=BallotChoice(c).value) for mid, c in ballots.items()
    ]
    db.session.flush()
    return vote
