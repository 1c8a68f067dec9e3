"""Builders of the meeting tests: committees, members, sessions, agenda items and documents.

Fixtures: ``committee`` (a published permanent committee, the CST of the scheduling and
session-page tests), ``published_committee`` (the CST Culture, published) and ``meeting``
(its session of 4 May 2022: the agenda and hearing tests), ``secretary`` (a secretariat
account signed in on ``client``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from committees.bodies.models import CommitteeKind, MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.common.timeutils import utcnow
from committees.meetings.models import AgendaDocument, AgendaItem, Meeting
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting

#: the day of the session the agenda and hearing tests work on
SESSION_DAY = date(2022, 5, 4)


def make_committee(db, name: str = "Suivi du cannabis médical", acronym: str = "CST", **fields):
    """A committee (published unless told otherwise), from June 2021."""
    fields.setdefault("published_at", datetime(2021, 6, 8, tzinfo=UTC))
    committee = create_committee(
        kind=CommitteeKind.PERMANENT,
        name_fr=name,
        acronym=acronym,
        start_date=date(2021, 6, 1),
        **fields,
    )
    db.session.commit()
    return committee


def appoint(db, committee, first: str, last: str, *, start=date(2021, 6, 1), end=None, user=None):
    """A person with a mandate in ``committee``; linked to ``user`` when given."""
    person = create_person(first_name=first, last_name=last)
    if user is not None:
        person.user_id = user.id
    mandate = add_mandate(
        committee,
        MandateLine(person=person, role=MandateRole.MEMBER, start_date=start, end_date=end),
    )
    db.session.commit()
    return mandate


def schedule(db, committee, day: date, start=(14, 0), end=(17, 0), title=None, **fields):
    """A session of ``committee`` on ``day`` (times in Paris), through the service."""
    meeting = create_meeting(
        committee,
        title=title or f"Séance du {day:%d/%m/%Y}",
        starts_at=paris_to_utc(day, time(*start)),
        ends_at=paris_to_utc(day, time(*end)),
        **fields,
    )
    db.session.commit()
    return meeting


def add_item(db, meeting, position, title, *, kind="discussion", is_public=True, **fields):
    """An agenda item written straight to the table (no service rule in the way)."""
    item = AgendaItem(
        meeting=meeting, position=position, title=title, kind=kind, is_public=is_public, **fields
    )
    db.session.add(item)
    db.session.commit()
    return item


def add_document(db, item, title, *, members_only):
    """A document row of ``item`` (no stored file behind it)."""
    document = AgendaDocument(
        item=item,
        title=title,
        sha256="0" * 64,
        filename="note.pdf",
        content_type="application/pdf",
        size=10,
        members_only=members_only,
    )
    db.session.add(document)
    db.session.commit()
    return document


def make_published_committee(db):
    """The CST Culture, published on the public site (the agenda and hearing tests)."""
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture en France du cannabis à usage médical",
        start_date=date(2021, 8, 2),
        end_date=date(2024, 12, 31),
        published_at=utcnow(),
    )
    db.session.commit()
    return committee


def session_of(db, committee) -> Meeting:
    """Its session of 4 May 2022, 14:00-17:00 Paris time."""
    meeting = create_meeting(
        committee,
        title="Séance du 4 mai 2022 — auditions des opérateurs",
        starts_at=paris_to_utc(SESSION_DAY, time(14, 0)),
        ends_at=paris_to_utc(SESSION_DAY, time(17, 0)),
    )
    db.session.commit()
    return meeting


@pytest.fixture
def committee(db):
    """A published permanent committee, « Suivi du cannabis médical » (CST), from June 2021."""
    return make_committee(db)


@pytest.fixture
def secretary(secretariat):
    """The meeting tests' name for ``secretariat``: an account of the secretariat
    (secretariat@example.org) signed in on ``client``."""
    return secretariat


@pytest.fixture
def published_committee(db):
    """The CST Culture, temporary (August 2021 to 2024), published."""
    return make_published_committee(db)


@pytest.fixture
def meeting(db, published_committee) -> Meeting:
    """The session of ``published_committee`` on 4 May 2022, 14:00-17:00 Paris time."""
    return session_of(db, published_committee)
