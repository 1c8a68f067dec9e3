"""Situations the API tests share: the demo data, plus one of each thing the public must not see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from committees.bodies.models import CommitteeKind
from committees.bodies.services import committee_by_slug, create_committee
from committees.calls.models import Call, Contribution
from committees.decisions.models import DecisionKind
from committees.decisions.services import create_decision, record_concerns
from committees.demo import seed_all
from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI
from committees.demo.calls import seed_calls
from committees.extensions import db
from committees.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Vote,
)
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting
from tests.support.demo_template import seeded

#: the day the demo is seeded for: after the 4 May 2022 session, before the summer
DEMO_TODAY = date(2022, 5, 15)
#: a decision recorded but never published
DRAFT_DECISION = "2022-99"
#: the closed item of the CST Suivi's March 2022 session (demo data)
CLOSED_ITEM = "Situation individuelle d'un centre de référence"
#: a committee that exists but is not published
HIDDEN_SLUG = "comite-en-preparation"
#: the title of a closed (non-public) session
CLOSED_SESSION = "Séance à huis clos de préparation"
#: text of draft minutes' vote, never public
SECRET_OPINION = "Avis encore confidentiel du comité"


def seed_demo() -> None:
    """The demo data (sessions, minutes, decisions, the AMI-2022 call and its contributions):
    seeded by the application once per session, copied into each later test
    (``tests.support.demo_template``)."""
    seeded("api demo", _seed_demo)


def _seed_demo() -> None:
    seed_all(today=DEMO_TODAY)
    seed_calls(DEMO_TODAY)  # already part of seed_all today; harmless when it is
    db.session.commit()


def meeting_of(slug: str, month: str) -> Meeting:
    """The committee's session starting in ``month`` (« 2022-03 »)."""
    committee = committee_by_slug(slug)
    meetings = db.session.execute(
        select(Meeting).where(Meeting.committee_id == committee.id).order_by(Meeting.starts_at)
    ).scalars()
    return next(m for m in meetings if m.starts_at.strftime("%Y-%m") == month)


def publish_minutes(meeting: Meeting, when: datetime) -> Minutes:
    """Minutes of ``meeting`` published at ``when`` (the workflow has its own tests)."""
    minutes = meeting.minutes or Minutes(meeting=meeting, adopted_on=when.date())
    minutes.status = MinutesStatus.PUBLISHED.value
    minutes.published_at = when
    db.session.add(minutes)
    db.session.flush()
    return minutes


def add_private_things() -> None:
    """One of each thing the public must never see, beside the demo data."""
    hidden = create_committee(
        kind=CommitteeKind.PERMANENT,
        name_fr="Comité en préparation",
        slug=HIDDEN_SLUG,
        start_date=date(2022, 1, 1),
    )
    draft = create_decision(
        number=DRAFT_DECISION,
        title="Décision non publiée",
        kind=DecisionKind.OTHER,
        signed_on=date(2022, 5, 2),
    )
    record_concerns(draft, committee_by_slug(SUIVI))
    closed = create_meeting(
        committee_by_slug(CSP_MIXTE),
        title=CLOSED_SESSION,
        starts_at=paris_to_utc(date(2022, 4, 5), time(10, 0)),
        ends_at=paris_to_utc(date(2022, 4, 5), time(12, 0)),
        format=MeetingFormat.VIDEOCONFERENCE.value,
        remote_link="https://visio.ansm.example/huis-clos",
        is_public=False,
    )
    closed.status = MeetingStatus.HELD.value
    # Draft minutes, with a vote, on a public session: neither shows before publication.
    culture = meeting_of(CULTURE, "2022-05")
    db.session.add(Minutes(meeting=culture, status=MinutesStatus.DRAFT.value))
    item = culture.items[0]
    db.session.add(Vote(item=item, opinion=SECRET_OPINION, votes_for=5, adopted=True))
    db.session.add(
        AgendaItem(
            meeting=hidden_meeting(hidden), position=1, title="Point caché", kind="information"
        )
    )
    db.session.commit()


def hidden_meeting(committee) -> Meeting:
    return create_meeting(
        committee,
        title="Séance d'un comité non publié",
        starts_at=datetime(2022, 4, 6, 8, 0, tzinfo=UTC),
        ends_at=datetime(2022, 4, 6, 10, 0, tzinfo=UTC),
        is_public=True,
        agenda_published_at=datetime(2022, 4, 1, 8, 0, tzinfo=UTC),
    )


def contact_names() -> list[str]:
    """The contact persons of every contribution (never public)."""
    return list(db.session.execute(select(Contribution.contact_name)).scalars())


def demo_call() -> Call:
    return db.session.execute(select(Call)).scalars().one()
