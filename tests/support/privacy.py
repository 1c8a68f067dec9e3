"""A situation for the personal-data tests: a held session with published minutes and a
comment, a contributor with a consented and a non-consented contribution, their follow,
calendar address and e-mails.

Fixture: ``situation``, built on the ``held`` session (tests.support.minutes).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from committees.auth.models import Role, User
from committees.calendars.tokens import personal_token
from committees.calls.models import Contribution
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows.models import Follower
from committees.mail.services import queue_message
from committees.meetings.minutes.services import adopt, publish, send_for_comments, start_minutes
from committees.meetings.models import AdoptionMode, AgendaItem, Minutes, MinutesComment
from tests.support.calls import IN_2022, contribute, make_call, pdf_bytes
from tests.support.follows import make_follower
from tests.support.minutes import Held

CONTRIBUTOR_EMAIL = "marie.lefevre@chanvre-touraine.example"
COMMENT = "Je n'ai pas dit cela au point 1, merci de corriger."
CONSENTED_FILE = pdf_bytes("contribution publiable")
PRIVATE_FILE = pdf_bytes("contribution confidentielle")


@dataclass
class Situation:
    held: Held
    minutes: Minutes
    contributor: User
    consented: Contribution
    private: Contribution


def published_minutes(held: Held) -> Minutes:
    """The session's minutes, prefilled with the names present, sent, adopted, published."""
    minutes = start_minutes(held.meeting, held.secretariat)
    send_for_comments(minutes)
    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    return minutes


def comment_by_anne(held: Held, minutes: Minutes) -> MinutesComment:
    item = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == held.meeting.id).limit(1)
    ).one()
    comment = MinutesComment(
        minutes_id=minutes.id,
        item_id=item.id,
        mandate_id=held.mandates["anne"].id,
        author_id=held.member.id,
        revision_number=1,
        body=COMMENT,
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.commit()
    return comment


def build(held: Held, make_user) -> Situation:
    """The whole situation (see the module's docstring)."""
    minutes = published_minutes(held)
    comment_by_anne(held, minutes)
    contributor = make_user(Role.CONTRIBUTOR, email=CONTRIBUTOR_EMAIL, full_name="Marie Lefèvre")
    call = make_call(held.committee, **IN_2022)
    consented = contribute(call, contributor, consent=True, files=[("projet.pdf", CONSENTED_FILE)])
    private = contribute(
        call,
        contributor,
        consent=False,
        organisation="Marie Lefèvre EI",
        contact_name="Marie Lefèvre",
        text="Nos chiffres de production, confidentiels.",
        files=[("chiffres.pdf", PRIVATE_FILE)],
    )
    make_follower(CONTRIBUTOR_EMAIL, committee=held.committee).user_id = contributor.id
    queue_message(
        CONTRIBUTOR_EMAIL,
        "Accusé de réception",
        "Bonjour Marie, votre contribution est enregistrée.",
        attachments=[("recu.txt", "text/plain", b"AMI")],
    )
    personal_token(held.member)
    db.session.commit()
    return Situation(held, minutes, contributor, consented, private)


def archive_of(response) -> tuple[dict, zipfile.ZipFile]:
    """The JSON document and the archive of an export response."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return json.loads(archive.read("donnees.json")), archive


def followers(email: str) -> list[Follower]:
    return list(db.session.scalars(select(Follower).where(Follower.email == email)))


@pytest.fixture
def situation(held, make_user) -> Situation:
    """The whole situation, on the held session."""
    return build(held, make_user)
