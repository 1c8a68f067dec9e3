"""The figures of a yearly activity report, as plain frozen dataclasses.

Built by ``committees.reports.computing.report_figures``; read by the HTML page, the PDF,
the CSV and the API, so that every format shows the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percentage, halves rounded up; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class SessionFigures:
    """One session of the year; the counts are for held sessions (zero otherwise)."""

    number: int
    day: date
    status: str
    held: bool
    #: the session itself, for the secretariat's links (never published)
    meeting_id: int
    #: voting members expected (mandate covering the day), and those present or remote
    voting_members: int
    voting_present: int
    quorum_required: int
    #: None for a session that was not held
    quorum_reached: bool | None
    #: expected members (experts included) and, of them, with a current declaration
    members_expected: int
    declarations_current: int
    recusals: int
    votes: int
    hearings: int

    @property
    def declarations_up_to_date(self) -> bool:
        return self.declarations_current == self.members_expected


@dataclass(frozen=True)
class MemberAttendance:
    """A member's attendance over the held sessions the member was expected at."""

    name: str
    role: str
    expected: int
    present: int
    #: the person's recorded civility, for the role's label (« Présidente »)
    civility: str = ""

    @property
    def rate(self) -> int | None:
        return percent(self.present, self.expected)


@dataclass(frozen=True)
class ItemRecusals:
    """Confirmed recusals (déports) on one agenda item."""

    session_number: int
    day: date
    item_number: int
    #: empty for a closed item (its title is not public)
    title: str
    count: int


@dataclass(frozen=True)
class VoteLine:
    """The vote on one item that called for an opinion."""

    session_number: int
    day: date
    item_number: int
    #: empty for a closed item
    title: str
    votes_for: int
    votes_against: int
    abstentions: int
    adopted: bool


@dataclass(frozen=True)
class HearingLine:
    """An organisation heard in a session of the year."""

    session_number: int
    day: date
    #: empty when heard on a closed item
    organisation: str
    organisation_kind: str


@dataclass(frozen=True)
class CallLine:
    """A call of the committee opened during the year, with the contributions received."""

    reference: str
    title: str
    opens_on: date
    contributions: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything a yearly report counts, computed from the record."""

    year: int
    sessions: tuple[SessionFigures, ...]
    members: tuple[MemberAttendance, ...]
    recusals: tuple[ItemRecusals, ...]
    votes: tuple[VoteLine, ...]
    hearings: tuple[HearingLine, ...]
    calls: tuple[CallLine, ...]
    #: written procedures closed in the year, and those among them whose opinion was adopted
    written_procedures: int = 0
    written_opinions: int = 0

    def unmarked(self, today: date) -> tuple[SessionFigures, ...]:
        """Past sessions still planned or convened: never marked held, they count
        nowhere (the secretariat is told, so that the report does not under-report)."""
        waiting = ("planned", "convened")
        return tuple(s for s in self.sessions if s.day < today and s.status in waiting)

    def _count(self, status: str) -> int:
        return sum(1 for s in self.sessions if s.status == status)

    @property
    def held(self) -> int:
        return sum(1 for s in self.sessions if s.held)

    @property
    def cancelled(self) -> int:
        return self._count("cancelled")

    @property
    def postponed(self) -> int:
        return self._count("postponed")

    @property
    def quorum_reached(self) -> int:
        return sum(1 for s in self.sessions if s.quorum_reached)

    @property
    def recusal_count(self) -> int:
        return sum(r.count for r in self.recusals)

    @property
    def opinions_adopted(self) -> int:
        return sum(1 for v in self.votes if v.adopted)

    @property
    def organisations_heard(self) -> list[str]:
        """Each organisation named publicly once, in the order first heard."""
        return list(dict.fromkeys(h.organisation for h in self.hearings if h.organisation))

    @property
    def contributions(self) -> int:
        return sum(c.contributions for c in self.calls)

    @property
    def attendance_rate(self) -> int | None:
        """Overall rate: presences over expected places, all members together."""
        return percent(sum(m.present for m in self.members), sum(m.expected for m in self.members))
