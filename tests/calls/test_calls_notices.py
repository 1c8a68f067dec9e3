"""Notices to contributors: each change of their contribution's status and of their hearing
reaches them by e-mail, in their language, with the hearing's day, slot and link."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.models import Contribution
from committees.mail.models import OutboxMessage
from committees.meetings.agenda.hearings import delete_hearing, update_hearing
from committees.meetings.models import Hearing
from committees.meetings.rules import paris_to_utc
from tests.support.calls import IN_2022, contribute, make_call, make_committee, make_meeting
from tests.support.helpers import csrf_token_from

LINK = "https://visio.example/cst-culture"


def _setup(db, make_user, *, locale=None):
    committee = make_committee("Culture en France du cannabis à usage médical")
    meeting = make_meeting(committee)
    meeting.remote_link = LINK
    call = make_call(committee, meeting, reference="AMI-2022", **IN_2022)
    author = make_user(Role.CONTRIBUTOR, email="marie@chanvre.example", full_name="Marie L.")
    author.locale = locale
    db.session.commit()
    return call, contribute(call, author)


def _post(client, call, contribution, action, data=None):
    url = f"/secretariat/calls/{call.id}/contributions/{contribution.id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/{action}", data={"csrf_token": token, **(data or {})})


def _notices(db, kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == f"calls_{kind}")
            .order_by(OutboxMessage.id)
        )
    )


def test_retained_for_a_hearing_with_its_day_slot_and_link(client, db, make_user, secretariat):
    call, contribution = _setup(db, make_user)
    assert _post(client, call, contribution, "select").status_code == 302
    [notice] = _notices(db, "selected")
    assert notice.recipient == "marie@chanvre.example"
    assert notice.subject == "Votre contribution AMI-2022-0001 est retenue pour une audition"
    text = notice.body_text
    assert "le comité souhaite vous auditionner" in text
    assert "Date : mercredi 4 mai 2022" in text
    assert "09:30 – 17:00" in text  # the session's hours until a slot is set
    assert f"Lien de visioconférence : {LINK}" in text

    hearing = db.session.scalar(select(Hearing))
    update_hearing(
        hearing,
        organisation=hearing.organisation,
        organisation_kind=hearing.organisation_kind,
        mode=hearing.mode,
        status=hearing.status,
        slot_start=paris_to_utc(date(2022, 5, 4), time(10, 0)),
        slot_end=paris_to_utc(date(2022, 5, 4), time(10, 30)),
    )
    db.session.commit()
    [moved] = _notices(db, "hearing_moved")
    assert "est déplacée" in moved.subject
    assert "Créneau de votre audition : 10:00 – 10:30 (heure de Paris)" in moved.body_text
    assert LINK in moved.body_text

    delete_hearing(db.session.get(Hearing, hearing.id))
    db.session.commit()
    [cancelled] = _notices(db, "hearing_cancelled")
    assert cancelled.subject == "Votre audition (contribution AMI-2022-0001) est annulée"
    assert "Elle était prévue lors de la séance du mercredi 4 mai 2022" in cancelled.body_text


def test_a_declined_hearing_is_a_cancelled_one(db, make_user):
    from committees.calls.administration.review import select_for_hearing

    _call, contribution = _setup(db, make_user)
    hearing = select_for_hearing(contribution)
    db.session.commit()
    update_hearing(
        hearing,
        organisation=hearing.organisation,
        organisation_kind=hearing.organisation_kind,
        mode=hearing.mode,
        status="declined",
    )
    db.session.commit()
    assert len(_notices(db, "hearing_cancelled")) == 1
    assert _notices(db, "hearing_moved") == []


def test_not_retained_and_eligible_are_told_with_the_reason(client, db, make_user, secretariat):
    call, contribution = _setup(db, make_user)
    _post(client, call, contribution, "review", {"decision": "eligible"})
    [eligible] = _notices(db, "eligible")
    assert "jugée recevable" in eligible.body_text
    _post(
        client,
        call,
        contribution,
        "review",
        {"decision": "off_topic", "reason": "Hors du champ de l'appel."},
    )
    [refused] = _notices(db, "off_topic")
    assert refused.subject == "Votre contribution AMI-2022-0001 n'est pas retenue"
    assert "Motif : Hors du champ de l'appel." in refused.body_text
    # The same appreciation saved again tells nothing new.
    _post(
        client,
        call,
        contribution,
        "review",
        {"decision": "off_topic", "reason": "Hors du champ de l'appel."},
    )
    assert len(_notices(db, "off_topic")) == 1
    assert db.session.scalar(select(Contribution.status)) == "off_topic"


def test_the_notice_is_in_the_contributors_language(client, db, make_user, secretariat):
    call, contribution = _setup(db, make_user, locale="en")
    _post(client, call, contribution, "select")
    [notice] = _notices(db, "selected")
    assert "The committees' secretariat" in notice.body_text
    assert "Wednesday, May 4, 2022" in notice.body_text


def test_the_session_moved_or_cancelled_moves_or_cancels_the_hearing(db, make_user):
    from committees.calls.administration.review import select_for_hearing
    from committees.meetings.conduct.convocations import cancel_and_notify, update_and_notify

    call, contribution = _setup(db, make_user)
    select_for_hearing(contribution)
    db.session.commit()
    meeting = call.meeting
    update_and_notify(
        meeting,
        starts_at=paris_to_utc(date(2022, 5, 11), time(9, 30)),
        ends_at=paris_to_utc(date(2022, 5, 11), time(17, 0)),
    )
    db.session.commit()
    [moved] = _notices(db, "hearing_moved")
    assert "Date : mercredi 11 mai 2022" in moved.body_text
    update_and_notify(meeting, place="Salle 2")  # not a move
    db.session.commit()
    assert len(_notices(db, "hearing_moved")) == 1
    cancel_and_notify(meeting, "Report de l'ordre du jour")
    db.session.commit()
    assert len(_notices(db, "hearing_cancelled")) == 1
