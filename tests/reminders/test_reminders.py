"""``flask reminders run``: each reminder on its day, once, in its recipient's language;
the optional ones follow each person's « Mes rappels »."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.models import CommitteeKind, MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.common.timeutils import PARIS
from committees.mail.models import OutboxMessage
from committees.meetings.conduct.answers import record_answer
from committees.meetings.conduct.convocations import convene
from committees.meetings.models import Attendance, Minutes, MinutesStatus, Response
from committees.meetings.rules import paris_to_utc
from committees.reminders.models import ReminderOptOut, SentReminder
from tests.support.convocations import REMOTE_LINK, build_session
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of
from tests.support.meetings import add_document


def _run(app, day: date) -> str:
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _mails(db, kind: str) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.kind == f"reminder_{kind}")
            .order_by(OutboxMessage.id)
        ).scalars()
    )


def _twice(app, db, kind: str, day: date) -> list[OutboxMessage]:
    """Run the reminders twice on ``day``: the second run sends nothing more."""
    _run(app, day)
    first = _mails(db, kind)
    output = _run(app, day)
    assert f"{kind}=0" in output
    assert [m.id for m in _mails(db, kind)] == [m.id for m in first]
    return first


def _day_of(meeting) -> date:
    return meeting.starts_at.astimezone(PARIS).date()


# --- declarations of interests ------------------------------------------------------


@pytest.fixture
def declared(db, make_user):
    """Alice, member since 2021 with an English account, declared on 10 March 2025; a
    secretariat account."""
    committee = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Comité des vigilances", start_date=date(2021, 1, 1)
    )
    user = make_user(Role.MEMBER, email="alice@example.org", full_name="Alice Martin")
    user.locale = "en"
    person = create_person(first_name="Alice", last_name="Martin", email="alice@example.org")
    person.user_id = user.id
    add_mandate(committee, MandateLine(person, MandateRole.MEMBER, date(2021, 1, 1)))
    file_declaration(person, date(2025, 3, 10), [])
    staff = make_user(Role.SECRETARIAT, email="staff@example.org", full_name="Sam Staff")
    db.session.commit()
    return person, staff


def test_declaration_reminders_at_30_and_7_days_once_each(app, db, declared):
    until = date(2025, 3, 10) + relativedelta(months=12)
    assert _run(app, until - timedelta(days=31)).count("=0") == 7  # nothing due yet

    first = _twice(app, db, "declaration", until - timedelta(days=30))
    assert [m.recipient for m in first] == ["alice@example.org"]
    # Alice reads English: the signature of every e-mail is translated.
    assert "The committees' secretariat" in first[0].body_text
    assert "/my/declarations/new" in first[0].body_text
    digest = _twice(app, db, "declarations_digest", until - timedelta(days=30))
    assert [m.recipient for m in digest] == ["staff@example.org"]
    assert "Alice Martin (Comité des vigilances)" in digest[0].body_text
    assert "10 mars 2026" in digest[0].body_text

    _run(app, until - timedelta(days=20))  # still the first stage: already sent
    assert len(_mails(db, "declaration")) == 1
    second = _twice(app, db, "declaration", until - timedelta(days=7))
    assert len(second) == 2
    assert len(_mails(db, "declarations_digest")) == 2


def test_a_renewed_declaration_is_not_recalled(app, db, declared):
    person, _staff = declared
    file_declaration(person, date(2026, 2, 1), [])
    db.session.commit()
    _run(app, date(2026, 2, 8))
    assert _mails(db, "declaration") == []


def test_the_declaration_reminder_cannot_be_turned_off(app, db, declared):
    person, staff = declared
    db.session.add(ReminderOptOut(user_id=person.user_id, kind="declaration"))
    db.session.add(ReminderOptOut(user_id=staff.id, kind="declarations_digest"))
    db.session.commit()
    _run(app, date(2026, 3, 3))
    assert len(_mails(db, "declaration")) == 1
    assert _mails(db, "declarations_digest") == []  # the digest is optional


# --- convocations and sessions --------------------------------------------------------


@pytest.fixture
def convened(db):
    situation = build_session(db, starts_in=timedelta(days=20))
    add_document(db, situation.items[0], "Note de synthèse", members_only=True)
    convene(situation.meeting)
    db.session.commit()
    return situation


def test_an_unanswered_convocation_is_recalled_7_days_before(app, db, convened):
    anne, bruno = convened.members[0], convened.members[1]
    attendance = db.session.scalar(select(Attendance).where(Attendance.mandate_id == anne.id))
    record_answer(attendance, Response.ATTENDING)
    db.session.commit()
    day = _day_of(convened.meeting)
    _run(app, day - timedelta(days=8))
    assert _mails(db, "convocation") == []

    sent = _twice(app, db, "convocation", day - timedelta(days=7))
    recipients = {m.recipient for m in sent}
    assert anne.person.email not in recipients  # she answered
    assert bruno.person.email in recipients
    assert recipients == convened.emails - {anne.person.email}
    text = sent[0].body_text
    assert "Vous n'avez pas encore répondu à la convocation" in text
    assert "Comité cst-suivi" in text
    assert f"/my/meetings/{convened.meeting.id}" in text
    _run(app, day - timedelta(days=3))  # caught up later: not again
    assert len(_mails(db, "convocation")) == len(sent)


def test_the_session_is_recalled_2_days_before_with_documents_and_link(app, db, convened):
    excused = convened.members[2]
    attendance = db.session.scalar(select(Attendance).where(Attendance.mandate_id == excused.id))
    record_answer(attendance, Response.EXCUSED)
    db.session.commit()
    day = _day_of(convened.meeting)
    _run(app, day - timedelta(days=3))
    assert _mails(db, "session") == []

    sent = _twice(app, db, "session", day - timedelta(days=2))
    assert {m.recipient for m in sent} == convened.emails - {excused.person.email}
    text = sent[0].body_text
    assert REMOTE_LINK in text
    assert "Note de synthèse" in text
    assert f"/my/meetings/{convened.meeting.id}/documents/" in text
    assert "ANSM, salle 1, Saint-Denis" in text


def test_the_session_reminder_follows_the_opt_out(app, db, make_user, convened):
    user = make_user(Role.MEMBER, email="anne.account@example.org")
    convened.members[0].person.user_id = user.id
    db.session.add(ReminderOptOut(user_id=user.id, kind="session"))
    db.session.add(ReminderOptOut(user_id=user.id, kind="convocation"))  # an obligation
    db.session.commit()
    day = _day_of(convened.meeting)
    _run(app, day - timedelta(days=7))
    assert convened.members[0].person.email in {m.recipient for m in _mails(db, "convocation")}
    _run(app, day - timedelta(days=2))
    assert convened.members[0].person.email not in {m.recipient for m in _mails(db, "session")}
    assert len(_mails(db, "session")) == len(convened.emails) - 1


# --- draft minutes --------------------------------------------------------------------


def test_draft_minutes_are_recalled_2_days_before_the_deadline(app, db, convened):
    deadline_day = _day_of(convened.meeting) + timedelta(days=20)
    minutes = Minutes(
        meeting=convened.meeting,
        status=MinutesStatus.SENT.value,
        sent_at=paris_to_utc(deadline_day - timedelta(days=15), time(9, 0)),
        comments_until=paris_to_utc(deadline_day, time(18, 0)),
    )
    db.session.add(minutes)
    db.session.commit()
    _run(app, deadline_day - timedelta(days=3))
    assert _mails(db, "minutes_comments") == []

    sent = _twice(app, db, "minutes_comments", deadline_day - timedelta(days=2))
    # Every expected participant with an address: the members, the expert.
    assert {m.recipient for m in sent} == convened.emails
    assert "se termine le" in sent[0].body_text
    assert "18:00" in sent[0].body_text
    assert f"/my/meetings/{convened.meeting.id}/minutes" in sent[0].body_text
    _run(app, deadline_day + timedelta(days=1))  # the period is over
    assert len(_mails(db, "minutes_comments")) == len(sent)


# --- endings (secretariat) --------------------------------------------------------------


def test_mandates_and_temporary_committees_ending_within_60_days(app, db, make_user):
    make_user(Role.SECRETARIAT, email="one@example.org")
    make_user(Role.SECRETARIAT, email="two@example.org")
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture du cannabis",
        start_date=date(2021, 8, 2),
        end_date=date(2027, 3, 31),
    )
    person = create_person(first_name="Paul", last_name="Petit")
    add_mandate(
        committee,
        MandateLine(person, MandateRole.MEMBER, date(2022, 2, 17), end_date=date(2027, 2, 28)),
    )
    db.session.commit()
    _run(app, date(2026, 12, 29))
    assert _mails(db, "endings_digest") == []

    sent = _twice(app, db, "endings_digest", date(2026, 12, 30))  # 60 days before the mandate
    assert {m.recipient for m in sent} == {"one@example.org", "two@example.org"}
    assert (
        "Mandat de Paul Petit (Culture du cannabis) : fin le 28 février 2027" in sent[0].body_text
    )
    assert "Comité temporaire" not in sent[0].body_text

    later = _twice(app, db, "endings_digest", date(2027, 1, 30))  # the committee now
    assert len(later) == 4
    assert "Comité temporaire Culture du cannabis : fin le 31 mars 2027" in later[-1].body_text
    assert "Paul Petit" not in later[-1].body_text  # already announced
    assert db.session.scalar(select(SentReminder).limit(1)) is not None


# --- « Mes rappels » ------------------------------------------------------------------


def test_a_member_turns_off_the_session_reminder_from_mes_rappels(app, client, db, make_user):
    user = make_user(Role.MEMBER, email="m@example.org")
    login(client, user.email, DEFAULT_PASSWORD)
    page = client.get("/account/reminders")
    text = text_of(page)
    assert "Rappels obligatoires" in text
    assert "Convocation sans réponse" in text
    assert "Rappel de la séance, avec ses documents" in text
    assert "Récapitulatif des déclarations" not in text  # the secretariat's
    response = post_form(
        client, "/account/reminders", {"wanted": ["minutes_comments"]}, follow_redirects=True
    )
    assert "Vos préférences de rappels sont enregistrées." in text_of(response)
    assert sorted(db.session.scalars(select(ReminderOptOut.kind))) == ["procedure", "session"]
    html = client.get("/account/reminders").get_data(as_text=True)
    found = re.findall(r'<input (checked )?id="wanted-\d+"[^>]*value="(\w+)"', html)
    boxes = {value: bool(checked) for checked, value in found}
    assert boxes == {"session": False, "minutes_comments": True, "procedure": False}
    assert "Mes rappels" in text_of(client.get("/dashboard"))


def test_a_convocation_sent_within_the_week_is_not_recalled(app, db):
    situation = build_session(db, starts_in=timedelta(days=5))
    convene(situation.meeting)
    db.session.commit()
    _run(app, _day_of(situation.meeting) - timedelta(days=4))
    assert _mails(db, "convocation") == []
