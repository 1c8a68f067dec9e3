"""A held session of the CST Culture (``held``) and its minutes brought to any step, for the
minutes, comments, closed-item and personal-data tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from committees.auth.models import Role, User
from committees.bodies.models import Committee, CommitteeKind, Mandate, MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.meetings.conduct.services import decide_recusal, record_presence, record_vote
from committees.meetings.minutes.sections import sections_of
from committees.meetings.minutes.services import (
    adopt,
    latest_revision,
    publish,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import (
    AdoptionMode,
    AgendaItem,
    BallotChoice,
    Hearing,
    HearingStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    OrganisationKind,
    Presence,
    RecusalStatus,
)
from committees.meetings.scheduling.services import create_meeting
from tests.support.helpers import DEFAULT_PASSWORD, login

MANDATE_START = date(2022, 2, 17)
#: a sentence the secretariat writes in the minutes, looked for in every rendering
SENTENCE = "Le comité recommande de poursuivre l'expérimentation jusqu'en 2024."


@dataclass
class Held:
    """A held session of the CST Culture with attendance, a recusal, a hearing and votes."""

    committee: Committee
    meeting: Meeting
    next_meeting: Meeting
    secretariat: User
    member: User  # Anne Martin, president of the committee
    outsider: User  # a member of another committee
    mandates: dict[str, Mandate]


def _mandate(committee, first, last, role=MandateRole.MEMBER, **person) -> Mandate:
    holder = create_person(first_name=first, last_name=last, **person)
    return add_mandate(committee, MandateLine(holder, role, MANDATE_START))


def _committee(name: str, slug: str) -> Committee:
    return create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr=name,
        acronym="CST",
        slug=slug,
        start_date=date(2021, 8, 2),
        end_date=date(2024, 12, 31),
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
    )


@pytest.fixture
def held(db, make_user) -> Held:
    """The session of 4 May 2022, held: attendance, a recusal, a hearing, a named and a secret
    vote; Anne Martin (president) has a member account, Zoé sits in another committee."""
    secretariat = make_user(Role.SECRETARIAT, full_name="Sophie Secrétariat")
    member = make_user(Role.MEMBER, email="anne.martin@example.org", full_name="Anne Martin")
    outsider = make_user(Role.MEMBER, email="zoe@example.org", full_name="Zoé Autre")

    committee = _committee("Culture en France du cannabis à usage médical", "cst-culture")
    mandates = {
        "anne": _mandate(committee, "Anne", "Martin", MandateRole.PRESIDENT, title="Pr"),
        "bruno": _mandate(committee, "Bruno", "Petit", email="bruno.petit@example.org"),
        "claire": _mandate(committee, "Claire", "Durand"),
        "denis": _mandate(committee, "Denis", "Leroy"),
        "emma": _mandate(committee, "Emma", "Roux"),
        "gilles": _mandate(committee, "Gilles", "Moreau"),
        "fabrice": _mandate(
            committee, "Fabrice", "Blanc", MandateRole.INVITED_EXPERT, email="fb@example.org"
        ),
    }
    mandates["anne"].person.user_id = member.id
    other = _committee("Suivi de l'expérimentation", "cst-suivi")
    _mandate(other, "Zoé", "Autre").person.user_id = outsider.id

    meeting = create_meeting(
        committee,
        title="Auditions des opérateurs économiques",
        starts_at=datetime(2022, 5, 4, 12, 0, tzinfo=UTC),
        ends_at=datetime(2022, 5, 4, 15, 0, tzinfo=UTC),
        place="143-147 bd Anatole France, Saint-Denis",
        is_public=True,
    )
    next_meeting = create_meeting(
        committee,
        title="Séance de juin",
        starts_at=datetime(2022, 6, 1, 12, 0, tzinfo=UTC),
        ends_at=datetime(2022, 6, 1, 15, 0, tzinfo=UTC),
    )
    opinion = AgendaItem(
        meeting=meeting, position=1, title="Avis sur le cahier des charges", kind=ItemKind.OPINION
    )
    hearing_item = AgendaItem(
        meeting=meeting, position=2, title="Audition des associations", kind=ItemKind.HEARING
    )
    secret_item = AgendaItem(
        meeting=meeting, position=3, title="Avis sur le calendrier", kind=ItemKind.OPINION
    )
    hearing_item.hearings.append(
        Hearing(
            organisation="Association Principes Actifs",
            organisation_kind=OrganisationKind.PATIENT_ASSOCIATION,
            representatives="Mado Gilanton, présidente",
            status=HearingStatus.HEARD,
            summary="L'association demande un accès élargi aux fleurs séchées.",
        )
    )
    db.session.add_all([opinion, hearing_item, secret_item])
    db.session.flush()
    record_presence(
        meeting,
        {
            mandates["anne"].id: Presence.PRESENT,
            mandates["bruno"].id: Presence.PRESENT,
            mandates["claire"].id: Presence.REMOTE,
            mandates["denis"].id: Presence.EXCUSED,
            mandates["emma"].id: Presence.ABSENT,
            mandates["gilles"].id: Presence.PRESENT,
            mandates["fabrice"].id: Presence.PRESENT,
        },
    )
    decide_recusal(opinion, mandates["bruno"], RecusalStatus.CONFIRMED, "consultant d'un opérateur")
    record_vote(
        opinion,
        opinion="Avis favorable au cahier des charges.",
        secret=False,
        ballots={
            mandates["anne"].id: BallotChoice.FOR,
            mandates["gilles"].id: BallotChoice.FOR,
            mandates["claire"].id: BallotChoice.AGAINST,
        },
    )
    record_vote(secret_item, opinion="Calendrier validé.", secret=True, counts=(3, 0, 1))
    meeting.status = MeetingStatus.HELD.value
    db.session.commit()
    return Held(committee, meeting, next_meeting, secretariat, member, outsider, mandates)


def signed_in_client(app, user: User):
    """A new client of ``app``, signed in as ``user`` through the form."""
    client = app.test_client()
    response = login(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    return client


def minutes_at(db, held: Held, step: MinutesStatus) -> Minutes:
    """The session's minutes brought to ``step`` through the services."""
    minutes = start_minutes(held.meeting, held.secretariat)
    save_revision(
        minutes, {"opening": f"# Compte rendu\n\n{SENTENCE}\n"}, 1, held.secretariat, "rédaction"
    )
    if step != MinutesStatus.DRAFT:
        send_for_comments(minutes)
    if step in (MinutesStatus.ADOPTED, MinutesStatus.PUBLISHED):
        adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    if step == MinutesStatus.PUBLISHED:
        publish(minutes)
    db.session.commit()
    return minutes


def section_of(minutes: Minutes, key: str):
    """The section ``key`` (``opening``, ``item-<id>``...) of the latest revision."""
    return next(s for s in sections_of(latest_revision(minutes)) if s.key == key)


def item_section_id(minutes: Minutes, item: AgendaItem) -> int:
    """The row id of ``item``'s section in the latest revision."""
    return section_of(minutes, f"item-{item.id}").row_id
