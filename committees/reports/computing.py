"""The figures of a committee's year of activity, computed from the record.

``report_figures`` reads a committee's year in a fixed number of queries (sessions,
mandates, attendance, declarations, recusals, votes, hearings, calls), whatever the
number of sessions or members. Nothing here changes data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee, InterestDeclaration, Mandate
from committees.bodies.rules import is_declaration_current
from committees.calls.models import Call, Contribution, ContributionStatus
from committees.calls.rules import PUBLIC_STATUSES
from committees.common.timeutils import PARIS, to_paris
from committees.extensions import db
from committees.meetings.conduct.services import is_voting
from committees.meetings.models import (
    COUNTS_AS_PRESENT,
    AgendaItem,
    Attendance,
    Hearing,
    HearingStatus,
    Meeting,
    MeetingStatus,
    Recusal,
    RecusalStatus,
    Vote,
)
from committees.meetings.rules import has_quorum, quorum_required
from committees.procedures.models import WrittenProcedure
from committees.reports.figures import (
    CallLine,
    HearingLine,
    ItemRecusals,
    MemberAttendance,
    ReportFigures,
    SessionFigures,
    VoteLine,
)

#: sessions that took place
HELD_STATUSES = frozenset({MeetingStatus.HELD.value, MeetingStatus.MINUTES_ADOPTED.value})


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The UTC instants of 1 January 00:00 in Paris of ``year`` and of the next year."""
    start = datetime.combine(date(year, 1, 1), time(), tzinfo=PARIS).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), tzinfo=PARIS).astimezone(UTC)
    return start, end


def _day(instant: datetime) -> date:
    return to_paris(instant).date()


# --- figures --------------------------------------------------------------------------


def _meetings(committee: Committee, year: int) -> list[Meeting]:
    start, end = _year_bounds(year)
    return list(
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.committee_id == committee.id,
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        ).scalars()
    )


def _mandates(committee: Committee, year: int) -> list[Mandate]:
    """Mandates of the committee overlapping the year, with their persons (two queries)."""
    return list(
        db.session.execute(
            select(Mandate)
            .where(
                Mandate.committee_id == committee.id,
                Mandate.start_date <= date(year, 12, 31),
                or_(Mandate.end_date.is_(None), Mandate.end_date >= date(year, 1, 1)),
            )
            .options(selectinload(Mandate.person))
            .order_by(Mandate.start_date, Mandate.id)
        ).scalars()
    )


def _presences(meeting_ids: list[int]) -> set[tuple[int, int]]:
    """(meeting id, mandate id) of everyone present or remote."""
    if not meeting_ids:
        return set()
    rows = db.session.execute(
        select(Attendance.meeting_id, Attendance.mandate_id).where(
            Attendance.meeting_id.in_(meeting_ids),
            Attendance.presence.in_([p.value for p in COUNTS_AS_PRESENT]),
        )
    )
    return {(meeting_id, mandate_id) for meeting_id, mandate_id in rows}


def _declarations(person_ids: set[int], year: int) -> dict[int, list[date]]:
    """Each person's declaration dates up to the end of the year, oldest first."""
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(InterestDeclaration.person_id, InterestDeclaration.declared_on)
        .where(
            InterestDeclaration.person_id.in_(person_ids),
            InterestDeclaration.declared_on <= date(year, 12, 31),
        )
        .order_by(InterestDeclaration.declared_on)
    )
    result: dict[int, list[date]] = defaultdict(list)
    for person_id, declared_on in rows:
        result[person_id].append(declared_on)
    return result


def _latest_by(dates: list[date], day: date) -> date | None:
    earlier = [d for d in dates if d <= day]
    return earlier[-1] if earlier else None


def _items(meeting_ids: list[int], *conditions, model=None) -> list:
    """Rows of ``model`` joined to their agenda item, for the given sessions."""
    if not meeting_ids:
        return []
    return list(
        db.session.execute(
            select(model, AgendaItem)
            .join(AgendaItem, AgendaItem.id == model.item_id)
            .where(AgendaItem.meeting_id.in_(meeting_ids), *conditions)
            .order_by(AgendaItem.meeting_id, AgendaItem.position, model.id)
        ).all()
    )


def _public_title(item: AgendaItem, meeting: Meeting) -> str:
    # A closed item or session keeps its title off the public report.
    return item.title if item.is_public and meeting.is_public else ""


def _calls(committee: Committee, year: int) -> list[CallLine]:
    start, end = _year_bounds(year)
    received = func.count(Contribution.id)
    rows = db.session.execute(
        select(Call, received)
        .outerjoin(
            Contribution,
            (Contribution.call_id == Call.id)
            & (Contribution.status != ContributionStatus.WITHDRAWN.value),
        )
        .where(
            Call.committee_id == committee.id,
            Call.status.in_(PUBLIC_STATUSES),
            Call.opens_at >= start,
            Call.opens_at < end,
        )
        .group_by(Call.id)
        .order_by(Call.opens_at, Call.id)
    ).all()
    return [CallLine(c.reference, c.title, _day(c.opens_at), n) for c, n in rows]


def _session_figures(meeting, mandates, presences, declarations, counts) -> SessionFigures:
    day = _day(meeting.starts_at)
    held = meeting.status in HELD_STATUSES
    expected = [m for m in mandates if m.is_current_on(day)] if held else []
    voters = [m for m in expected if is_voting(m)]
    present = sum(1 for m in voters if (meeting.id, m.id) in presences)
    persons = {m.person_id for m in expected}
    current = sum(
        1
        for pid in persons
        if is_declaration_current(_latest_by(declarations.get(pid, []), day), day)
    )
    percent_needed = meeting.committee.quorum_percent
    return SessionFigures(
        number=meeting.number,
        day=day,
        status=meeting.status,
        held=held,
        meeting_id=meeting.id,
        voting_members=len(voters),
        voting_present=present,
        quorum_required=quorum_required(len(voters), percent_needed) if held else 0,
        quorum_reached=has_quorum(present, len(voters), percent_needed) if held else None,
        members_expected=len(persons),
        declarations_current=current,
        recusals=counts["recusals"].get(meeting.id, 0),
        votes=counts["votes"].get(meeting.id, 0),
        hearings=counts["hearings"].get(meeting.id, 0),
    )


def _attendance(meetings, mandates, presences) -> list[MemberAttendance]:
    """Per person, over the held sessions where one of their mandates was current."""
    lines: dict[int, dict] = {}
    for meeting in meetings:
        if meeting.status not in HELD_STATUSES:
            continue
        day = _day(meeting.starts_at)
        for mandate in mandates:
            if not mandate.is_current_on(day):
                continue
            line = lines.setdefault(mandate.person_id, {"expected": 0, "present": 0})
            # The latest mandate of the year gives the role shown.
            line["mandate"] = mandate
            line["expected"] += 1
            line["present"] += (meeting.id, mandate.id) in presences
    ordered = sorted(lines.values(), key=lambda line: line["mandate"].person.sort_name.casefold())
    return [
        MemberAttendance(
            name=line["mandate"].person.display_name,
            role=line["mandate"].role,
            expected=line["expected"],
            present=line["present"],
            civility=line["mandate"].person.civility,
        )
        for line in ordered
    ]


def report_figures(committee: Committee, year: int) -> ReportFigures:
    """The figures of ``committee``'s activity in ``year`` (sessions by their day in Paris),
    computed from sessions, attendance, declarations, recusals, votes, hearings and calls
    in a fixed number of queries."""
    meetings = _meetings(committee, year)
    by_id = {m.id: m for m in meetings}
    held_ids = [m.id for m in meetings if m.status in HELD_STATUSES]
    mandates = _mandates(committee, year)
    presences = _presences(held_ids)
    declarations = _declarations({m.person_id for m in mandates}, year)
    recusal_rows = _items(held_ids, Recusal.status == RecusalStatus.CONFIRMED.value, model=Recusal)
    vote_rows = _items(held_ids, model=Vote)
    hearing_rows = _items(held_ids, Hearing.status == HearingStatus.HEARD.value, model=Hearing)
    counts: dict[str, dict[int, int]] = {"recusals": {}, "votes": {}, "hearings": {}}
    for key, rows in (("recusals", recusal_rows), ("votes", vote_rows), ("hearings", hearing_rows)):
        for _row, item in rows:
            counts[key][item.meeting_id] = counts[key].get(item.meeting_id, 0) + 1
    return ReportFigures(
        year=year,
        sessions=tuple(
            _session_figures(m, mandates, presences, declarations, counts) for m in meetings
        ),
        members=tuple(_attendance(meetings, mandates, presences)),
        recusals=tuple(_recusal_lines(recusal_rows, by_id)),
        votes=tuple(_vote_lines(vote_rows, by_id)),
        hearings=tuple(_hearing_lines(hearing_rows, by_id)),
        calls=tuple(_calls(committee, year)),
        **_written_procedures(committee, year),
    )


def _written_procedures(committee: Committee, year: int) -> dict[str, int]:
    """Written procedures closed in the year (Paris), and how many adopted an opinion."""
    start, end = _year_bounds(year)
    rows = db.session.execute(
        select(WrittenProcedure.adopted).where(
            WrittenProcedure.committee_id == committee.id,
            WrittenProcedure.closed_at >= start,
            WrittenProcedure.closed_at < end,
        )
    ).scalars()
    adopted = list(rows)
    return {"written_procedures": len(adopted), "written_opinions": sum(1 for a in adopted if a)}


def _recusal_lines(rows, by_id: dict[int, Meeting]) -> list[ItemRecusals]:
    per_item: dict[int, list] = {}
    for _recusal, item in rows:
        per_item.setdefault(item.id, [item, 0])[1] += 1
    lines = []
    for item, count in per_item.values():
        meeting = by_id[item.meeting_id]
        lines.append(
            ItemRecusals(
                meeting.number,
                _day(meeting.starts_at),
                item.position,
                _public_title(item, meeting),
                count,
            )
        )
    return lines


def _hearing_lines(rows, by_id: dict[int, Meeting]) -> list[HearingLine]:
    lines = []
    for hearing, item in rows:
        meeting = by_id[item.meeting_id]
        # Heard on a closed item: counted, but the organisation is not named publicly.
        shown = hearing.organisation if _public_title(item, meeting) else ""
        lines.append(
            HearingLine(meeting.number, _day(meeting.starts_at), shown, hearing.organisation_kind)
        )
    return lines


def _vote_lines(rows, by_id: dict[int, Meeting]) -> list[VoteLine]:
    lines = []
    for vote, item in rows:
        meeting = by_id[item.meeting_id]
        lines.append(
            VoteLine(
                meeting.number,
                _day(meeting.starts_at),
                item.position,
                _public_title(item, meeting),
                vote.votes_for,
                vote.votes_against,
                vote.abstentions,
                vote.adopted,
            )
        )
    return lines
