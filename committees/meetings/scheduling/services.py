"""Operations on sessions: scheduling, participants, conflicts, quorum and votes.

Convocations live in convocations.py and minutes in minutes.py. Functions add to the
session and flush; the caller commits (or rolls back on ``MeetingError``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import (
    Committee,
    InterestDeclaration,
    InterestLink,
    Mandate,
    MandateRole,
    Person,
)
from committees.bodies.services import clearance
from committees.common.timeutils import PARIS, to_paris
from committees.extensions import db
from committees.meetings.models import (
    COUNTS_AS_PRESENT,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    ItemKind,
    Meeting,
    MeetingStatus,
    Presence,
    Recusal,
    RecusalStatus,
    Vote,
)
from committees.meetings.rules import (
    SeriesRule,
    count_ballots,
    has_quorum,
    link_is_relevant,
    organisations_match,
    overlaps,
    quorum_required,
    series_dates,
)

#: Changes that calendar clients must hear about: they raise the iCalendar SEQUENCE.
SIGNIFICANT_FIELDS = frozenset({"starts_at", "ends_at", "place", "format", "remote_link", "status"})


class MeetingError(ValueError):
    """A rule about sessions was broken; the message is for the person."""


# --- scheduling -----------------------------------------------------------------------


def next_number(committee: Committee) -> int:
    """The number the committee's next session gets."""
    current = db.session.execute(
        select(func.max(Meeting.number)).where(Meeting.committee_id == committee.id)
    ).scalar()
    return (current or 0) + 1


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise MeetingError(_("La fin de la séance doit suivre son début."))


def create_meeting(
    committee: Committee, *, title: str, starts_at: datetime, ends_at: datetime, **fields
) -> Meeting:
    """Schedule one session of ``committee``, numbered after the last one."""
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        committee=committee,
        number=next_number(committee),
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def check_editable(meeting: Meeting) -> None:
    """Refuse to edit a cancelled or postponed session: it stays in calendars as it was
    cancelled, and a postponed one lives on in the session it was postponed to."""
    if meeting.is_cancelled:
        raise MeetingError(
            _("Une séance annulée ou reportée ne se modifie plus : planifiez-en une nouvelle.")
        )


def update_meeting(meeting: Meeting, **fields) -> bool:
    """Change a session; returns whether the change was significant (SEQUENCE raised)."""
    _check_times(fields.get("starts_at", meeting.starts_at), fields.get("ends_at", meeting.ends_at))
    significant = any(
        key in SIGNIFICANT_FIELDS and getattr(meeting, key) != value
        for key, value in fields.items()
    )
    for key, value in fields.items():
        setattr(meeting, key, value)
    if significant:
        meeting.sequence += 1
    db.session.flush()
    return significant


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Cancel a session; it stays in calendars as cancelled."""
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED):
        raise MeetingError(_("Une séance tenue ne peut pas être annulée."))
    if meeting.is_cancelled:
        raise MeetingError(_("Cette séance est déjà annulée ou reportée."))
    update_meeting(meeting, status=MeetingStatus.CANCELLED.value, status_reason=reason.strip())


def postpone_meeting(
    meeting: Meeting, starts_at: datetime, ends_at: datetime, reason: str
) -> Meeting:
    """Postpone a session to a new one (a new session, pointed to by the old)."""
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_ADOPTED):
        raise MeetingError(_("Une séance tenue ne peut pas être reportée."))
    if meeting.is_cancelled:
        raise MeetingError(_("Cette séance est déjà annulée ou reportée."))
    replacement = create_meeting(
        meeting.committee,
        title=meeting.title,
        starts_at=starts_at,
        ends_at=ends_at,
        format=meeting.format,
        place=meeting.place,
        remote_link=meeting.remote_link,
        is_public=meeting.is_public,
    )
    meeting.postponed_to = replacement
    update_meeting(meeting, status=MeetingStatus.POSTPONED.value, status_reason=reason.strip())
    return replacement


def mark_held(meeting: Meeting, now: datetime) -> None:
    """Record that a planned or convened session took place (only once it has started).

    The calendars need not hear of it: the SEQUENCE stays as it is.
    """
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CONVENED):
        raise MeetingError(
            _("Seule une séance programmée ou convoquée peut être marquée comme tenue.")
        )
    if now < meeting.starts_at:
        raise MeetingError(_("La séance n'a pas encore commencé."))
    meeting.status = MeetingStatus.HELD.value
    db.session.flush()


@dataclass
class SchedulingWarning:
    """Something the secretariat should know before confirming a schedule."""

    message: str


def scheduling_warnings(
    committee: Committee,
    slots: Sequence[tuple[datetime, datetime]],
    *,
    exclude_id: int | None = None,
) -> list[SchedulingWarning]:
    """Two sessions of the committee on one day; members expected in overlapping sessions."""
    if not slots:
        return []
    low, high = min(s for s, _ in slots), max(e for _, e in slots)
    query = (
        select(Meeting)
        .where(
            Meeting.starts_at < high,
            Meeting.ends_at > low,
            Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
        )
        .options(selectinload(Meeting.committee))
    )
    if exclude_id is not None:
        query = query.where(Meeting.id != exclude_id)
    # Same-day clashes need the whole days around the slots, not only overlapping times.
    day_query = select(Meeting).where(
        Meeting.committee_id == committee.id,
        Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
    )
    if exclude_id is not None:
        day_query = day_query.where(Meeting.id != exclude_id)
    existing_days = {
        to_paris(m.starts_at).date(): m for m in db.session.execute(day_query).scalars()
    }
    others = db.session.execute(query).scalars().all()

    warnings: list[SchedulingWarning] = []
    seen_days: set[date] = set()
    for start, _end in slots:
        day = to_paris(start).date()
        if day in existing_days or day in seen_days:
            warnings.append(
                SchedulingWarning(
                    _("Le comité a déjà une séance le %(day)s.", day=day.strftime("%d/%m/%Y"))
                )
            )
        seen_days.add(day)
    warnings.extend(
        _member_clashes(committee, slots, [m for m in others if m.committee_id != committee.id])
    )
    return warnings


def _member_clashes(
    committee: Committee, slots: Sequence[tuple[datetime, datetime]], others: Sequence[Meeting]
) -> list[SchedulingWarning]:
    if not others:
        return []
    ours = persons_with_mandates([committee.id])
    theirs = persons_with_mandates({m.committee_id for m in others})
    warnings = []
    for slot in slots:
        for meeting in others:
            if not overlaps(slot, (meeting.starts_at, meeting.ends_at)):
                continue
            common = ours.get(committee.id, set()) & theirs.get(meeting.committee_id, set())
            for name in sorted(common):
                warnings.append(
                    SchedulingWarning(
                        _(
                            "%(person)s est aussi attendu·e à la séance « %(title)s » du %(when)s.",
                            person=name,
                            title=meeting.title,
                            when=to_paris(meeting.starts_at).strftime("%d/%m/%Y %H:%M"),
                        )
                    )
                )
    return warnings


def persons_with_mandates(committee_ids: Iterable[int]) -> dict[int, set[str]]:
    """Names of the persons holding an open or future mandate, per committee (one query)."""
    rows = db.session.execute(
        select(Mandate.committee_id, Person.first_name, Person.last_name)
        .join(Mandate.person)
        .where(Mandate.committee_id.in_(list(committee_ids)))
    ).all()
    result: dict[int, set[str]] = defaultdict(set)
    for committee_id, first, last in rows:
        result[committee_id].add(f"{first} {last}")
    return result


def plan_series(committee: Committee, rule: SeriesRule, *, title: str, **fields) -> list[Meeting]:
    """Create every session of a series (times kept in Paris time across DST changes)."""
    slots = series_dates(rule)
    if not slots:
        raise MeetingError(_("Cette règle ne produit aucune séance sur la période."))
    if rule.end_time <= rule.start_time:
        raise MeetingError(_("La fin de la séance doit suivre son début."))
    meetings = []
    for start, end in slots:
        label = to_paris(start).strftime("%d/%m/%Y")
        meetings.append(
            create_meeting(
                committee,
                title=title.replace("{date}", label),
                starts_at=start,
                ends_at=end,
                **fields,
            )
        )
    return meetings


# --- participants ---------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> date:
    """The session's date in Paris, against which mandates and declarations are read."""
    return meeting.starts_at.astimezone(PARIS).date()


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


def record_presence(meeting: Meeting, presences: dict[int, Presence | None]) -> None:
    """Record presence per mandate id; unknown mandates are refused."""
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
    an organisation the item concerns, and on every item when they are not cleared (no
    declaration at most twelve months old on the session's day). Bounded queries.
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
    person_ids = [m.person_id for m in mandates]
    cleared = clearance(person_ids, day)
    links = _latest_links(person_ids, day)
    result: dict[int, list[ConflictFlag]] = {}
    for item in items:
        decisions = {r.mandate_id: r for r in item.recusals}
        flags = []
        for mandate in mandates:
            reasons = []
            if not cleared[mandate.person_id]:
                reasons.append(_("déclaration d'intérêts absente ou de plus de douze mois"))
            for link in links.get(mandate.person_id, []):
                for organisation in item.organisations:
                    if organisations_match(link.organisation, organisation.name):
                        reasons.append(
                            _("lien déclaré avec %(organisation)s", organisation=link.organisation)
                        )
            if reasons or mandate.id in decisions:
                flags.append(ConflictFlag(mandate, reasons, decisions.get(mandate.id)))
        result[item.id] = flags
    return result


def _latest_links(person_ids: Sequence[int], day: date) -> dict[int, list[InterestLink]]:
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
) -> Vote:
    """Record the vote on an item that calls for an opinion.

    Named votes give one ballot per eligible voter (the counts follow from them); secret
    votes give only the counts. The total never exceeds the voters present, recused
    members and invited experts cannot vote, and the opinion is adopted by a majority
    of the votes cast (abstentions not counted).
    """
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
