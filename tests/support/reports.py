"""A hand-built year of a committee, whose report figures are known in advance.

Committee « Comité de test des rapports » (quorum: strictly more than 50 % of voting members).
Members over 2022: Alice Martin (présidente), Bruno Durand, Chloé Petit, Denis Roux (patient
representative, mandate ends 30/06/2022), Eva Leroy (invited expert, never votes) and Fabien
Moreau (from 01/06/2022).

Sessions of 2022 (Paris days):
  n°2 03/03 held: present Alice, Bruno, Chloé (remote), Eva; Denis absent.
       voting 4, present 3, required 3: quorum reached. Declarations current: Alice, Chloé,
       Denis (Bruno's is from 01/03/2021, Eva has none): 3 of 5.
       item 1 (opinion, public): Bruno recused, vote 2-0-1 adopted;
       item 2 (opinion, closed): Chloé recused, Alice's flag cleared; vote 1-2-0 not adopted.
  n°3 07/04 held: present Alice, Eva; Bruno excused. voting 4, present 1: no quorum.
       hearing item: two organisations heard, one declined; a closed hearing item: one
       organisation heard, counted but never named publicly.
  n°4 05/05 cancelled.
  n°5 02/06 postponed to n°6 16/06 held: Alice, Bruno, Chloé, Denis present.
       voting 5 (Fabien), present 4, required 3: reached.
  n°7 01/12 planned (not held).
Outside 2022: n°1 on 02/12/2021 held, n°8 on 05/01/2023 held (all present): never counted.

Attendance over the 3 held sessions: Alice 3/3 (100 %), Bruno 2/3 (67 %), Chloé 2/3 (67 %),
Denis 1/3 (33 %), Eva 2/3 (67 %), Fabien 0/1 (0 %); overall 10/16 = 62.5 % shown 63 %.
Calls: one opened 15/03/2022 with 3 contributions, one withdrawn (2 received); a draft call
of 2022 and a call of 2021 are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from committees.auth.models import Role
from committees.bodies.models import (
    Committee,
    InterestDeclaration,
    Mandate,
    MandateRole,
    Person,
)
from committees.calls.models import CallStatus, ContributionStatus
from committees.extensions import db
from committees.meetings.models import (
    AgendaItem,
    Attendance,
    Hearing,
    HearingStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Presence,
    Recusal,
    RecusalStatus,
    Vote,
)
from committees.meetings.rules import paris_to_utc
from tests.support.calls import IN_2022, contribute, make_call, make_committee

P, R, E, A = Presence.PRESENT, Presence.REMOTE, Presence.EXCUSED, Presence.ABSENT


@dataclass
class Year:
    committee: Committee
    persons: dict[str, Person]
    mandates: dict[str, Mandate]
    meetings: dict[int, Meeting]


def _person(first: str, last: str, declared: date | None) -> Person:
    person = Person(first_name=first, last_name=last)
    if declared:
        person.declarations.append(InterestDeclaration(declared_on=declared))
    db.session.add(person)
    return person


def add_meeting(committee, number, day, status=MeetingStatus.HELD, *, is_public=True) -> Meeting:
    meeting = Meeting(
        committee=committee,
        number=number,
        title=f"Séance n°{number}",
        starts_at=paris_to_utc(day, time(14, 0)),
        ends_at=paris_to_utc(day, time(17, 0)),
        status=status.value,
        is_public=is_public,
    )
    db.session.add(meeting)
    return meeting


def add_presences(meeting: Meeting, presences: dict[Mandate, Presence]) -> None:
    for mandate, presence in presences.items():
        db.session.add(Attendance(meeting=meeting, mandate=mandate, presence=presence.value))


def add_item(meeting, position, title, kind=ItemKind.OPINION, *, is_public=True) -> AgendaItem:
    item = AgendaItem(
        meeting=meeting, position=position, title=title, kind=kind.value, is_public=is_public
    )
    db.session.add(item)
    return item


def _recusal(item, mandate, status=RecusalStatus.CONFIRMED) -> None:
    db.session.add(Recusal(item=item, mandate=mandate, status=status.value, reason="Lien déclaré"))


def _vote(item, votes: tuple[int, int, int]) -> None:
    db.session.add(
        Vote(
            item=item,
            votes_for=votes[0],
            votes_against=votes[1],
            abstentions=votes[2],
            opinion="Avis du comité",
            adopted=votes[0] > votes[1],
        )
    )


def add_hearing(item, organisation, kind, status=HearingStatus.HEARD) -> None:
    db.session.add(
        Hearing(item=item, organisation=organisation, organisation_kind=kind, status=status.value)
    )


def build_year(make_user) -> Year:
    """The committee and its 2022 as described in the module's docstring."""
    committee = make_committee("Comité de test des rapports")
    persons = {
        "alice": _person("Alice", "Martin", date(2021, 12, 1)),
        "bruno": _person("Bruno", "Durand", date(2021, 3, 1)),
        "chloe": _person("Chloé", "Petit", date(2022, 1, 10)),
        "denis": _person("Denis", "Roux", date(2022, 1, 10)),
        "eva": _person("Eva", "Leroy", None),
        "fabien": _person("Fabien", "Moreau", date(2022, 5, 20)),
    }
    roles = {
        "alice": (MandateRole.PRESIDENT, date(2021, 8, 2), None),
        "bruno": (MandateRole.MEMBER, date(2021, 8, 2), None),
        "chloe": (MandateRole.MEMBER, date(2021, 8, 2), None),
        "denis": (MandateRole.PATIENT_REPRESENTATIVE, date(2021, 8, 2), date(2022, 6, 30)),
        "eva": (MandateRole.INVITED_EXPERT, date(2021, 8, 2), None),
        "fabien": (MandateRole.MEMBER, date(2022, 6, 1), None),
    }
    mandates = {}
    for key, (role, start, end) in roles.items():
        mandates[key] = Mandate(
            person=persons[key],
            committee=committee,
            role=role.value,
            voting=role != MandateRole.INVITED_EXPERT,
            start_date=start,
            end_date=end,
        )
        db.session.add(mandates[key])
    m = mandates
    everyone = {mandate: P for key, mandate in m.items() if key != "fabien"}

    before = add_meeting(committee, 1, date(2021, 12, 2))
    add_presences(before, everyone)

    march = add_meeting(committee, 2, date(2022, 3, 3))
    add_presences(march, {m["alice"]: P, m["bruno"]: P, m["chloe"]: R, m["eva"]: P, m["denis"]: A})
    protocol = add_item(march, 1, "Avis sur le protocole de suivi")
    closed = add_item(march, 2, "Dossier industriel confidentiel", is_public=False)
    _recusal(protocol, m["bruno"])
    _recusal(closed, m["chloe"])
    _recusal(closed, m["alice"], RecusalStatus.CLEARED)
    _vote(protocol, (2, 0, 1))
    _vote(closed, (1, 2, 0))

    april = add_meeting(committee, 3, date(2022, 4, 7))
    add_presences(april, {m["alice"]: P, m["eva"]: R, m["bruno"]: E})
    hearings = add_item(april, 1, "Auditions", ItemKind.HEARING)
    add_hearing(hearings, "Association Principes Actifs", "patient_association")
    add_hearing(hearings, "Société française de pharmacologie", "learned_society")
    add_hearing(hearings, "Phytopharma", "economic_operator", HearingStatus.DECLINED)
    closed_hearing = add_item(
        april, 2, "Audition confidentielle", ItemKind.HEARING, is_public=False
    )
    add_hearing(closed_hearing, "Laboratoire Discret", "economic_operator")

    add_meeting(committee, 4, date(2022, 5, 5), MeetingStatus.CANCELLED)
    june = add_meeting(committee, 6, date(2022, 6, 16), MeetingStatus.MINUTES_ADOPTED)
    postponed = add_meeting(committee, 5, date(2022, 6, 2), MeetingStatus.POSTPONED)
    postponed.postponed_to = june
    add_presences(june, {m[k]: P for k in ("alice", "bruno", "chloe", "denis")} | {m["fabien"]: E})
    add_meeting(committee, 7, date(2022, 12, 1), MeetingStatus.PLANNED)

    after = add_meeting(committee, 8, date(2023, 1, 5))
    add_presences(after, {mandate: P for key, mandate in m.items() if key != "denis"})
    db.session.commit()

    call = make_call(committee, **IN_2022)
    for n in range(3):
        contribution = contribute(call, make_user(Role.CONTRIBUTOR), organisation=f"Filière {n}")
        if n == 2:
            contribution.status = ContributionStatus.WITHDRAWN.value
    make_call(committee, publish=False, **IN_2022)
    make_call(
        committee,
        opens_at=datetime(2021, 10, 1, tzinfo=UTC),
        closes_at=datetime(2021, 11, 1, tzinfo=UTC),
        status=CallStatus.CLOSED.value,
    )
    db.session.commit()
    meetings = {meeting.number: meeting for meeting in (before, march, april, june, after)}
    return Year(committee, persons, mandates, meetings)
