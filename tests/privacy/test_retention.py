"""Retention: ``flask retention run`` reports per rule, changes nothing without --apply,
applies exactly what it reported, and a second apply finds nothing; the privacy page
states the durations from the same settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from committees.audit.models import AuditEntry
from committees.auth.models import Role
from committees.bodies.models import MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from committees.calls.models import Contribution
from committees.common import filestore
from committees.common.personal_data import ANONYMISED_CONTRIBUTOR
from committees.common.timeutils import utcnow
from committees.decisions.models import DecisionKind
from committees.decisions.services import create_decision
from committees.extensions import db as _db
from committees.follows.models import Follower
from committees.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from committees.mail.services import queue_message
from committees.meetings.models import Attendance
from committees.meetings.scheduling.services import create_meeting
from tests.support.calls import contribute, make_call, make_committee
from tests.support.follows import make_follower
from tests.support.helpers import text_of

YEAR = timedelta(days=365)


@dataclass
class Dataset:
    old_contributions: list[int]
    recent_contribution: int
    old_mail: int
    recent_mail: int
    files: dict[str, str]


def _contributions(call, contributor, names: list[str]) -> list[int]:
    during = call.closes_at - timedelta(days=1)
    return [contribute(call, contributor, contact_name=name, now=during).id for name in names]


def _mail(subject: str, *, sent_days_ago: int | None, with_file: bool = False) -> OutboxMessage:
    files = [("invitation.ics", "text/calendar", b"BEGIN:VCALENDAR")] if with_file else []
    message = queue_message("membre@example.org", subject, f"Corps de {subject}", attachments=files)
    if sent_days_ago is not None:
        message.status = OutboxStatus.SENT.value
        message.sent_at = utcnow() - timedelta(days=sent_days_ago)
    return message


def _attendance(committee, mandate, *, ended_days_ago: int, token: str) -> None:
    ends = utcnow() - timedelta(days=ended_days_ago)
    meeting = create_meeting(
        committee,
        title=f"Séance {ended_days_ago}",
        starts_at=ends - timedelta(hours=3),
        ends_at=ends,
    )
    _db.session.flush()
    _db.session.add(
        Attendance(meeting_id=meeting.id, mandate_id=mandate.id, response_token_hash=token * 64)
    )


@pytest.fixture
def dataset(db, make_user) -> Dataset:
    """Two contributions to a call closed 4 years ago, one to a call closed a year ago; a
    mail sent 100 days ago (with a file), one sent 10 days ago, one never sent; follow
    requests unconfirmed for 30 days and for a day, a confirmed one; answer links of a
    session ended 60 days ago and of one ended 5 days ago."""
    now = utcnow()
    committee = make_committee()
    contributor = make_user(Role.CONTRIBUTOR)
    old_call = make_call(committee, opens_at=now - 5 * YEAR, closes_at=now - 4 * YEAR)
    recent_call = make_call(committee, opens_at=now - 2 * YEAR, closes_at=now - YEAR)
    old = _contributions(old_call, contributor, ["Marie Lefèvre", "Paul Girard"])
    recent = _contributions(recent_call, contributor, ["Lucie Bernard"])
    db.session.execute(OutboxMessage.__table__.delete())  # the receipts: not the point here
    old_mail = _mail("ancien", sent_days_ago=100, with_file=True)
    recent_mail = _mail("récent", sent_days_ago=10)
    _mail("en attente", sent_days_ago=None)
    make_follower("oublie@example.org", committee=committee, confirmed=False)
    make_follower("hier@example.org", committee=committee, confirmed=False)
    make_follower("fidele@example.org", committee=committee, confirmed=True)
    for email in ("oublie@example.org", "fidele@example.org"):
        follower = db.session.scalar(select(Follower).where(Follower.email == email))
        follower.created_at = now - timedelta(days=30)
    person = create_person(first_name="Anne", last_name="Martin")
    mandate = add_mandate(committee, MandateLine(person, MandateRole.MEMBER, date(2021, 9, 1)))
    _attendance(committee, mandate, ended_days_ago=60, token="a")
    _attendance(committee, mandate, ended_days_ago=5, token="b")
    db.session.commit()
    return Dataset(old, recent[0], old_mail.id, recent_mail.id, _files(committee))


def _files(committee) -> dict[str, str]:
    """A decision's PDF (named by its row), a file no row names any more (two days old)
    and one stored an hour ago (its upload may not be committed yet)."""
    named = filestore.store_bytes(b"%PDF-1.4 decision")
    decision = create_decision(
        number="2022-30",
        title="Décision portant nomination",
        kind=DecisionKind.NOMINATION,
        signed_on=date(2022, 2, 17),
    )
    decision.pdf_sha256 = named
    _db.session.commit()
    orphan = filestore.store_bytes(b"%PDF-1.4 document replaced long ago")
    stale = (utcnow() - timedelta(days=2)).timestamp()
    os.utime(filestore.path_for(orphan), (stale, stale))
    fresh = filestore.store_bytes(b"%PDF-1.4 upload in progress")
    return {"named": named, "orphan": orphan, "fresh": fresh}


def _run(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    _db.session.expire_all()
    return result.output


def _counts(output: str) -> dict[str, int]:
    lines = [line.split(":", 1) for line in output.splitlines()[1:]]
    return {name: int(rest.split()[0]) for name, rest in lines}


def _state(db) -> dict:
    contributions = db.session.execute(
        select(Contribution.id, Contribution.contact_name, Contribution.contact_function)
    ).all()
    return {
        "contributions": sorted(tuple(row) for row in contributions),
        "bodies": sorted(db.session.execute(select(OutboxMessage.body_text)).scalars()),
        "files": db.session.scalar(select(func.count()).select_from(OutboxAttachment)),
        "follows": sorted(db.session.execute(select(Follower.email)).scalars()),
        "tokens": db.session.scalar(
            select(func.count()).where(Attendance.response_token_hash.is_not(None))
        ),
        "stored": sorted(path.name for path in filestore.stored_files()),
    }


EXPECTED = {
    "contributor_contacts": 2,
    "outbox_bodies": 1,
    "unconfirmed_follows": 1,
    "answer_tokens": 1,
    "orphan_files": 1,
}


def test_the_dry_run_reports_per_rule_and_changes_nothing(app, db, dataset):
    before = _state(db)

    output = _run(app)

    assert output.splitlines()[0] == "retention (dry run: nothing changed)"
    assert _counts(output) == EXPECTED
    assert "contributor_contacts: 2 would change" in output
    assert _state(db) == before


def test_apply_changes_what_was_reported_then_a_second_apply_finds_nothing(app, db, dataset):
    output = _run(app, "--apply")

    assert _counts(output) == EXPECTED
    assert "outbox_bodies: 1 changed" in output
    old = [db.session.get(Contribution, i) for i in dataset.old_contributions]
    assert {(c.contact_name, c.contact_function) for c in old} == {(ANONYMISED_CONTRIBUTOR, "")}
    assert db.session.get(Contribution, dataset.recent_contribution).contact_name == "Lucie Bernard"
    assert db.session.get(OutboxMessage, dataset.old_mail).body_text == ""
    assert db.session.get(OutboxMessage, dataset.recent_mail).body_text == "Corps de récent"
    state = _state(db)
    assert state["files"] == 0
    assert state["follows"] == ["fidele@example.org", "hier@example.org"]
    assert state["tokens"] == 1
    assert state["stored"] == sorted([dataset.files["named"], dataset.files["fresh"]])
    # The audit trail of the contributions does not keep the names either.
    changes = db.session.execute(
        select(AuditEntry.changes).where(AuditEntry.entity_type == "contributions")
    ).scalars()
    assert not any("Marie Lefèvre" in str(c) or "Paul Girard" in str(c) for c in changes)

    again = _run(app, "--apply")

    assert _counts(again) == dict.fromkeys(EXPECTED, 0)
    assert _state(db) == state


def test_the_settings_move_the_limits(app, db, dataset):
    app.config["RETENTION_CONTRIBUTOR_CONTACT_YEARS"] = 5
    app.config["RETENTION_OUTBOX_BODY_DAYS"] = 5
    app.config["RETENTION_ANSWER_TOKEN_DAYS"] = 1
    try:
        counts = _counts(_run(app))
    finally:
        app.config.update(
            RETENTION_CONTRIBUTOR_CONTACT_YEARS=3,
            RETENTION_OUTBOX_BODY_DAYS=90,
            RETENTION_ANSWER_TOKEN_DAYS=30,
        )
    assert counts == {
        "contributor_contacts": 0,
        "outbox_bodies": 2,
        "unconfirmed_follows": 1,
        "answer_tokens": 2,
        "orphan_files": 1,
    }


def test_the_privacy_page_states_the_durations_of_the_settings(app, client):
    french = text_of(client.get("/privacy"))
    assert "3 ans après la clôture de l'appel" in french
    assert "Contenu des courriels envoyés : 90 jours après leur envoi." in french
    assert "Demandes d'abonnement non confirmées : supprimées après 7 jours." in french
    assert "Liens de réponse aux convocations : 30 jours après la séance." in french

    app.config["RETENTION_OUTBOX_BODY_DAYS"] = 45
    try:
        english = text_of(client.get("/privacy?lang=en"))
    finally:
        app.config["RETENTION_OUTBOX_BODY_DAYS"] = 90
    assert "3 years after the call closes" in english
    assert "Contents of the e-mails sent: 45 days after sending." in english
